#!/usr/bin/env bash
# Runs the whole test suite on a fresh database: the checks that need no Odoo
# (tests/) and the addon's tests (mint_support_contract/tests) through
# pytest-odoo, browser tours included, and beside them uninstalls the addon
# from a copy of the database (tests_uninstall). Ends with one line "N passed, N failed"
# and exits non-zero on any failure, or when nothing ran.
#
# The fresh database is a copy of a cached template database with the addon
# installed (click-odoo-initdb, through tools/testdb.py which also compiles the
# web assets into it): the template is built by the first run and again
# whenever a file of the addon or of a module it depends on (Odoo, OCA)
# changes; the next runs copy it in seconds.
#   TEST_DB=name       use (and keep) this database instead of a fresh one
#                      (made from the template when it does not exist)
#   PYTEST_ARGS=...    extra pytest arguments for the addon tests (e.g. -k sla)
#   TEST_CACHE=prefix  name prefix of the template databases (default minttest)
#   HTTP_PORT=port     http_port of the run's Odoo configuration (a free one by
#                      default; pytest-odoo 2.3 serves the browser tests on a
#                      free port it picks itself)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
PYTHON=${PYTHON:-python3}
die() { printf '\nERROR: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

"$PYTHON" -c 'import odoo.release as r, sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)' 2>/dev/null \
  || die "Odoo 18.0 is not importable by $PYTHON: run 'make test' (it installs what is missing)."
pg_isready -q || die "PostgreSQL does not answer: start it (see README.rst), then rerun."
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] \
  || die "Chromium is missing: the browser tours need it ('make test' installs it first)."
"$PYTHON" -c 'import pytest_odoo, websocket, click_odoo_contrib' 2>/dev/null \
  || die "pytest-odoo, websocket-client or click-odoo-contrib is missing: run 'make test' (it installs what is missing)."

work=$(mktemp -d)
db=${TEST_DB:-${TEST_CACHE:-minttest}_run_$$_$(date +%s)}
uninstall_db=${db}_uninstall
uninstall_pid=
cleanup() {
  if [ -n "$uninstall_pid" ]; then  # interrupted: stop the uninstall check too
    pkill -P "$uninstall_pid" 2>/dev/null
    kill "$uninstall_pid" 2>/dev/null
    wait "$uninstall_pid" 2>/dev/null
  fi
  dropdb --if-exists "$uninstall_db" 2>/dev/null
  if [ -z "${TEST_DB:-}" ]; then
    "$PYTHON" -m click_odoo_contrib.dropdb -c "$work/odoo.cfg" --if-exists "$db" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# A free port for the browser tests, so that several runs can share the machine.
http_port=${HTTP_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
"$PYTHON" tools/odoo_env.py admin_passwd=admin "db_name=$db" http_interface=127.0.0.1 \
  "http_port=$http_port" >"$work/odoo.cfg" || die "could not write the Odoo configuration"

echo "==> checks without Odoo (tests/)"
"$PYTHON" -m pytest -q -p no:odoo tests --junitxml="$work/static.xml"

if psql -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
  echo "==> using the existing database $db"
else
  echo "==> database $db: a copy of the cached template with mint_support_contract installed"
  echo "    (the template is built first, in about two minutes, when the addon or Odoo/OCA changed)"
  "$PYTHON" tools/testdb.py -c "$work/odoo.cfg" -n "$db" \
    -m mint_support_contract,payment_demo --no-demo --cache-prefix "${TEST_CACHE:-minttest}" \
    --log-level=info >"$work/install.log" 2>&1
  status=$?
  if [ $status -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$work/install.log"; then
    grep -vE " (INFO|DEBUG) " "$work/install.log" >&2
    # Half built: not kept, even as TEST_DB, so that the next run builds it again.
    "$PYTHON" -m click_odoo_contrib.dropdb -c "$work/odoo.cfg" --if-exists "$db" >/dev/null 2>&1
    die "installing the addon failed (exit $status)"
  fi
  if grep -q "Found matching database template" "$work/install.log"; then
    echo "    copied from the cached template"
  else
    echo "    built, and kept as the template for the next runs"
  fi
fi

# The uninstall check runs beside the addon tests, on a copy of the database
# made before they connect to it (the tests roll back what they write).
dropdb --if-exists "$uninstall_db" 2>/dev/null  # left by an interrupted run
createdb -T "$db" "$uninstall_db" || die "could not copy $db for the uninstall check"
MINT_TEST_DB="$uninstall_db" MINT_TEST_CFG="$work/odoo.cfg" "$PYTHON" -m pytest -q -p no:odoo \
  tests_uninstall --junitxml="$work/uninstall.xml" >"$work/uninstall.log" 2>&1 &
uninstall_pid=$!

echo "==> addon tests (pytest-odoo, database $db)"
# shellcheck disable=SC2086
"$PYTHON" -m pytest --odoo-config="$work/odoo.cfg" --odoo-database="$db" \
  --odoo-http --odoo-log-level=warn --junitxml="$work/addon.xml" ${PYTEST_ARGS:-} \
  mint_support_contract/tests

echo "==> uninstalling the addon from a copy of $db (run beside the addon tests)"
wait "$uninstall_pid"
uninstall_pid=
cat "$work/uninstall.log"

"$PYTHON" - "$work/static.xml" "$work/addon.xml" "$work/uninstall.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
total = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        failed += 1
        print(f"no test report in {path}: that run crashed")
        continue
    # One count per test (a test whose subtests fail counts once, failed).
    for case in root.iter("testcase"):
        total += 1
        outcomes = {child.tag for child in case}
        if outcomes & {"failure", "error"}:
            failed += 1
        elif "skipped" in outcomes:
            skipped += 1
passed = total - failed - skipped
if total == 0:
    failed += 1
    print("no test ran")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or skipped else 0)
PY

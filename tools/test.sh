#!/usr/bin/env bash
# Runs the whole test suite on a fresh database: the checks that need no Odoo
# (tests/) and the addon's tests (mint_support_contract/tests) through
# pytest-odoo, browser tours included, then uninstalls the addon from a copy
# of the database (tests_uninstall). Ends with one line "N passed, N failed"
# and exits non-zero on any failure, or when nothing ran.
#   TEST_DB=name     use (and keep) this database instead of a fresh one
#   PYTEST_ARGS=...  extra pytest arguments for the addon tests (e.g. -k sla)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
PYTHON=${PYTHON:-python3}
die() { printf '\nERROR: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

"$PYTHON" -c 'import odoo.release as r, sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)' 2>/dev/null \
  || die "Odoo 18.0 is not importable by $PYTHON: run 'make install' first."
pg_isready -q || die "PostgreSQL does not answer: start it (see README.rst), then rerun."
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] \
  || die "Chromium is missing: the browser tours need it ('make install' installs it)."
"$PYTHON" -c 'import pytest_odoo, websocket' 2>/dev/null \
  || die "pytest-odoo or websocket-client is missing: run 'make install' first."

addons_path=$("$PYTHON" - "$here" <<'PY'
import os, sys
import odoo.addons
def has_addons(path):
    return os.path.isdir(path) and any(
        os.path.isfile(os.path.join(path, n, "__manifest__.py")) for n in os.listdir(path))
paths = [sys.argv[1]] + [p for p in odoo.addons.__path__ if has_addons(p)]
print(",".join(dict.fromkeys(os.path.realpath(p) for p in paths)))
PY
)
work=$(mktemp -d)
db=${TEST_DB:-mint_test_$$_$(date +%s)}
cleanup() {
  if [ -z "${TEST_DB:-}" ]; then dropdb --if-exists "$db" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
# A free port for the browser tests, so that several runs can share the machine.
http_port=${HTTP_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cat >"$work/odoo.cfg" <<CFG
[options]
addons_path = $addons_path
admin_passwd = admin
db_name = $db
http_interface = 127.0.0.1
http_port = $http_port
test_enable = True
CFG

echo "==> checks without Odoo (tests/)"
"$PYTHON" -m pytest -q -p no:cacheprovider -p no:odoo tests --junitxml="$work/static.xml"

if ! psql -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
  echo "==> installing mint_support_contract into the fresh database $db"
  "$PYTHON" -m odoo -c "$work/odoo.cfg" -d "$db" -i mint_support_contract,payment_demo \
    --without-demo=all --stop-after-init --log-level=warn >"$work/install.log" 2>&1
  status=$?
  if [ $status -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$work/install.log"; then
    cat "$work/install.log" >&2
    die "installing the addon failed (exit $status)"
  fi
fi

echo "==> addon tests (pytest-odoo, database $db)"
# shellcheck disable=SC2086
"$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$work/odoo.cfg" --odoo-database="$db" \
  --odoo-http --odoo-log-level=warn --junitxml="$work/addon.xml" ${PYTEST_ARGS:-} \
  mint_support_contract/tests

echo "==> uninstalling the addon from a copy of $db"
MINT_TEST_DB="$db" MINT_TEST_CFG="$work/odoo.cfg" "$PYTHON" -m pytest -q -p no:cacheprovider \
  -p no:odoo tests_uninstall --junitxml="$work/uninstall.xml"

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

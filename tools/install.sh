#!/usr/bin/env bash
# Installs everything this project needs into the machine's python3:
# Odoo 18.0 (from $ODOO_SOURCE when set, else from Odoo's official 18.0 upstream),
# the OCA addons of requirements.txt, the test tools of test-requirements.txt,
# Chromium for browser tests, gettext for make i18n, and checks that PostgreSQL
# answers. `make demo`, `make test` and `make lint` run it first: when everything
# is there already it takes a second and prints nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
ODOO_DIR=${ODOO_DIR:-/opt/odoo-18.0}
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}
say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# Python 3.11 pitfall: Odoo's pinned cbor2 does not build with setuptools>=81.
constraints=$(mktemp)
trap 'rm -f "$constraints"' EXIT
echo 'setuptools<81' >"$constraints"
export PIP_CONSTRAINT="$constraints" PIP_DISABLE_PIP_VERSION_CHECK=1

odoo_ok() {
  "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)' 2>/dev/null
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "install these system packages first: ${missing[*]}"
  say "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# System libraries for Odoo's Python requirements, Chromium for the browser
# tests, gettext (msgmerge) for click-odoo-makepot.
apt_install libpq-dev libldap2-dev libsasl2-dev chromium gettext

fetch_odoo_source() {
  # Fills $ODOO_DIR with the Odoo 18.0 source tree (the folder that holds setup.py and odoo/).
  local src=${ODOO_SOURCE:-}
  if [ -f "$ODOO_DIR/setup.py" ] && [ -d "$ODOO_DIR/odoo/addons/base" ]; then
    return 0
  fi
  mkdir -p "$ODOO_DIR"
  if [ -z "$src" ]; then
    say "downloading Odoo 18.0 from $ODOO_UPSTREAM"
    curl -fsSL "$ODOO_UPSTREAM" | tar -xz -C "$ODOO_DIR" --strip-components=1
  elif [ -d "$src/odoo/addons/base" ]; then
    say "copying Odoo 18.0 from $src"
    cp -a "$src/." "$ODOO_DIR/"
  elif git --git-dir="$src" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    say "exporting Odoo 18.0 from the git directory $src"
    git --git-dir="$src" archive HEAD | tar -x -C "$ODOO_DIR"
  elif [ -f "$src" ]; then
    say "unpacking Odoo 18.0 from $src"
    case "$src" in
      *.zip) tmp=$(mktemp -d) && unzip -q "$src" -d "$tmp" && cp -a "$tmp"/*/. "$ODOO_DIR/" && rm -rf "$tmp" ;;
      *) tar -xf "$src" -C "$ODOO_DIR" --strip-components=1 ;;
    esac
  else
    die "ODOO_SOURCE=$src is neither an Odoo source folder, a git directory nor an archive"
  fi
  [ -d "$ODOO_DIR/odoo/addons/base" ] || die "$ODOO_DIR holds no Odoo source (odoo/addons/base is missing)"
  # Some packaged copies carry a stale top-level addons/ folder: the real addons are odoo/addons.
  [ -d "$ODOO_DIR/addons" ] && [ -d "$ODOO_DIR/odoo/addons/web" ] && rm -rf "$ODOO_DIR/addons"
  return 0
}

if ! odoo_ok; then
  fetch_odoo_source
  say "installing Odoo 18.0's Python requirements"
  "$PYTHON" -m pip install -q -r "$ODOO_DIR/requirements.txt"
  say "installing Odoo 18.0 from $ODOO_DIR (editable)"
  # Python 3.11 pitfall: OCA wheels create site-packages/odoo/addons, which shadows a
  # default (path-hook) editable install; the compat mode uses a .pth file instead.
  "$PYTHON" -m pip install -q --no-deps -e "$ODOO_DIR" --config-settings editable_mode=compat
  odoo_ok || die "Odoo 18.0 is still not importable after the install"
fi

requirements_met() {
  # True when every line of the requirement files is installed in a matching version.
  "$PYTHON" - "$@" <<'PY' 2>/dev/null
import sys
from importlib.metadata import PackageNotFoundError, version

from pip._vendor.packaging.requirements import Requirement

for path in sys.argv[1:]:
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.marker and not req.marker.evaluate():
            continue
        try:
            installed = version(req.name)
        except PackageNotFoundError:
            sys.exit(1)
        if not req.specifier.contains(installed, prereleases=True):
            sys.exit(1)
PY
}

if ! requirements_met "$here/requirements.txt" "$here/test-requirements.txt"; then
  say "installing the OCA addons and test tools"
  "$PYTHON" -m pip install -q -r "$here/requirements.txt" -r "$here/test-requirements.txt"
  odoo_ok || die "installing the OCA addons broke the Odoo import"
fi

if ! pg_isready -q; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    say "PostgreSQL is down: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  fi
fi
pg_isready -q || die "PostgreSQL does not answer. Start it (for example: pg_ctlcluster <version> main start) and make sure the current user ($(id -un)) is a PostgreSQL superuser, then run make install again."
psql -d postgres -tAc 'select 1' >/dev/null 2>&1 \
  || die "PostgreSQL answers but refuses the role $(id -un): create it with 'createuser -s $(id -un)' as the postgres user."

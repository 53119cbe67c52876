#!/usr/bin/env bash
# The main job: a database with demo data and mint_support_contract installed
# (website, shop, contracts, helpdesk come with it), served on :8069.
#   DEMO_DB=name (default mint_demo), PORT=8069
#   WORKERS=4: Odoo's multi-process server with the production configuration
#   (deploy/odoo.conf): 4 HTTP workers, CRON_THREADS=1 cron process, the
#   websocket on GEVENT_PORT (default 8072); without it, the threaded
#   development server.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
db=${DEMO_DB:-mint_demo}
port=${PORT:-8069}
"$PYTHON" -c 'import odoo.release as r, sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)' 2>/dev/null \
  || { echo "ERROR: Odoo 18.0 is not installed: run 'make demo' (it installs what is missing)." >&2; exit 1; }
pg_isready -q || { echo "ERROR: PostgreSQL does not answer: run 'make demo' (it starts the local cluster)." >&2; exit 1; }
addons_path=$("$PYTHON" "$here/tools/odoo_env.py" --addons-path)
odoo=("$PYTHON" -m odoo --addons-path="$addons_path" -d "$db" --db-filter="^$db\$")
installed=$(psql -d "$db" -tAc "select state from ir_module_module where name='mint_support_contract'" 2>/dev/null || true)
if [ "$installed" != "installed" ]; then
  echo "==> creating $db with demo data and mint_support_contract (a few minutes)"
  log=$(mktemp)
  if ! psql -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    # A Swiss company from the start: CHF and the Swiss accounting (l10n_ch).
    "$PYTHON" - "$addons_path" "$db" <<'PY' >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
import sys
import odoo
from odoo.tools import config
config.parse_config([f"--addons-path={sys.argv[1]}", "--log-level=warn"])
odoo.service.db.exp_create_database(sys.argv[2], True, "en_US", "admin", "admin", "CH")
PY
  fi
  # German (Switzerland) beside English, loaded before the addon so that every
  # module's terms are translated.
  if ! "${odoo[@]}" -i mint_support_contract --load-language=de_CH --stop-after-init \
    --log-level=warn >"$log" 2>&1 \
    || grep -qE " (ERROR|CRITICAL) |demo data failed to install" "$log"; then
    cat "$log" >&2
    echo "ERROR: installing the demo database failed" >&2
    exit 1
  fi
  # The website speaks both languages (/de_CH/...).
  "$PYTHON" - "$addons_path" "$db" <<'PY' >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
import sys
import odoo
from odoo.tools import config
config.parse_config([f"--addons-path={sys.argv[1]}", "--log-level=warn"])
with odoo.modules.registry.Registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    german = env["res.lang"]._activate_lang("de_CH")
    env["website"].search([]).language_ids |= german
PY
  rm -f "$log"
fi
echo
echo "MINT support demo: http://localhost:$port   (login: admin, password: admin)"
echo "  shop: http://localhost:$port/shop   support tiers: Helpdesk > Configuration > Support Tiers"
echo "  in Swiss German: http://localhost:$port/de_CH/support"
echo "  portal (MINT+ customer): http://localhost:$port/my/support   (login: sandra, password: sandra)"
echo
server=(--http-port="$port")
if [ -n "${WORKERS:-}" ]; then
  # Odoo's start script: the websocket process is started through it.
  # The production configuration (deploy/odoo.conf), with this machine's
  # database, folders and ports, and the log on the terminal.
  data_dir=$("$PYTHON" -c 'from odoo.tools import config; print(config["data_dir"])')
  odoo=("$PYTHON" "$("$PYTHON" "$here/tools/odoo_env.py" --odoo-bin)"
    -c "$here/deploy/odoo.conf" "${odoo[@]:3}" --data-dir="$data_dir" --logfile=)
  server+=(--workers="$WORKERS" --max-cron-threads="${CRON_THREADS:-1}"
    --gevent-port="${GEVENT_PORT:-8072}")
  echo "  served by $WORKERS workers and ${CRON_THREADS:-1} cron process(es), websocket on :${GEVENT_PORT:-8072}"
  echo
fi
exec "${odoo[@]}" "${server[@]}"

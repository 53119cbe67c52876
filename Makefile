# Two commands for a newcomer (see README.rst): make demo, make test. Each
# installs what is missing first (make install alone does only that; it is
# quick and silent when everything is there).
PYTHON ?= python3
ADDON = mint_support_contract

.PHONY: install demo test lint bench i18n load load-two-servers load-faults upgrade-check

install:
	@bash tools/install.sh

demo: install
	@bash tools/demo.sh

test: install
	@bash tools/test.sh

# The hooks of .pre-commit-config.yaml on every file (offline: all local hooks).
lint: install
	pre-commit run --all-files --show-diff-on-failure

bench: install
	$(PYTHON) tools/bench.py

# Load tests on Odoo's multi-process server (deploy/odoo.conf), locust headless,
# on a PostgreSQL cluster of their own (port 5544); benchmarks, not part of
# make test. LOAD_ARGS="--time 60 --users 20 --keep" changes the run.
load: install
	$(PYTHON) tools/load.py $(LOAD_ARGS)

load-two-servers: install
	$(PYTHON) tools/load.py --servers 2 $(LOAD_ARGS)

load-faults: install
	$(PYTHON) tools/load.py --faults $(LOAD_ARGS)

# A database made with an earlier commit of the addon (REF, default 67cee77),
# filled through that code, upgraded with this one, every fact checked
# (tools/upgrade_check.py; DB=name names the database, KEEP=1 keeps it).
REF ?= 67cee77
upgrade-check: install
	$(PYTHON) tools/upgrade_check.py --ref "$(REF)" $(if $(DB),--db "$(DB)") $(if $(KEEP),--keep)

# Exports the .pot template from DB (a database with the addon installed) and
# merges it into de.po and de_CH.po (click-odoo-makepot): new terms are added
# untranslated, terms gone from the code are dropped; the tests list the terms
# left to translate.
i18n: install
	@test -n "$(DB)" || { echo "usage: make i18n DB=<database with $(ADDON) installed>" >&2; exit 2; }
	@cfg=$$(mktemp) && $(PYTHON) tools/odoo_env.py >"$$cfg" && \
	$(PYTHON) -m click_odoo_contrib.makepot -c "$$cfg" -d "$(DB)" --addons-dir . -m $(ADDON) \
	  --msgmerge --no-fuzzy-matching --purge-old-translations; \
	status=$$?; rm -f "$$cfg" $(ADDON)/i18n/*.po~; exit $$status
	@for po in $(ADDON)/i18n/*.po; do printf '%s: ' "$$po"; msgfmt --statistics -o /dev/null "$$po" 2>&1; done

#!/usr/bin/env bash
# Static checks: ruff (lint + format) and pylint-odoo's mandatory checks.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
ruff check . || status=1
ruff format --check . || status=1
pylint --rcfile=.pylintrc-mandatory mint_support_contract || status=1
exit $status

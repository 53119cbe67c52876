# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Uninstalling the addon leaves the database usable.

Runs on a copy of the test database (``MINT_TEST_DB``, with the Odoo
configuration ``MINT_TEST_CFG``) after the addon's own tests, in a separate
Odoo process: uninstall, then the helpdesk, the shop and the website work
without the addon.
"""

import os
import subprocess
import sys
import uuid

import pytest

SCRIPT = """
import odoo
from odoo.modules.registry import Registry

module = env["ir.module.module"].search([("name", "=", "mint_support_contract")])
module.button_immediate_uninstall()
env.cr.commit()
with Registry(env.cr.dbname).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    state = env["ir.module.module"].search([("name", "=", module.name)]).state
    assert state == "uninstalled", state
    assert "support.tier" not in env, "support.tier is still there"
    Ticket = env["helpdesk.ticket"]
    ticket = Ticket.create({"name": "After uninstall", "description": "x"})
    assert ticket.id and "sla_deadline" not in Ticket._fields
    fields = env["ir.model.fields"].search_count(
        [("model", "=", "helpdesk.ticket"), ("name", "=like", "sla_%")]
    )
    assert not fields, fields
    partner = env.user.partner_id
    contract = env["contract.contract"].create({"name": "x", "partner_id": partner.id})
    assert contract.id
    cr.rollback()
print("UNINSTALL-OK")
"""


@pytest.fixture
def database_copy():
    source, cfg = os.environ.get("MINT_TEST_DB"), os.environ.get("MINT_TEST_CFG")
    if not source or not cfg:
        pytest.fail("MINT_TEST_DB and MINT_TEST_CFG must name the test database")
    copy = f"{source}_uninstall_{uuid.uuid4().hex[:6]}"
    subprocess.run(["createdb", "-T", source, copy], check=True)
    try:
        yield copy, cfg
    finally:
        subprocess.run(["dropdb", "--if-exists", copy], check=False)


def test_uninstall_leaves_database_usable(database_copy):
    db, cfg = database_copy
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "-c",
            cfg,
            "-d",
            db,
            "--no-http",
            "--log-level=warn",
        ],
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert "UNINSTALL-OK" in result.stdout, (
        result.stdout[-3000:] + result.stderr[-5000:]
    )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import give_tier


@tagged("post_install", "-at_install")
class TestSlaViews(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = mail_new_test_user(
            cls.env,
            login="sla_view_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            tz="Europe/Zurich",
        )
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )
        ref = cls.env.ref
        contacts = {}
        for code in ("basis", "mint", "mint_plus"):
            company = cls.env["res.partner"].create(
                {"name": f"{code} AG", "is_company": True}
            )
            give_tier(
                cls.env, company, ref(f"mint_support_contract.support_tier_{code}")
            )
            contacts[code] = cls.env["res.partner"].create(
                {"name": f"{code} contact", "parent_id": company.id}
            )
        Ticket = (
            cls.env["helpdesk.ticket"]
            .with_user(cls.agent)
            .with_context(default_description="<p>?</p>")
        )
        # Created in another order than the one they are due in.
        Ticket.create({"name": "Basis backup", "partner_id": contacts["basis"].id})
        Ticket.create({"name": "No contract", "partner_name": "Walk-in"})
        Ticket.create({"name": "MINT question", "partner_id": contacts["mint"].id})
        with freeze_time("2026-11-02 08:00:00"):
            Ticket.create(
                {"name": "Overdue printer", "partner_id": contacts["mint_plus"].id}
            )
        Ticket.create({"name": "MINT+ export", "partner_id": contacts["mint_plus"].id})

    def test_agent_finds_the_next_due_ticket_first(self):
        """In the list and on the kanban board an agent sees the overdue
        ticket first, then the one due soonest, with the time left in words."""
        self.start_tour(
            "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action",
            "mint_support_sla_agent",
            login="sla_view_agent",
        )

    def test_admin_sees_every_menu_of_the_addon(self):
        """In a database with only the addon and its dependencies (no Sales
        app), an admin reaches every menu of the addon: tiers, SLA analysis,
        billing and the settings."""
        admin = self.env.ref("base.user_admin")
        menus = self.env["ir.ui.menu"].search(
            [("id", "in", self._addon_record_ids("ir.ui.menu"))]
        )
        self.assertGreaterEqual(len(menus), 5)
        visible = self.env["ir.ui.menu"].with_user(admin)._visible_menu_ids()
        for menu in menus:
            with self.subTest(menu=menu.complete_name):
                self.assertIn(menu.id, visible)
        settings = self.env["res.config.settings"].with_user(admin)
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="support_contract_setting_container"', arch)

    def _addon_record_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", "mint_support_contract"), ("model", "=", model)])
            .mapped("res_id")
        )

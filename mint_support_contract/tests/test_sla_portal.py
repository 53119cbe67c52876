# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import lxml.html

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_mint = cls.env.ref("mint_support_contract.support_tier_mint")
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Portal Customer AG", "is_company": True}
        )
        cls.company_partner.support_tier_id = cls.tier_mint
        cls.portal_user = new_test_user(
            cls.env, login="portal_sla", groups="base.group_portal", name="Pia Portal"
        )
        cls.portal_user.partner_id.parent_id = cls.company_partner
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )

    def test_portal_ticket_gets_tier_deadline(self):
        """A portal ticket gets the customer's tier and shows its deadline."""
        self.authenticate("portal_sla", "portal_sla")
        form = self.url_open("/new/ticket")
        self.assertEqual(form.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "Portal SLA question",
                "description": "Our export fails.",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Portal SLA question")]
        )
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertTrue(ticket.sla_deadline)
        self.assertGreater(ticket.sla_deadline, ticket.sla_start)
        self.assertIn(ticket.sla_status, ("ongoing", "at_risk"))
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertIn("Response promised by", page.text)
        shown = lxml.html.fromstring(page.text).get_element_by_id("ticket_sla_deadline")
        self.assertRegex(
            " ".join(shown.text_content().split()),
            r"Response promised by: \S+ \d{1,2}:\d{2}(?!:)",
            "a date and time without seconds",
        )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import lxml.html

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import give_tier


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase):
    """Two customers of two companies, each with a portal user and a ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_mint = cls.env.ref("mint_support_contract.support_tier_mint")
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_done.close_from_portal = True
        cls.tickets = {}
        for login in ("portal_sla", "portal_sla_other"):
            company = cls.env["res.partner"].create(
                {"name": f"{login} AG", "is_company": True}
            )
            give_tier(cls.env, company, cls.tier_mint)
            user = new_test_user(
                cls.env, login=login, groups="base.group_portal", name=login
            )
            user.partner_id.parent_id = company
            cls.tickets[login] = cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Ticket of {login}",
                    "description": "x",
                    "partner_id": user.partner_id.id,
                }
            )

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text).group(1)

    def test_portal_ticket_gets_tier_deadline(self):
        """A portal ticket gets the customer's tier, shows its deadline and
        its customer gets the acknowledgement with the promised time."""
        self.authenticate("portal_sla", "portal_sla")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self._csrf("/new/ticket"),
                "subject": "Portal SLA question",
                "description": "Our export fails.",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Portal SLA question")]
        )
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertGreater(ticket.sla_deadline, ticket.sla_start)
        self.assertIn(ticket.sla_state, ("ongoing", "at_risk"))
        user = self.env["res.users"].search([("login", "=", "portal_sla")])
        # queued by the request, sent by the scheduled job it woke
        self.assertTrue(ticket.sla_acknowledge_due)
        self.env["helpdesk.ticket"]._cron_sla_acknowledge()
        acknowledgement = ticket.message_ids.filtered(
            lambda message: message.message_type == "auto_comment"
        )
        self.assertEqual(acknowledgement.notified_partner_ids, user.partner_id)
        self.assertEqual(acknowledgement.author_id, ticket.company_id.partner_id)
        self.assertIn(ticket.sla_deadline_text, acknowledgement.body)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        shown = lxml.html.fromstring(page.text).get_element_by_id("ticket_sla_deadline")
        self.assertRegex(
            " ".join(shown.text_content().split()),
            r"Response promised by: \S+ \d{1,2}:\d{2}(?!:)",
            "a date and time without seconds",
        )

    def test_customer_closes_own_ticket_unanswered(self):
        """A customer closes their ticket from its page (POST with CSRF): it
        is closed, its SLA cancelled rather than met, and the escalation's
        to-do of its agent goes: no response is due any more."""
        ticket = self.tickets["portal_sla"]
        todo = ticket.activity_schedule(
            "mint_support_contract.mail_activity_type_sla_response",
            user_id=self.env.ref("base.user_admin").id,
        )
        self.authenticate("portal_sla", "portal_sla")
        csrf = self._csrf(f"/my/ticket/{ticket.id}")
        response = self.url_open(
            "/ticket/close",
            data={
                "csrf_token": csrf,
                "ticket_id": ticket.id,
                "stage_id": self.stage_done.id,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.sla_outcome, "cancelled")
        self.assertFalse(ticket.sla_first_response_date)
        self.assertFalse(todo.exists())

    @mute_logger("odoo.http", "werkzeug")
    def test_nobody_closes_another_customers_ticket(self):
        """Another customer's ticket id, a plain link (GET) or a POST without
        the CSRF token close nothing."""
        own = self.tickets["portal_sla"]
        foreign = self.tickets["portal_sla_other"]
        self.authenticate("portal_sla", "portal_sla")
        csrf = self._csrf(f"/my/ticket/{own.id}")
        attempts = {
            "another customer's ticket": (
                "POST",
                {"csrf_token": csrf, "ticket_id": foreign.id},
                404,
            ),
            "a link": ("GET", {"ticket_id": own.id}, 405),
            "no CSRF token": ("POST", {"ticket_id": own.id}, 400),
            "a bad id": ("POST", {"csrf_token": csrf, "ticket_id": "x"}, 404),
        }
        for label, (method, data, status) in attempts.items():
            with self.subTest(label):
                data = dict(data, stage_id=self.stage_done.id)
                if method == "GET":
                    response = self.url_open(
                        "/ticket/close?" + "&".join(f"{k}={v}" for k, v in data.items())
                    )
                else:
                    response = self.url_open("/ticket/close", data=data)
                self.assertEqual(response.status_code, status)
        for ticket in (own, foreign):
            self.assertNotEqual(ticket.stage_id, self.stage_done)
            self.assertFalse(ticket.sla_outcome)

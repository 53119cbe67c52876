# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SupportContractCommon

# 2026-11-20 is a Friday; Zurich is UTC+1 in November. All datetimes are UTC.
FRIDAY_16 = "2026-11-20 15:00:00"


@tagged("post_install", "-at_install")
class TestSla(SupportContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = mail_new_test_user(
            cls.env,
            login="sla_agent",
            name="Sam Agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            tz="Europe/Zurich",
        )
        cls.account_manager = mail_new_test_user(
            cls.env,
            login="sla_manager",
            name="Alex Manager",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.customers = {}
        for tier in (cls.tier_basis, cls.tier_mint, cls.tier_mint_plus):
            company = cls.env["res.partner"].create(
                {"name": f"{tier.name} Customer", "is_company": True}
            )
            contact = cls.env["res.partner"].create(
                {
                    "name": f"{tier.name} Contact",
                    "parent_id": company.id,
                    "email": f"{tier.code.lower()}@customer.example.com",
                }
            )
            company.write(
                {
                    "support_tier_id": tier.id,
                    "support_account_manager_id": cls.account_manager.id,
                }
            )
            cls.customers[tier] = contact
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_awaiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Waiting for Customer", "sla_pause": True}
        )

    def _ticket(self, tier=None, **values):
        vals = {
            "name": "Help",
            "description": "<p>Please help</p>",
            "team_id": self.team.id,
            "user_id": self.agent.id,
        }
        if tier:
            vals["partner_id"] = self.customers[tier].id
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)

    def _answer(self, ticket, subtype="mail.mt_comment", user=None):
        return ticket.with_user(user or self.agent).message_post(
            body="We are on it.", message_type="comment", subtype_xmlid=subtype
        )

    def test_worked_example_friday_afternoon(self):
        """Friday 16:00: MINT+ due Mon 11:00, MINT Mon 16:00, Basis Wed 16:00."""
        with freeze_time(FRIDAY_16):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
            basis = self._ticket(self.tier_basis)
            self.assertEqual(plus.sla_status, "ongoing")
        self.assertEqual(plus.sla_tier_id, self.tier_mint_plus)
        self.assertEqual(plus.sla_start, datetime(2026, 11, 20, 15, 0))
        self.assertEqual(plus.sla_deadline, datetime(2026, 11, 23, 10, 0))
        self.assertEqual(mint.sla_deadline, datetime(2026, 11, 23, 15, 0))
        self.assertEqual(basis.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def test_working_hours_left(self):
        """Agents read the working hours left, negative once overdue."""
        with freeze_time(FRIDAY_16):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
            tickets = plus | mint
            self.assertEqual(tickets.mapped("sla_hours_left"), [4.0, 8.0])
        # Monday 12:30 in Zurich: MINT+ was due at 11:00, lunch does not count.
        with freeze_time("2026-11-23 11:30:00"):
            tickets.invalidate_recordset(["sla_hours_left"])
            self.assertEqual(tickets.mapped("sla_hours_left"), [-1.0, 3.0])
            self._answer(mint)
            tickets.invalidate_recordset(["sla_hours_left"])
            self.assertEqual(mint.sla_hours_left, 0.0)

    def test_ticket_on_saturday_counts_from_monday_morning(self):
        """A ticket sent on Saturday counts from Monday 08:00."""
        with freeze_time("2026-11-21 09:00:00"):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
        self.assertEqual(plus.sla_deadline, datetime(2026, 11, 23, 11, 0))
        self.assertEqual(mint.sla_deadline, datetime(2026, 11, 24, 7, 0))

    def test_public_holiday_is_skipped(self):
        """A public holiday on Monday pushes every deadline by one working day."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-11-22 23:00:00",
                "date_to": "2026-11-23 22:59:59",
            }
        )
        with freeze_time(FRIDAY_16):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
            basis = self._ticket(self.tier_basis)
        self.assertEqual(plus.sla_deadline, datetime(2026, 11, 24, 10, 0))
        self.assertEqual(mint.sla_deadline, datetime(2026, 11, 24, 15, 0))
        self.assertEqual(basis.sla_deadline, datetime(2026, 11, 26, 15, 0))

    def test_holiday_added_later_moves_open_deadlines(self):
        """A new holiday moves deadlines of open tickets, not answered ones."""
        with freeze_time(FRIDAY_16):
            open_ticket = self._ticket(self.tier_mint)
            answered = self._ticket(self.tier_mint)
            self._answer(answered)
            self.env.flush_all()  # the request that created them ends
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Holiday",
                    "calendar_id": self.calendar.id,
                    "date_from": "2026-11-22 23:00:00",
                    "date_to": "2026-11-23 22:59:59",
                }
            )
        self.assertEqual(open_ticket.sla_deadline, datetime(2026, 11, 24, 15, 0))
        self.assertEqual(answered.sla_deadline, datetime(2026, 11, 23, 15, 0))

    def test_company_calendar_without_team_calendar(self):
        """Without a team calendar, the company's working hours count."""
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_mint_plus, team_id=False)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 10, 0))

    def test_ticket_uses_its_own_company_calendar_and_tier(self):
        """A ticket of another company counts on that company's office hours
        (mornings only) and tier, not on the customer's tier elsewhere."""
        other = self.env["res.company"].create({"name": "Mint Romandie"})
        mornings = self.calendar.copy(
            {"name": "Mornings", "company_id": other.id, "attendance_ids": False}
        )
        mornings.attendance_ids = [
            Command.create(
                {
                    "name": f"{day}",
                    "dayofweek": str(day),
                    "hour_from": 8,
                    "hour_to": 12,
                    "day_period": "morning",
                }
            )
            for day in range(5)
        ]
        other_plus = self.tier_mint_plus.copy({"company_id": other.id})
        other.write(
            {
                "resource_calendar_id": mornings.id,
                "support_default_tier_id": other_plus.id,
            }
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Romandie", "company_id": other.id}
        )
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(
                self.tier_mint_plus, team_id=team.id, company_id=other.id, user_id=False
            )
        self.assertEqual(ticket.sla_tier_id, other_plus)
        # Friday afternoon is closed there: Monday 08:00 + 4 h = 12:00 in Zurich.
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 11, 0))

    def test_no_tier_no_sla_unless_default(self):
        """No tier, no deadline, unless the company sets a default tier."""
        stranger = self.env["res.partner"].create({"name": "Stranger"})
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(partner_id=stranger.id)
        self.assertFalse(ticket.sla_tier_id)
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(ticket.sla_status, "no_sla")
        self.env.company.support_default_tier_id = self.tier_basis
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(partner_id=stranger.id)
        self.assertEqual(ticket.sla_tier_id, self.tier_basis)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def test_first_response_met(self):
        """An agent's public reply before the deadline meets the SLA."""
        with freeze_time("2026-11-23 07:00:00"):  # Monday 08:00
            ticket = self._ticket(self.tier_mint_plus)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 11, 0))
        with freeze_time("2026-11-23 09:00:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_first_response_date, datetime(2026, 11, 23, 9, 0))
        self.assertEqual(ticket.sla_status, "met")
        with freeze_time("2026-11-23 10:00:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_first_response_date, datetime(2026, 11, 23, 9, 0))

    def test_first_response_breached_for_good(self):
        """A reply after the deadline leaves the SLA breached, whatever happens next."""
        with freeze_time("2026-11-23 07:00:00"):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 12:30:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_status, "breached")
        with freeze_time("2026-11-23 13:00:00"):
            ticket.stage_id = self.stage_awaiting
            ticket.stage_id = self.stage_progress
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_status, "breached")

    def test_internal_note_and_customer_message_do_not_count(self):
        """Internal notes and the customer's own messages are not a response."""
        with freeze_time("2026-11-23 07:00:00"):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(ticket, subtype="mail.mt_note")
            ticket.message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.customers[self.tier_mint_plus].id,
            )
            self.assertEqual(ticket.sla_status, "ongoing")
        self.assertFalse(ticket.sla_first_response_date)

    def test_pause_stage_moves_deadline(self):
        """Waiting for the customer moves the deadline by the paused time."""
        with freeze_time("2026-11-23 07:00:00"):  # Monday 08:00 local, due 12:00
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 08:00:00"):  # 09:00 local
            ticket.stage_id = self.stage_awaiting
            self.assertEqual(ticket.sla_status, "paused")
        with freeze_time("2026-11-23 12:15:00"):  # past the old deadline, still paused
            self.env["helpdesk.ticket"]._cron_sla_escalate()
            self.assertEqual(ticket.sla_status, "paused")
        self.assertFalse(ticket.activity_ids)
        with freeze_time(
            "2026-11-23 12:30:00"
        ):  # 13:30 local: 3.5 working hours paused
            ticket.stage_id = self.stage_progress
            self.assertEqual(ticket.sla_status, "ongoing")
        self.assertEqual(ticket.sla_paused_hours, 3.5)
        # 12:00 local + 3.5 working hours, over lunch: 16:30 local
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 30))
        with freeze_time("2026-11-23 14:00:00"):  # 15:00 local
            self._answer(ticket)
        self.assertEqual(ticket.sla_status, "met")

    def test_partner_set_before_response_reevaluates(self):
        """A customer set before the response sets the deadline; later not."""
        with freeze_time(FRIDAY_16):
            ticket = self._ticket()
            self.assertEqual(ticket.sla_status, "no_sla")
            ticket.partner_id = self.customers[self.tier_mint]
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 0))
        with freeze_time("2026-11-20 15:30:00"):
            ticket.partner_id = self.customers[self.tier_mint_plus]
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 10, 0))
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(ticket)
            ticket.partner_id = self.customers[self.tier_basis]
        self.assertEqual(ticket.sla_tier_id, self.tier_mint_plus)
        self.assertEqual(ticket.sla_status, "met")

    def test_tier_change_does_not_move_existing_deadline(self):
        """A customer's upgrade does not move the deadline of an open ticket."""
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_basis)
        self.customers[self.tier_basis].parent_id.support_tier_id = self.tier_mint_plus
        self.assertEqual(ticket.sla_tier_id, self.tier_basis)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def test_agents_cannot_set_the_sla_by_hand(self):
        """Creating, changing or importing a ticket with SLA values is refused
        with a clear message and writes nothing; a duplicated ticket gets an
        SLA of its own, counted from its creation."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_basis).with_user(self.agent)
        with self.assertRaisesRegex(AccessError, "Response Deadline"):
            ticket.write({"name": "Urgent", "sla_deadline": "2026-12-31 08:00:00"})
        with self.assertRaisesRegex(AccessError, "Support Tier"):
            Ticket.create(
                {
                    "name": "Mine",
                    "description": "x",
                    "sla_tier_id": self.tier_mint_plus.id,
                }
            )
        with mute_logger("odoo.sql_db"):
            result = Ticket.load(
                ["name", "description", "sla_first_response_date"],
                [["Imported", "x", "2026-11-20"]],
            )
        self.assertFalse(result["ids"])
        self.assertIn("kept by Odoo", result["messages"][0]["message"])
        self.assertEqual(ticket.name, "Help")
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))
        self.assertFalse(Ticket.search([("name", "in", ("Mine", "Imported"))]))
        with freeze_time("2026-11-23 08:00:00"):
            copy = ticket.copy()
        self.assertEqual(copy.sla_tier_id, self.tier_basis)
        self.assertEqual(copy.sla_start, datetime(2026, 11, 23, 8, 0))
        self.assertEqual(copy.sla_deadline, datetime(2026, 11, 26, 8, 0))

    def test_escalation_notifies_once_per_status(self):
        """At risk and breached each notify assignee and account manager once."""
        with freeze_time("2026-11-23 07:00:00"):  # due 11:00 UTC, at risk from 10:00
            ticket = self._ticket(self.tier_mint_plus)
            quiet = self._ticket(self.tier_mint)
        self.assertEqual(ticket.sla_risk_date, datetime(2026, 11, 23, 10, 0))
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-11-23 09:30:00"):
            Ticket._cron_sla_escalate()
        self.assertFalse(ticket.activity_ids)
        with freeze_time("2026-11-23 10:15:00"):
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_status, "at_risk")
        self.assertEqual(
            sorted(ticket.activity_ids.user_id.ids),
            sorted((self.agent | self.account_manager).ids),
        )
        self.assertFalse(quiet.activity_ids)
        with freeze_time("2026-11-23 11:15:00"):
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_status, "breached")
        self.assertEqual(len(ticket.activity_ids), 4)
        self.assertIn(
            "Breached", ticket.activity_ids[-1].summary + ticket.activity_ids[0].summary
        )

    def test_escalation_survives_broken_ticket(self):
        """One ticket failing to notify does not stop the others."""
        with freeze_time("2026-11-23 07:00:00"):
            broken = self._ticket(self.tier_mint_plus)
            fine = self._ticket(self.tier_mint_plus)
        original = type(broken)._sla_notify

        def notify(records):
            if records == broken:
                raise ValueError("mail server down")
            return original(records)

        with (
            freeze_time("2026-11-23 11:15:00"),
            patch.object(type(broken), "_sla_notify", notify),
            mute_logger("odoo.addons.mint_support_contract.models.helpdesk_ticket"),
        ):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertTrue(fine.activity_ids)
        self.assertFalse(broken.activity_ids)
        self.assertFalse(broken.sla_notified_status)

    def test_search_filters(self):
        """Breached, at risk, met and due-today searches return the right tickets."""
        with freeze_time("2026-11-23 07:00:00"):
            met = self._ticket(self.tier_mint_plus)
            breached = self._ticket(self.tier_mint_plus)
            at_risk = self._ticket(self.tier_mint)
            later = self._ticket(self.tier_basis)
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(met)
        with freeze_time("2026-11-24 06:15:00"):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        mine = [("id", "in", (met | breached | at_risk | later).ids)]
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(
            Ticket.search(mine + [("sla_status", "=", "breached")]), breached
        )
        self.assertEqual(
            Ticket.search(mine + [("sla_status", "=", "at_risk")]), at_risk
        )
        self.assertEqual(Ticket.search(mine + [("sla_status", "=", "met")]), met)
        groups = Ticket.read_group(mine, ["sla_tier_id"], ["sla_tier_id"])
        self.assertEqual(
            {g["sla_tier_id"][0]: g["sla_tier_id_count"] for g in groups},
            {self.tier_mint_plus.id: 2, self.tier_mint.id: 1, self.tier_basis.id: 1},
        )
        due_monday = mine + [
            ("sla_first_response_date", "=", False),
            ("sla_deadline", ">=", "2026-11-22 23:00:00"),
            ("sla_deadline", "<", "2026-11-23 23:00:00"),
        ]
        self.assertEqual(Ticket.search(due_monday), breached)

    def test_mail_gateway_ticket(self):
        """A ticket e-mailed by a MINT customer's contact gets MINT's deadline."""
        contact = self.customers[self.tier_mint]
        raw = (
            f"From: {contact.name} <{contact.email}>\r\n"
            "To: support@mint-system.ch\r\n"
            "Subject: Printer does not print\r\n"
            "Message-ID: <sla-gateway-1@customer.example.com>\r\n"
            "Date: Fri, 20 Nov 2026 16:00:00 +0100\r\n"
            "Content-Type: text/plain\r\n\r\nPlease help.\r\n"
        )
        with freeze_time(FRIDAY_16):
            ticket_id = self.env["mail.thread"].message_process(
                "helpdesk.ticket", raw, custom_values={"team_id": self.team.id}
            )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, contact)
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 0))

    @users("sla_agent")
    def test_create_many_tickets_constant_queries(self):
        """50 tickets get their deadlines in a constant number of queries."""
        partner = self.customers[self.tier_mint_plus]
        Ticket = self.env["helpdesk.ticket"]
        vals = {
            "name": "Bulk",
            "description": "<p>x</p>",
            "team_id": self.team.id,
            "partner_id": partner.id,
        }
        with freeze_time(FRIDAY_16):
            Ticket.create([vals])  # warm the caches
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            Ticket.create([vals] * 5)
            five = self.env.cr.sql_log_count - start
            self.env.invalidate_all()
            # helpdesk_mgmt itself costs a few queries per ticket (sequence,
            # followers); the SLA must add none per ticket.
            with self.assertQueryCount(five + 45 * 4):
                tickets = Ticket.create([vals] * 50)
        self.assertEqual(
            set(tickets.mapped("sla_deadline")), {datetime(2026, 11, 23, 10, 0)}
        )

    @users("sla_agent")
    def test_ticket_list_sla_columns_cost_at_most_two_queries(self):
        """The agents' ticket list with its SLA columns (tier, deadline,
        status) costs at most two queries more than without them."""
        with freeze_time(FRIDAY_16):
            self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"List {i}",
                        "description": "<p>x</p>",
                        "team_id": self.team.id,
                        "partner_id": partner.id,
                    }
                    for i, partner in enumerate(self.customers.values())
                ]
                * 10
            )
        spec = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "stage_id": {"fields": {"display_name": {}}},
        }
        sla_spec = dict(
            spec,
            sla_tier_id={"fields": {"display_name": {}}},
            sla_deadline={},
            sla_status={},
        )
        Ticket = self.env["helpdesk.ticket"]

        Ticket.web_search_read([], sla_spec, limit=80)  # warm the caches
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        Ticket.web_search_read([], spec, limit=80)
        plain = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        with self.assertQueryCount(sla_agent=plain + 2):
            Ticket.web_search_read([], sla_spec, limit=80)

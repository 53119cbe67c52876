# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged, users
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SupportContractCommon

# 2026-11-20 is a Friday; Zurich is UTC+1 in November. All datetimes are UTC.
FRIDAY_16 = "2026-11-20 15:00:00"
MONDAY_08 = "2026-11-23 07:00:00"
HOLIDAY_MONDAY = {
    "name": "Holiday",
    "date_from": "2026-11-22 23:00:00",
    "date_to": "2026-11-23 22:59:59",
}


class SlaCommon(SupportContractCommon):
    """Customers of each tier (through contracts), an agent and the stages."""

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
        cls.helpdesk_manager = mail_new_test_user(
            cls.env,
            login="sla_helpdesk_manager",
            name="Hanna Lead",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            tz="Europe/Zurich",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.customers, cls.contracts = {}, {}
        for tier in (cls.tier_basis, cls.tier_mint, cls.tier_mint_plus):
            company = cls.env["res.partner"].create(
                {
                    "name": f"{tier.name} Customer",
                    "is_company": True,
                    "support_account_manager_id": cls.account_manager.id,
                }
            )
            contact = cls.env["res.partner"].create(
                {
                    "name": f"{tier.name} Contact",
                    "parent_id": company.id,
                    "email": f"{tier.code.lower()}@customer.example.com",
                }
            )
            cls.contracts[tier] = cls._give_tier(company, tier)
            cls.customers[tier] = contact
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_awaiting = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Waiting for Customer", "sla_pause": True}
        )

    def _ticket(self, tier=None, user=None, **values):
        """A ticket an agent (by default) opens for the customer of ``tier``."""
        vals = {
            "name": "Help",
            "description": "<p>Please help</p>",
            "team_id": self.team.id,
            "user_id": self.agent.id,
        }
        if tier:
            vals["partner_id"] = self.customers[tier].id
        vals.update(values)
        return self.env["helpdesk.ticket"].with_user(user or self.agent).create(vals)

    def _answer(self, ticket, subtype="mail.mt_comment", user=None, **kwargs):
        return ticket.with_user(user or self.agent).message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid=subtype,
            **kwargs,
        )


@tagged("post_install", "-at_install")
class TestSla(SlaCommon):
    def test_worked_example_friday_afternoon(self):
        """Friday 16:00: MINT+ due Mon 11:00, MINT Mon 16:00, Basis Wed 16:00."""
        with freeze_time(FRIDAY_16):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
            basis = self._ticket(self.tier_basis)
            self.assertEqual(plus.sla_state, "ongoing")
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
            tickets.invalidate_recordset(["sla_hours_left", "sla_state"])
            self.assertEqual(tickets.mapped("sla_hours_left"), [-1.0, 3.0])
            self._answer(mint)
            tickets.invalidate_recordset(["sla_hours_left", "sla_state"])
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
            dict(HOLIDAY_MONDAY, calendar_id=self.calendar.id)
        )
        with freeze_time(FRIDAY_16):
            plus = self._ticket(self.tier_mint_plus)
            mint = self._ticket(self.tier_mint)
            basis = self._ticket(self.tier_basis)
        self.assertEqual(plus.sla_deadline, datetime(2026, 11, 24, 10, 0))
        self.assertEqual(mint.sla_deadline, datetime(2026, 11, 24, 15, 0))
        self.assertEqual(basis.sla_deadline, datetime(2026, 11, 26, 15, 0))

    def _open_and_answered(self):
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time(FRIDAY_16):
            with_team = self._ticket(self.tier_mint)
            without_team = self._ticket(self.tier_mint, team_id=False)
            answered = self._ticket(self.tier_mint)
            self._answer(answered)
        self.env.flush_all()  # the requests that created them end
        return with_team | without_team, answered

    def test_admin_adds_a_public_holiday(self):
        """An admin enters a company-wide holiday: it is saved, and the open
        tickets counted on the calendar move, with a team or without; the
        answered one keeps its deadline. Was refused as 'SLA set by hand'."""
        open_tickets, answered = self._open_and_answered()
        Leave = self.env["resource.calendar.leaves"].with_user(self.admin)
        with freeze_time(FRIDAY_16):
            Leave.create(dict(HOLIDAY_MONDAY, calendar_id=self.calendar.id))
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            open_tickets.mapped("sla_deadline"), [datetime(2026, 11, 24, 15, 0)] * 2
        )
        self.assertEqual(answered.sla_deadline, datetime(2026, 11, 23, 15, 0))
        self.assertEqual(answered.sla_state, "met")

    def test_settings_user_changes_working_hours(self):
        """A settings user without any helpdesk right shortens Monday to the
        morning: every open ticket counted on the calendar moves (the ticket
        search did not see them under their rules)."""
        settings_user = new_test_user(
            self.env, login="sla_settings", groups="base.group_system"
        )
        self.assertFalse(settings_user.has_group("helpdesk_mgmt.group_helpdesk_user"))
        open_tickets, answered = self._open_and_answered()
        monday_afternoon = self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and a.day_period == "afternoon"
        )
        with freeze_time(FRIDAY_16):
            monday_afternoon.with_user(settings_user).unlink()
            self.env.flush_all()
        self.env.invalidate_all()
        # Same time on the next working day, which now ends at 12:00.
        self.assertEqual(
            open_tickets.mapped("sla_deadline"), [datetime(2026, 11, 23, 11, 0)] * 2
        )
        self.assertEqual(answered.sla_deadline, datetime(2026, 11, 23, 15, 0))

    def test_company_wide_leave_without_calendar(self):
        """A closure entered for the company without a calendar moves the
        tickets of every calendar of that company."""
        open_tickets, _answered = self._open_and_answered()
        with freeze_time(FRIDAY_16):
            self.env["resource.calendar.leaves"].with_user(self.admin).create(
                dict(HOLIDAY_MONDAY, company_id=self.env.company.id)
            )
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            open_tickets.mapped("sla_deadline"), [datetime(2026, 11, 24, 15, 0)] * 2
        )

    def test_decided_outcomes_stay_after_setting_changes(self):
        """A new holiday, another team calendar or risk share never rewrite
        the deadline or outcome of a ticket answered or breached before."""
        with freeze_time(MONDAY_08):
            met = self._ticket(self.tier_mint_plus)
            late = self._ticket(self.tier_mint_plus)
            waiting = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(met)
        with freeze_time("2026-11-23 12:00:00"):
            self._answer(late)
        decided = {
            t: (t.sla_deadline, t.sla_risk_date, t.sla_outcome) for t in met | late
        }
        self.assertEqual([v[2] for v in decided.values()], ["met", "breached"])
        mornings = self.calendar.copy({"name": "Mornings"})
        mornings.attendance_ids.filtered(lambda a: a.day_period == "afternoon").unlink()
        with freeze_time("2026-11-23 12:30:00"):
            self.env["resource.calendar.leaves"].create(
                dict(HOLIDAY_MONDAY, company_id=self.env.company.id)
            )
            self.team.with_user(self.helpdesk_manager).resource_calendar_id = mornings
            self.env.company.support_sla_risk_share = 50
            self.env.flush_all()
        self.env.invalidate_all()
        for ticket, facts in decided.items():
            self.assertEqual(
                (ticket.sla_deadline, ticket.sla_risk_date, ticket.sla_outcome), facts
            )
        self.assertEqual(waiting.sla_calendar_id, mornings)
        # Monday off, Tuesday mornings: 4 h from Tuesday 08:00 is 12:00.
        self.assertEqual(waiting.sla_deadline, datetime(2026, 11, 24, 11, 0))
        self.assertEqual(waiting.sla_risk_date, datetime(2026, 11, 24, 9, 0))

    def test_company_calendar_without_team_calendar(self):
        """Without a team calendar, the company's working hours count."""
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_mint_plus, team_id=False)
        self.assertEqual(ticket.sla_calendar_id, self.calendar)
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
        other_plus = self.tier_mint_plus.copy(
            {"company_id": other.id, "code": "MINT_PLUS_RO"}
        )
        other.write(
            {
                "resource_calendar_id": mornings.id,
                "support_default_tier_id": other_plus.id,
            }
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Romandie", "company_id": other.id}
        )
        agent = new_test_user(
            self.env,
            login="sla_romandie",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(
                self.tier_mint_plus,
                user=agent,
                team_id=team.id,
                company_id=other.id,
                user_id=False,
            )
        self.assertEqual(ticket.sla_tier_id, other_plus)
        # Friday afternoon is closed there: Monday 08:00 + 4 h = 12:00 in Zurich.
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 11, 0))

    def test_no_tier_no_sla_unless_default(self):
        """No tier, no deadline and no SLA state, unless the company sets a
        default tier."""
        stranger = self.env["res.partner"].create({"name": "Stranger"})
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(partner_id=stranger.id)
        self.assertFalse(ticket.sla_tier_id)
        self.assertFalse(ticket.sla_deadline)
        self.assertFalse(ticket.sla_state)
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"].search([("sla_state", "=", False)]),
        )
        self.env.company.support_default_tier_id = self.tier_basis
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(partner_id=stranger.id)
        self.assertEqual(ticket.sla_tier_id, self.tier_basis)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def test_first_response_met(self):
        """An agent's public reply before the deadline meets the SLA and
        records the working time it took."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 11, 0))
        with freeze_time("2026-11-23 09:00:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_first_response_date, datetime(2026, 11, 23, 9, 0))
        self.assertEqual(ticket.sla_response_hours, 2.0)
        self.assertEqual(ticket.sla_outcome, "met")
        self.assertEqual(ticket.sla_state, "met")
        with freeze_time("2026-11-23 10:00:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_first_response_date, datetime(2026, 11, 23, 9, 0))

    def test_first_response_breached_for_good(self):
        """A reply after the deadline leaves the SLA breached, whatever happens next."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 12:30:00"):
            self._answer(ticket)
        self.assertEqual(ticket.sla_state, "breached")
        with freeze_time("2026-11-23 13:00:00"):
            ticket.with_user(self.agent).stage_id = self.stage_awaiting
            ticket.with_user(self.agent).stage_id = self.stage_progress
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_outcome, "breached")

    def test_only_an_agents_own_public_reply_counts(self):
        """Internal notes, the customer's messages, e-mails coming in (even
        from an agent's address) and automated messages are no response."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(ticket, subtype="mail.mt_note")
            ticket.message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.customers[self.tier_mint_plus].id,
            )
            ticket.message_post(body="Automated reminder", message_type="comment")
            raw = (
                f"From: Sam Agent <{self.agent.email}>\r\n"
                "To: support@mint-system.ch\r\n"
                f"Subject: Re: {ticket.name}\r\n"
                f"In-Reply-To: {ticket.message_ids[-1].message_id}\r\n"
                "Message-ID: <sla-agent-mail@example.com>\r\n"
                "Content-Type: text/plain\r\n\r\nAnswered by mail.\r\n"
            )
            self.env["mail.thread"].message_process("helpdesk.ticket", raw)
            self.assertEqual(ticket.sla_state, "ongoing")
        self.assertFalse(ticket.sla_first_response_date)

    def test_back_dated_reply_counts_at_server_time(self):
        """An agent posting a reply with an earlier date gets the server's
        time as first response: the SLA is breached, not met."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 12:00:00"):
            self._answer(ticket, date=datetime(2026, 11, 23, 8, 0))
        self.assertEqual(ticket.sla_first_response_date, datetime(2026, 11, 23, 12, 0))
        self.assertEqual(ticket.sla_outcome, "breached")

    def test_pause_stage_moves_deadline(self):
        """Waiting for the customer moves the deadline by the paused time."""
        with freeze_time(MONDAY_08):  # Monday 08:00 local, due 12:00
            ticket = self._ticket(self.tier_mint_plus)
        as_agent = ticket.with_user(self.agent)
        with freeze_time("2026-11-23 08:00:00"):  # 09:00 local
            as_agent.stage_id = self.stage_awaiting
            self.assertEqual(ticket.sla_state, "paused")
            self.assertFalse(ticket.sla_due_date)
        with freeze_time("2026-11-23 12:15:00"):  # past the old deadline, still paused
            self.env["helpdesk.ticket"]._cron_sla_escalate()
            ticket.invalidate_recordset(["sla_state"])
            self.assertEqual(ticket.sla_state, "paused")
        self.assertFalse(ticket.activity_ids)
        with freeze_time("2026-11-23 12:30:00"):  # 13:30 local: 3.5 h paused
            as_agent.stage_id = self.stage_progress
            ticket.invalidate_recordset(["sla_state"])
            self.assertEqual(ticket.sla_state, "ongoing")
        self.assertEqual(ticket.sla_paused_hours, 3.5)
        # 12:00 local + 3.5 working hours, over lunch: 16:30 local
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 30))
        self.assertEqual(ticket.sla_due_date, ticket.sla_deadline)
        with freeze_time("2026-11-23 14:00:00"):  # 15:00 local
            self._answer(ticket)
        self.assertEqual(ticket.sla_state, "met")
        self.assertEqual(ticket.sla_response_hours, 2.5)

    def test_pausing_after_the_deadline_is_a_breach(self):
        """Moving an overdue ticket to 'waiting for customer' does not stop
        the clock: it is breached."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 11:30:00"):
            ticket.with_user(self.agent).stage_id = self.stage_awaiting
        self.assertEqual(ticket.sla_outcome, "breached")
        self.assertFalse(ticket.sla_pause_start)

    def test_partner_set_before_response_reevaluates(self):
        """A customer set before the response sets the deadline; later not."""
        with freeze_time(FRIDAY_16):
            ticket = self._ticket()
            self.assertFalse(ticket.sla_state)
            ticket.with_user(self.agent).partner_id = self.customers[self.tier_mint]
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 0))
        with freeze_time("2026-11-20 15:30:00"):
            ticket.with_user(self.agent).partner_id = self.customers[
                self.tier_mint_plus
            ]
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 10, 0))
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(ticket)
            ticket.with_user(self.agent).partner_id = self.customers[self.tier_basis]
        self.assertEqual(ticket.sla_tier_id, self.tier_mint_plus)
        self.assertEqual(ticket.sla_state, "met")

    def test_tier_change_does_not_move_existing_deadline(self):
        """A customer's upgrade does not move the deadline of an open ticket."""
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_basis)
            company = self.customers[self.tier_basis].parent_id
            self.contracts[self.tier_basis].contract_line_ids.date_end = "2026-11-19"
            self._give_tier(company, self.tier_mint_plus, "2026-11-20")
        self.assertEqual(company.support_tier_id, self.tier_mint_plus)
        self.assertEqual(ticket.sla_tier_id, self.tier_basis)
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def test_nobody_sets_the_sla_by_hand(self):
        """Agents, helpdesk managers and admins creating, changing or
        importing a ticket with SLA values get a clear message and nothing is
        written; a duplicated ticket gets an SLA of its own."""
        with freeze_time(FRIDAY_16):
            ticket = self._ticket(self.tier_basis)
        for user in (self.agent, self.helpdesk_manager, self.admin):
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            mine = ticket.with_user(user)
            with self.subTest(user=user.login):
                for vals in (
                    {"sla_deadline": "2026-12-31 08:00:00"},
                    {"sla_outcome": "met"},
                    {"sla_first_response_date": "2026-11-20 15:05:00"},
                    {"sla_tier_id": self.tier_mint_plus.id},
                    {"sla_calendar_id": False},
                    {"sla_due_date": False},
                ):
                    with self.assertRaisesRegex(AccessError, "kept by Odoo"):
                        mine.write(dict(vals, name="Urgent"))
                with self.assertRaisesRegex(AccessError, "Support Tier"):
                    Ticket.create(
                        {
                            "name": "Mine",
                            "description": "x",
                            "sla_tier_id": self.tier_mint_plus.id,
                        }
                    )
                with self.assertRaises(AccessError):
                    mine.copy({"sla_start": "2026-11-19 08:00:00"})
                with mute_logger("odoo.sql_db"):
                    result = Ticket.load(
                        ["name", "description", "sla_first_response_date"],
                        [["Imported", "x", "2026-11-20"]],
                    )
                self.assertFalse(result["ids"])
                self.assertIn("kept by Odoo", result["messages"][0]["message"])
        self.assertEqual(ticket.name, "Help")
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 25, 15, 0))
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "in", ("Mine", "Imported"))])
        )
        with freeze_time("2026-11-23 08:00:00"):
            copy = ticket.with_user(self.agent).copy()
        self.assertEqual(copy.sla_tier_id, self.tier_basis)
        self.assertEqual(copy.sla_start, datetime(2026, 11, 23, 8, 0))
        self.assertEqual(copy.sla_deadline, datetime(2026, 11, 26, 8, 0))

    def test_mail_gateway_cannot_forge_the_sla(self):
        """A ticket e-mailed by a MINT customer's contact gets MINT's deadline
        from the server's time, whatever its Date header or the custom values
        the gateway passes say."""
        contact = self.customers[self.tier_mint]
        raw = (
            f"From: {contact.name} <{contact.email}>\r\n"
            "To: support@mint-system.ch\r\n"
            "Subject: Printer does not print\r\n"
            "Message-ID: <sla-gateway-1@customer.example.com>\r\n"
            "Date: Mon, 02 Nov 2026 08:00:00 +0100\r\n"
            "Content-Type: text/plain\r\n\r\nPlease help.\r\n"
        )
        forged = {
            "team_id": self.team.id,
            "sla_tier_id": self.tier_mint_plus.id,
            "sla_start": "2026-11-30 08:00:00",
            "sla_outcome": "met",
            "sla_first_response_date": "2026-11-20 15:01:00",
        }
        with (
            freeze_time(FRIDAY_16),
            mute_logger("odoo.addons.mint_support_contract.models.system_fields"),
        ):
            ticket_id = self.env["mail.thread"].message_process(
                "helpdesk.ticket", raw, custom_values=forged
            )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, contact)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.sla_tier_id, self.tier_mint)
        self.assertEqual(ticket.sla_start, datetime(2026, 11, 20, 15, 0))
        self.assertEqual(ticket.sla_deadline, datetime(2026, 11, 23, 15, 0))
        self.assertFalse(ticket.sla_first_response_date)
        self.assertFalse(ticket.sla_outcome)

    def _sla_notifications(self, ticket, user):
        """The states ``user`` was notified of on ``ticket``: the
        notifications Odoo sends for an activity assigned."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ],
            order="id",
        )
        return [
            state
            for message in messages
            for state in ("At Risk", "Breached")
            if f"SLA {state}:" in message.subject
        ]

    def _escalate_at_risk_then_breached(self):
        with freeze_time(MONDAY_08):  # due 11:00 UTC, at risk from 10:00
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
        self.assertEqual(
            sorted(ticket.activity_ids.user_id.ids),
            sorted((self.agent | self.account_manager).ids),
        )
        self.assertFalse(quiet.activity_ids)
        self.assertFalse(ticket.sla_outcome)
        with freeze_time("2026-11-24 07:15:00"):  # the next morning
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        return ticket

    def test_escalation_notifies_once_per_state(self):
        """At risk and breached each notify assignee and account manager once,
        on one to-do per person that says the latest state and is due the day
        of the breach; the passed deadline is stored as a breach."""
        ticket = self._escalate_at_risk_then_breached()
        self.assertEqual(ticket.sla_outcome, "breached")
        todos = ticket.activity_ids
        self.assertEqual(
            sorted(todos.user_id.ids), sorted((self.agent | self.account_manager).ids)
        )
        self.assertEqual(
            todos.activity_type_id,
            self.env.ref("mint_support_contract.mail_activity_type_sla_response"),
        )
        for todo in todos:
            self.assertTrue(todo.summary.startswith("SLA Breached: respond by"))
            self.assertEqual(str(todo.date_deadline), "2026-11-24")
        for user in self.agent | self.account_manager:
            self.assertEqual(
                self._sla_notifications(ticket, user), ["At Risk", "Breached"]
            )
        # The agent sees theirs among their to-dos.
        mine = (
            self.env["mail.activity"]
            .with_user(self.agent)
            .search([("user_id", "=", self.agent.id)])
        )
        self.assertIn(todos.filtered(lambda a: a.user_id == self.agent), mine)

    def test_todo_in_the_language_of_its_person(self):
        """The account manager reads Swiss German: their to-do says so in
        their language and time zone, the agent's in English."""
        self.env["res.lang"]._activate_lang("de_CH")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_CH"], overwrite=True
        )
        self.account_manager.write({"lang": "de_CH", "tz": "Europe/Zurich"})
        ticket = self._escalate_at_risk_then_breached()
        todos = {todo.user_id: todo.summary for todo in ticket.activity_ids}
        self.assertEqual(
            todos[self.account_manager], "SLA Verletzt: antworten bis 23.11.26, 12:00"
        )
        self.assertEqual(
            todos[self.agent], "SLA Breached: respond by 11/23/26, 12:00 PM"
        )

    def test_first_response_marks_the_todos_done(self):
        """The agent's answer is the response the to-dos asked for: theirs and
        the account manager's are done, and the chatter says so."""
        ticket = self._escalate_at_risk_then_breached()
        with freeze_time("2026-11-24 07:30:00"):
            self._answer(ticket)
        self.assertTrue(ticket.sla_first_response_date)
        self.assertFalse(ticket.activity_ids)
        done = ticket.message_ids.filtered(
            lambda m: (
                m.mail_activity_type_id
                == self.env.ref("mint_support_contract.mail_activity_type_sla_response")
            )
        )
        self.assertEqual(len(done), 2)
        self.assertEqual(done.author_id, self.agent.partner_id)
        # The next escalation leaves the answered ticket alone.
        with freeze_time("2026-11-24 09:00:00"):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertFalse(ticket.activity_ids)

    def test_closing_unanswered_removes_the_todos(self):
        """An agent closing a ticket unanswered: no response is due, the
        to-dos go; an internal note does not end them."""
        ticket = self._escalate_at_risk_then_breached()
        self._answer(ticket, subtype="mail.mt_note")
        self.assertEqual(len(ticket.activity_ids), 2)
        ticket.with_user(self.agent).write({"stage_id": self.stage_done.id})
        self.assertFalse(ticket.activity_ids)
        self.assertEqual(ticket.sla_outcome, "breached")

    def test_reassigned_ticket_hands_over_the_todo(self):
        """A helpdesk manager gives an escalated ticket to another agent: the
        agent's to-do goes to them (notified as Odoo does), the account
        manager keeps theirs, and the breach reaches the new assignee."""
        other = mail_new_test_user(
            self.env,
            login="sla_other_agent",
            name="Olga Agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 10:15:00"):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        ticket.with_user(self.helpdesk_manager).write({"user_id": other.id})
        self.assertEqual(
            sorted(ticket.activity_ids.user_id.ids),
            sorted((other | self.account_manager).ids),
        )
        self.assertEqual(len(ticket.activity_ids), 2)
        with freeze_time("2026-11-24 07:15:00"):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertEqual(len(ticket.activity_ids), 2)
        self.assertEqual(
            self._sla_notifications(ticket, other), ["At Risk", "Breached"]
        )
        self.assertEqual(self._sla_notifications(ticket, self.agent), ["At Risk"])
        # Given to the account manager, who has one already: one is enough.
        ticket.with_user(self.helpdesk_manager).write(
            {"user_id": self.account_manager.id}
        )
        self.assertEqual(ticket.activity_ids.user_id, self.account_manager)
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_customers_are_never_assignees(self):
        """helpdesk_mgmt assigns a new ticket to whoever creates it. A customer
        who e-mails support (the gateway acts as their user) or writes from
        the portal was the ticket's assignee, and got the escalation's
        to-do. Now the ticket is unassigned and the team leader gets it."""
        contact = self.customers[self.tier_mint]
        portal = new_test_user(
            self.env,
            login="sla_portal_mint",
            groups="base.group_portal",
            partner_id=contact.id,
            email=contact.email,
        )
        self.team.user_id = self.helpdesk_manager
        raw = (
            f"From: {contact.name} <{contact.email}>\r\n"
            "To: support@mint-system.ch\r\n"
            "Subject: Printer does not print\r\n"
            "Message-ID: <sla-assignee-1@customer.example.com>\r\n"
            "Content-Type: text/plain\r\n\r\nPlease help.\r\n"
        )
        with freeze_time(MONDAY_08):
            mailed = self.env["helpdesk.ticket"].browse(
                self.env["mail.thread"].message_process(
                    "helpdesk.ticket", raw, custom_values={"team_id": self.team.id}
                )
            )
            # As the portal's form creates it.
            written = (
                self.env["helpdesk.ticket"]
                .with_user(portal)
                .sudo()
                .create(
                    {
                        "name": "From the portal",
                        "description": "<p>Help</p>",
                        "team_id": self.team.id,
                        "partner_id": contact.id,
                    }
                )
            )
        for ticket in mailed | written:
            self.assertEqual(ticket.create_uid.login, portal.login)
            self.assertFalse(ticket.user_id)
        with freeze_time("2026-11-24 16:00:00"):  # past MINT's 24 hours
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        for ticket in mailed | written:
            self.assertEqual(ticket.activity_ids.user_id, self.helpdesk_manager)
            self.assertFalse(self._sla_notifications(ticket, portal))
        # Nor Odoo's system user, for tickets a scheduled action creates.
        system = self.env.ref("base.user_root")
        made = (
            self.env["helpdesk.ticket"]
            .with_user(system)
            .create({"name": "From a scheduled action", "description": "<p>x</p>"})
        )
        self.assertFalse(made.user_id)

    def test_escalation_survives_broken_ticket(self):
        """One ticket failing to notify does not stop the others."""
        with freeze_time(MONDAY_08):
            broken = self._ticket(self.tier_mint_plus)
            fine = self._ticket(self.tier_mint_plus)
        original = type(broken)._sla_notify

        def notify(records, todos):
            if records == broken:
                raise ValueError("mail server down")
            return original(records, todos)

        with (
            freeze_time("2026-11-23 11:15:00"),
            patch.object(type(broken), "_sla_notify", notify),
            mute_logger("odoo.addons.mint_support_contract.models.helpdesk_ticket"),
        ):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
        self.assertTrue(fine.activity_ids)
        self.assertFalse(broken.activity_ids)
        self.assertFalse(broken.sla_notified_state)

    def test_states_are_exact_at_the_second_without_cron(self):
        """'At risk' from the second its risk time passes, 'breached' the
        second after its deadline: in filters and on the record, no cron."""
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
        risk, deadline = ticket.sla_risk_date, ticket.sla_deadline
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        second = timedelta(seconds=1)
        for moment, state in (
            (risk - second, "ongoing"),
            (risk, "at_risk"),
            (deadline, "at_risk"),
            (deadline + second, "breached"),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                ticket.invalidate_recordset(["sla_state"])
                self.assertEqual(ticket.sla_state, state)
                for other in ("ongoing", "at_risk", "breached", "paused", "met"):
                    found = Ticket.search(
                        [("id", "=", ticket.id), ("sla_state", "=", other)]
                    )
                    self.assertEqual(bool(found), other == state, other)
                self.assertTrue(
                    Ticket.search([("id", "=", ticket.id), ("sla_state", "!=", "met")])
                )

    def test_search_filters(self):
        """Breached, at risk, met and due-today searches return the right tickets."""
        with freeze_time(MONDAY_08):
            met = self._ticket(self.tier_mint_plus)
            breached = self._ticket(self.tier_mint_plus)
            at_risk = self._ticket(self.tier_mint)
            later = self._ticket(self.tier_basis)
        with freeze_time("2026-11-23 08:00:00"):
            self._answer(met)
        mine = [("id", "in", (met | breached | at_risk | later).ids)]
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        with freeze_time("2026-11-24 06:15:00"):
            self.assertEqual(
                Ticket.search(mine + [("sla_state", "=", "breached")]), breached
            )
            self.assertEqual(
                Ticket.search(mine + [("sla_state", "=", "at_risk")]), at_risk
            )
            self.assertEqual(
                Ticket.search(mine + [("sla_state", "in", ("met", "ongoing"))]),
                met | later,
            )
        due_monday = mine + [
            ("sla_due_date", ">=", "2026-11-22 23:00:00"),
            ("sla_due_date", "<", "2026-11-23 23:00:00"),
        ]
        self.assertEqual(Ticket.search(due_monday), breached)
        self.assertEqual(
            Ticket.search(mine, order="sla_due_date, id"),
            breached | at_risk | later | met,
            "open tickets by what is due next, answered ones last",
        )

    def test_closed_unanswered_is_cancelled_not_met(self):
        """A ticket its customer closes before any answer is cancelled, one
        closed after its deadline is breached; reopened and answered, neither
        becomes met."""
        with freeze_time(MONDAY_08):
            early = self._ticket(self.tier_mint_plus)
            late = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-23 08:00:00"):
            early.sudo().stage_id = self.stage_done
        with freeze_time("2026-11-23 12:00:00"):
            late.sudo().stage_id = self.stage_done
        self.assertEqual(early.sla_outcome, "cancelled")
        self.assertEqual(late.sla_outcome, "breached")
        self.assertFalse(early.sla_first_response_date)
        with freeze_time("2026-11-23 12:30:00"):
            for ticket in early | late:
                ticket.with_user(self.agent).stage_id = self.stage_progress
                self._answer(ticket)
        self.assertEqual(early.sla_state, "cancelled")
        self.assertEqual(late.sla_state, "breached")
        self.assertEqual(early.sla_first_response_date, datetime(2026, 11, 23, 12, 30))


@tagged("post_install", "-at_install")
class TestSlaReport(SlaCommon):
    def test_report_figures_for_a_helpdesk_manager(self):
        """SLA Analysis shows a helpdesk manager per tier: tickets, the met
        rate over decided SLAs only (cancelled ones left out) and the average
        and 90th percentile of first-response working hours."""
        answers = {  # MINT+ due 11:00 (4 working hours)
            "2026-11-23 08:00:00": "met",  # 1 h
            "2026-11-23 09:00:00": "met",  # 2 h
            "2026-11-23 10:00:00": "met",  # 3 h
            "2026-11-23 12:30:00": "breached",  # 4.5 h, lunch excluded
        }
        with freeze_time(MONDAY_08):
            tickets = [self._ticket(self.tier_mint_plus) for _answer in answers]
            cancelled = self._ticket(self.tier_mint_plus)
            waiting = self._ticket(self.tier_mint_plus)
        for ticket, (moment, outcome) in zip(tickets, answers.items(), strict=True):
            with freeze_time(moment):
                self._answer(ticket)
            self.assertEqual(ticket.sla_outcome, outcome)
        with freeze_time("2026-11-23 08:30:00"):
            cancelled.sudo().stage_id = self.stage_done
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_manager)
        with freeze_time("2026-11-23 13:00:00"):
            [row] = Ticket.read_group(
                [("id", "in", [t.id for t in tickets] + [cancelled.id, waiting.id])],
                [
                    "sla_met_rate:avg",
                    "sla_response_hours:avg",
                    "sla_response_hours_p90:max",
                ],
                ["sla_tier_id"],
            )
        self.assertEqual(row["sla_tier_id_count"], 6)
        self.assertAlmostEqual(row["sla_met_rate"], 0.75)
        self.assertAlmostEqual(row["sla_response_hours"], (1 + 2 + 3 + 4.5) / 4)
        # 90th percentile of 1, 2, 3, 4.5 (linear interpolation): 4.05
        self.assertAlmostEqual(row["sla_response_hours_p90"], 4.05)
        fields = Ticket.fields_get(
            ["sla_met_rate", "sla_response_hours_p90"], ["aggregator"]
        )
        self.assertEqual(fields["sla_met_rate"]["aggregator"], "avg")
        self.assertEqual(fields["sla_response_hours_p90"]["aggregator"], "max")


@tagged("post_install", "-at_install")
class TestSlaAcknowledgement(SlaCommon):
    def test_acknowledgement_once_in_the_customers_language(self):
        """A new ticket's customer gets one e-mail, in German for a German
        speaker, saying when the answer is promised; none when the company
        switched it off."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_DE"], overwrite=True
        )
        contact = self.customers[self.tier_mint_plus]
        contact.write({"lang": "de_DE", "tz": "Europe/Zurich"})
        cron = self.env.ref("mint_support_contract.ir_cron_sla_acknowledge")
        mails = self.env["mail.mail"]
        with freeze_time(MONDAY_08):
            ticket = self._ticket(self.tier_mint_plus)
            ticket.with_user(self.agent).write({"name": "Export fails"})
            # Queued by the request, the scheduled job woken at once.
            self.assertFalse(mails.search([("res_id", "=", ticket.id)]))
            self.assertTrue(ticket.sla_acknowledge_due)
            self.assertTrue(
                self.env["ir.cron.trigger"].search(
                    [("cron_id", "=", cron.id), ("call_at", "<=", MONDAY_08)]
                )
            )
            self.env["helpdesk.ticket"]._cron_sla_acknowledge()
            self.env["helpdesk.ticket"]._cron_sla_acknowledge()
        sent = mails.search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(sent), 1)
        self.assertIn("Export fails", sent.body_html)
        self.assertFalse(ticket.sla_acknowledge_due)
        self.assertEqual(sent.recipient_ids, contact)
        self.assertIn("Wir antworten Ihnen bis", sent.body_html)
        self.assertIn("Mo., 23. November, 12:00", sent.body_html)
        self.assertTrue(ticket.sla_acknowledged)
        self.assertFalse(ticket.sla_first_response_date)
        self.env.company.support_sla_acknowledge = False
        with freeze_time(MONDAY_08):
            quiet = self._ticket(self.tier_mint_plus)
            self.env["helpdesk.ticket"]._cron_sla_acknowledge()
        self.assertFalse(quiet.sla_acknowledge_due)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", quiet.id)]
            )
        )

    def test_acknowledgements_go_out_in_batches(self):
        """A burst of new tickets is acknowledged in batches, each its own
        transaction; the scheduler runs the job again while some are left."""
        with freeze_time(MONDAY_08):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Burst {i}",
                        "description": "<p>x</p>",
                        "team_id": self.team.id,
                        "partner_id": self.customers[self.tier_mint].id,
                    }
                    for i in range(25)
                ]
            )
            progress = self.env["ir.cron.progress"].create(
                {
                    "cron_id": self.env.ref(
                        "mint_support_contract.ir_cron_sla_acknowledge"
                    ).id
                }
            )
            Ticket = self.env["helpdesk.ticket"].with_context(
                ir_cron_progress_id=progress.id
            )
            self.assertEqual(len(Ticket._cron_sla_acknowledge()), 20)
            self.assertEqual((progress.done, progress.remaining), (20, 5))
            self.assertEqual(len(Ticket._cron_sla_acknowledge()), 5)
            self.assertEqual((progress.done, progress.remaining), (5, 0))
        self.assertTrue(all(tickets.mapped("sla_acknowledged")))
        self.assertFalse(any(tickets.mapped("sla_acknowledge_due")))


@tagged("post_install", "-at_install")
class TestSlaQueries(SlaCommon):
    @users("sla_agent")
    def test_create_many_tickets_constant_queries(self):
        """50 tickets get their deadlines in a constant number of queries."""
        self.env.company.sudo().support_sla_acknowledge = False
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
        """The agents' ticket list with its SLA column (deadline, live state,
        risk date, outcome) costs at most two queries more than without."""
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
            sla_state={},
            sla_outcome={},
            sla_risk_date={},
            sla_first_response_date={},
        )
        Ticket = self.env["helpdesk.ticket"]
        order = "sla_due_date, priority desc, number desc, id desc"
        Ticket.web_search_read([], sla_spec, limit=80, order=order)  # warm
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        Ticket.web_search_read([], spec, limit=80, order=order)
        plain = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        with self.assertQueryCount(sla_agent=plain + 2):
            Ticket.web_search_read([], sla_spec, limit=80, order=order)

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_datetime

from .resource_calendar import HORIZON

_logger = logging.getLogger(__name__)

SLA_STATUS = [
    ("no_sla", "No SLA"),
    ("ongoing", "Ongoing"),
    ("paused", "Paused"),
    ("at_risk", "At Risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# Kept by the addon alone (as superuser): nobody sets them by hand or by RPC.
SLA_SYSTEM_FIELDS = {
    "sla_tier_id",
    "sla_start",
    "sla_deadline",
    "sla_risk_date",
    "sla_first_response_date",
    "sla_pause_start",
    "sla_paused_hours",
    "sla_status",
    "sla_notified_status",
    "sla_met_rate",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_tier_id = fields.Many2one(
        "support.tier",
        string="Support Tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The customer's tier when the ticket came in (or when its customer "
        "was set before the first response). Later tier changes do not move "
        "the deadline.",
    )
    sla_start = fields.Datetime(
        string="SLA Start",
        readonly=True,
        default=fields.Datetime.now,
        copy=False,
    )
    sla_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_sla_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Latest first response promised by the tier, counted in working "
        "time of the team's (else the company's) calendar.",
    )
    sla_risk_date = fields.Datetime(
        string="At Risk From",
        compute="_compute_sla_deadline",
        store=True,
        copy=False,
    )
    sla_first_response_date = fields.Datetime(
        string="First Response",
        readonly=True,
        copy=False,
        help="First public message an internal user posted on the ticket.",
    )
    sla_pause_start = fields.Datetime(
        string="SLA Paused Since", readonly=True, copy=False
    )
    sla_paused_hours = fields.Float(
        string="SLA Paused (working hours)", readonly=True, copy=False
    )
    sla_status = fields.Selection(
        SLA_STATUS,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        copy=False,
        index=True,
    )
    sla_notified_status = fields.Char(readonly=True, copy=False)
    sla_met_rate = fields.Float(
        string="SLA Met Rate (%)",
        compute="_compute_sla_status",
        store=True,
        aggregator="avg",
        copy=False,
        help="100 for a met SLA, 0 otherwise: its average over answered tickets "
        "is the share of tickets answered in time.",
    )
    sla_hours_left = fields.Float(
        string="Working Hours Left",
        compute="_compute_sla_hours_left",
        help="Working hours until the deadline; negative when overdue.",
    )
    support_credit_left = fields.Float(
        string="Customer's Credit Left",
        related="commercial_partner_id.support_credit_left",
    )

    @api.model
    def _sla_calendar(self, team, company):
        return team.resource_calendar_id or company.resource_calendar_id

    @api.depends(
        "sla_tier_id",
        "sla_start",
        "sla_paused_hours",
        "team_id.resource_calendar_id",
        "company_id.resource_calendar_id",
        "company_id.support_sla_risk_share",
    )
    def _compute_sla_deadline(self):
        by_calendar = defaultdict(list)
        for ticket in self:
            calendar = self._sla_calendar(ticket.team_id, ticket.company_id)
            if ticket.sla_tier_id and ticket.sla_start and calendar:
                by_calendar[calendar].append(ticket)
            else:
                ticket.sla_deadline = ticket.sla_risk_date = False
        for calendar, tickets in by_calendar.items():
            starts = [ticket.sla_start for ticket in tickets]
            working_time = calendar._sla_working_time(
                min(starts), max(starts) + HORIZON
            )
            for ticket in tickets:
                ticket._compute_sla_deadline_on(working_time)

    def _compute_sla_deadline_on(self, working_time):
        self.ensure_one()
        tier = self.sla_tier_id
        start = working_time.next_working_moment(self.sla_start)
        if start is None:
            self.sla_deadline = self.sla_risk_date = False
            return
        if tier.response_unit == "hours":
            deadline = working_time.add_hours(start, tier.response_time)
        else:
            deadline = working_time.add_days(start, int(tier.response_time))
        if deadline is None:
            self.sla_deadline = self.sla_risk_date = False
            return
        share = self.company_id.support_sla_risk_share / 100
        target_hours = working_time.hours_between(start, deadline)
        risk_date = working_time.add_hours(start, target_hours * (1 - share))
        if self.sla_paused_hours:
            deadline = working_time.add_hours(deadline, self.sla_paused_hours)
            risk_date = working_time.add_hours(risk_date, self.sla_paused_hours)
        self.sla_deadline = deadline
        self.sla_risk_date = risk_date

    @api.depends(
        "sla_deadline", "sla_risk_date", "sla_first_response_date", "sla_pause_start"
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sla_status = ticket._sla_status_at(now)
            ticket.sla_met_rate = 100.0 if ticket.sla_status == "met" else 0.0

    def _sla_status_at(self, now):
        self.ensure_one()
        if not self.sla_deadline:
            return "no_sla"
        if self.sla_first_response_date:
            return (
                "met"
                if self.sla_first_response_date <= self.sla_deadline
                else "breached"
            )
        if self.sla_deadline < (self.sla_pause_start or now):
            return "breached"
        if self.sla_pause_start:
            return "paused"
        if self.sla_risk_date and self.sla_risk_date <= now:
            return "at_risk"
        return "ongoing"

    @api.depends("sla_deadline", "sla_first_response_date")
    def _compute_sla_hours_left(self):
        """Working hours until (or, negative, since) the deadline; one working
        time fetch per calendar for the whole batch."""
        now = fields.Datetime.now()
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.sla_hours_left = 0.0
            calendar = self._sla_calendar(ticket.team_id, ticket.company_id)
            if ticket.sla_deadline and not ticket.sla_first_response_date and calendar:
                by_calendar[calendar].append(ticket)
        for calendar, tickets in by_calendar.items():
            deadlines = [ticket.sla_deadline for ticket in tickets]
            working_time = calendar._sla_working_time(
                min([now, *deadlines]), max([now, *deadlines])
            )
            for ticket in tickets:
                begin, end = sorted((now, ticket.sla_deadline))
                hours = working_time.hours_between(begin, end)
                ticket.sla_hours_left = hours if ticket.sla_deadline >= now else -hours

    @api.model
    def _sla_tier_for(self, partner, company):
        """Tier a new ticket of ``partner`` in ``company`` gets."""
        tier = partner.commercial_partner_id.support_tier_id
        if tier and tier.company_id == company:
            return tier
        return company.support_default_tier_id

    def _sla_check_system_fields(self, vals_list):
        if self.env.su:
            return
        names = set().union(*(SLA_SYSTEM_FIELDS.intersection(v) for v in vals_list))
        if names:
            raise AccessError(
                self.env._(
                    "The SLA of a ticket is kept by Odoo and cannot be set by "
                    "hand (%(fields)s): change the customer's tier, the ticket's "
                    "customer or its stage instead.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(names)
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._sla_check_system_fields(vals_list)
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        partners.commercial_partner_id.mapped("support_tier_id")  # prefetch
        vals_list = [dict(vals) for vals in vals_list]  # the caller's stay as given
        for vals in vals_list:
            if "sla_tier_id" in vals:
                continue
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if vals.get("team_id"):
                team = self.env["helpdesk.ticket.team"].browse(vals["team_id"])
                company = team.company_id or company
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["sla_tier_id"] = self._sla_tier_for(partner, company).id
        return super().create(vals_list)

    def write(self, vals):
        self._sla_check_system_fields([vals])
        if "stage_id" in vals:
            self._sla_on_stage_change(
                self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            )
        res = super().write(vals)
        if "partner_id" in vals or "company_id" in vals:
            self._sla_reevaluate_tier()
        return res

    def _sla_reevaluate_tier(self):
        """A customer set or changed before the first response gets its tier."""
        by_tier = defaultdict(lambda: self.browse())
        for ticket in self.filtered(lambda t: not t.sla_first_response_date):
            tier = self._sla_tier_for(ticket.partner_id, ticket.company_id)
            if tier != ticket.sla_tier_id:
                by_tier[tier] |= ticket
        for tier, tickets in by_tier.items():
            tickets.sudo().write({"sla_tier_id": tier.id})

    def _sla_on_stage_change(self, stage):
        """Stop the clock in 'waiting for customer' stages; resume it (and move
        the deadline by the paused working time) when leaving them. Closing
        a ticket that was never answered counts as its response."""
        now = fields.Datetime.now()
        open_tickets = self.filtered(lambda t: not t.sla_first_response_date)
        if stage.closed:
            open_tickets._sla_resume(now)
            open_tickets.sudo().write({"sla_first_response_date": now})
        elif stage.sla_pause:
            open_tickets.filtered(lambda t: not t.sla_pause_start).sudo().write(
                {"sla_pause_start": now}
            )
        else:
            open_tickets._sla_resume(now)

    def _sla_resume(self, now):
        for ticket in self.filtered("sla_pause_start"):
            calendar = self._sla_calendar(ticket.team_id, ticket.company_id)
            paused = 0.0
            if calendar:
                start = ticket.sla_pause_start
                paused = calendar._sla_working_time(start, now).hours_between(
                    start, now
                )
            ticket.sudo().write(
                {
                    "sla_pause_start": False,
                    "sla_paused_hours": ticket.sla_paused_hours + paused,
                }
            )

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message._sla_counts_as_response():
            self.filtered(lambda t: not t.sla_first_response_date).sudo().write(
                {"sla_first_response_date": message.date}
            )
        return res

    @api.model
    def _sla_recompute_for_calendars(self, calendars):
        """Working hours or holidays of ``calendars`` changed: recompute the
        deadlines of the open, unanswered tickets counted on them."""
        if not calendars:
            return self.browse()
        tickets = self.search(
            [
                ("sla_tier_id", "!=", False),
                ("sla_first_response_date", "=", False),
                ("stage_id.closed", "=", False),
                "|",
                ("team_id.resource_calendar_id", "in", calendars.ids),
                "&",
                ("team_id.resource_calendar_id", "=", False),
                ("company_id.resource_calendar_id", "in", calendars.ids),
            ]
        )
        tickets._compute_sla_deadline()
        tickets._compute_sla_status()
        return tickets

    # Escalation

    @api.model
    def _cron_sla_escalate(self):
        """Bring SLA statuses up to date and notify once per ticket and status:
        the assignee (else the team leader) and, for tiers with a direct
        account manager, that person too."""
        now = fields.Datetime.now()
        due = self.search(
            [
                ("sla_status", "in", ("ongoing", "at_risk")),
                "|",
                ("sla_deadline", "<", now),
                ("sla_risk_date", "<=", now),
            ]
        )
        due._compute_sla_status()
        to_notify = self.search(
            [
                ("sla_status", "in", ("at_risk", "breached")),
                ("sla_first_response_date", "=", False),
                ("stage_id.closed", "=", False),
            ]
        ).filtered(lambda t: t.sla_notified_status != t.sla_status)
        for ticket in to_notify:
            try:
                with self.env.cr.savepoint():
                    ticket._sla_notify()
            except Exception:
                _logger.exception("SLA escalation failed for ticket %s", ticket.id)
        return to_notify

    def _sla_notify(self):
        self.ensure_one()
        status = dict(self._fields["sla_status"]._description_selection(self.env))[
            self.sla_status
        ]
        users = self.user_id or self.team_id.user_id
        if self.sla_tier_id.channel_account_manager:
            users |= self.commercial_partner_id.support_account_manager_id
        for user in users:
            deadline = format_datetime(
                self.env, self.sla_deadline, tz=user.tz, dt_format="short"
            )
            summary = self.env._(
                "SLA %(status)s: respond by %(deadline)s",
                status=status,
                deadline=deadline,
            )
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                user_id=user.id,
            )
        self.sudo().write({"sla_notified_status": self.sla_status})

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from functools import partial

import pytz
from babel.dates import format_skeleton, format_time
from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_datetime
from odoo.tools.misc import babel_locale_parse

from . import working_time
from .concurrency import run_again_on_conflict
from .system_fields import strip_system_fields

_logger = logging.getLogger(__name__)

SLA_TODO = "mint_support_contract.mail_activity_type_sla_response"
# Acknowledgements sent per transaction of the scheduled job.
ACKNOWLEDGE_BATCH = 20

SLA_STATES = [
    ("ongoing", "Ongoing"),
    ("at_risk", "At Risk"),
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("cancelled", "Cancelled"),
]
SLA_OUTCOMES = [
    ("met", "Met"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]
# Facts of the SLA, kept by the addon alone: nobody sets them by hand, by
# RPC, by import or through the mail gateway.
SLA_SYSTEM_FIELDS = {
    "sla_tier_id",
    "sla_start",
    "sla_calendar_id",
    "sla_deadline",
    "sla_risk_date",
    "sla_first_response_date",
    "sla_response_hours",
    "sla_pause_start",
    "sla_paused_hours",
    "sla_outcome",
    "sla_due_date",
    "sla_notified_state",
    "sla_acknowledged",
    "sla_acknowledge_due",
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
    sla_start = fields.Datetime(string="SLA Start", readonly=True, copy=False)
    sla_calendar_id = fields.Many2one(
        "resource.calendar",
        string="SLA Working Hours",
        compute="_compute_sla_calendar_id",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Working hours the response time is counted in: the team's, else "
        "the company's.",
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
        help="When an agent first posted a public reply to the customer.",
    )
    sla_response_hours = fields.Float(
        string="First Response Time",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the start of the SLA to the first response, "
        "paused time deducted.",
    )
    sla_response_hours_p90 = fields.Float(
        string="First Response Time (90th percentile)",
        compute="_compute_sla_report_values",
        aggregator="max",
        help="Nine tickets out of ten were answered within this working time "
        "(working hours).",
    )
    sla_pause_start = fields.Datetime(
        string="SLA Paused Since", readonly=True, copy=False
    )
    sla_paused_hours = fields.Float(
        string="SLA Paused (working hours)", readonly=True, copy=False
    )
    sla_outcome = fields.Selection(
        SLA_OUTCOMES,
        string="SLA Outcome",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Final result, frozen once reached: met or breached at the first "
        "response (breached as soon as the deadline passed unanswered), "
        "cancelled when the ticket was closed unanswered before its deadline.",
    )
    sla_state = fields.Selection(
        SLA_STATES,
        string="SLA Status",
        compute="_compute_sla_state",
        search="_search_sla_state",
        help="Live state of the response SLA: from the current time for open "
        "tickets, the outcome once it is reached.",
    )
    sla_met_rate = fields.Float(
        string="SLA Met Rate",
        compute="_compute_sla_report_values",
        aggregator="avg",
        help="Share of the decided SLAs (met or breached) that were met.",
    )
    sla_due_date = fields.Datetime(
        string="Respond By",
        compute="_compute_sla_due_date",
        store=True,
        copy=False,
        index="btree_not_null",
        help="The deadline of a ticket still waiting for our first response "
        "(not paused, not closed): what is due next.",
    )
    sla_deadline_text = fields.Char(
        string="Response Promised",
        compute="_compute_sla_deadline_text",
        help="The deadline as the customer reads it: in their language and "
        "time zone (else the working hours').",
    )
    sla_notified_state = fields.Char(readonly=True, copy=False)
    sla_acknowledged = fields.Boolean(readonly=True, copy=False)
    sla_acknowledge_due = fields.Datetime(
        string="Acknowledgement Queued",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Queued for the acknowledgement e-mail, which a scheduled job "
        "sends moments later.",
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

    @api.depends("team_id.resource_calendar_id", "company_id.resource_calendar_id")
    def _compute_sla_calendar_id(self):
        for ticket in self:
            if ticket.sla_outcome:
                ticket.sla_calendar_id = ticket.sla_calendar_id  # frozen
            else:
                ticket.sla_calendar_id = (
                    ticket.team_id.resource_calendar_id
                    or ticket.company_id.resource_calendar_id
                )

    @api.depends(
        "sla_tier_id",
        "sla_start",
        "sla_calendar_id",
        "sla_paused_hours",
        "company_id.support_sla_risk_share",
    )
    def _compute_sla_deadline(self):
        """Deadline and risk date of undecided tickets, with one fetch of
        working time per calendar; a decided ticket keeps its own. Changes to
        a calendar's hours or holidays come in through
        :meth:`_sla_calendar_changed`."""
        by_calendar = defaultdict(list)
        for ticket in self:
            if ticket.sla_outcome:
                ticket.sla_deadline = ticket.sla_deadline  # frozen
                ticket.sla_risk_date = ticket.sla_risk_date
            elif ticket.sla_tier_id and ticket.sla_start and ticket.sla_calendar_id:
                by_calendar[ticket.sla_calendar_id].append(ticket)
            else:
                ticket.sla_deadline = ticket.sla_risk_date = False
        for calendar, tickets in by_calendar.items():
            tz = calendar._sla_tz()
            requests = [
                (
                    ticket.sla_start,
                    partial(
                        working_time.response_deadline,
                        start=ticket.sla_start,
                        target=ticket.sla_tier_id.response_time,
                        unit=ticket.sla_tier_id.response_unit,
                        tz=tz,
                        risk_share=ticket.company_id.support_sla_risk_share / 100,
                        paused_hours=ticket.sla_paused_hours,
                    ),
                )
                for ticket in tickets
            ]
            for ticket, result in zip(
                tickets, calendar._sla_solve(requests), strict=True
            ):
                ticket.sla_deadline, ticket.sla_risk_date = result or (False, False)

    @api.depends(
        "sla_deadline",
        "sla_first_response_date",
        "sla_pause_start",
        "sla_outcome",
        "stage_id.closed",
    )
    def _compute_sla_due_date(self):
        for ticket in self:
            waiting = not (
                ticket.sla_first_response_date
                or ticket.sla_pause_start
                or ticket.stage_id.closed
                or ticket.sla_outcome == "cancelled"
            )
            ticket.sla_due_date = ticket.sla_deadline if waiting else False

    @api.depends("sla_deadline", "partner_id.tz", "sla_calendar_id.tz")
    @api.depends_context("lang")
    def _compute_sla_deadline_text(self):
        locale = babel_locale_parse(self.env.lang or "en_US")
        for ticket in self:
            if not ticket.sla_deadline:
                ticket.sla_deadline_text = False
                continue
            tz = pytz.timezone(
                ticket.partner_id.tz or ticket.sla_calendar_id.sudo().tz or "UTC"
            )
            moment = pytz.utc.localize(ticket.sla_deadline)
            ticket.sla_deadline_text = "{}, {}".format(
                format_skeleton("MMMMEd", moment, tzinfo=tz, locale=locale),
                format_time(moment, "short", tzinfo=tz, locale=locale),
            )

    @api.depends("sla_deadline", "sla_risk_date", "sla_pause_start", "sla_outcome")
    def _compute_sla_state(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sla_state = ticket._sla_state_at(now)

    def _sla_state_at(self, now):
        self.ensure_one()
        if self.sla_outcome:
            return self.sla_outcome
        if not self.sla_deadline:
            return False
        if self.sla_pause_start:
            return "paused"
        if self.sla_deadline < now:
            return "breached"
        if self.sla_risk_date and self.sla_risk_date <= now:
            return "at_risk"
        return "ongoing"

    @api.model
    def _search_sla_state(self, operator, value):
        """Exact at any second, in one query: the state of an undecided
        ticket follows from the current time, its deadline and risk date."""
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(operator)
        states = [value] if operator in ("=", "!=") else list(value)
        now = fields.Datetime.now()
        undecided = [("sla_outcome", "=", False), ("sla_deadline", "!=", False)]
        running = [*undecided, ("sla_pause_start", "=", False)]
        domains = {
            "paused": [*undecided, ("sla_pause_start", "!=", False)],
            "ongoing": [
                *running,
                ("sla_deadline", ">=", now),
                "|",
                ("sla_risk_date", "=", False),
                ("sla_risk_date", ">", now),
            ],
            "at_risk": [
                *running,
                ("sla_deadline", ">=", now),
                ("sla_risk_date", "<=", now),
            ],
            "breached": expression.OR(
                [
                    [("sla_outcome", "=", "breached")],
                    [*running, ("sla_deadline", "<", now)],
                ]
            ),
            "met": [("sla_outcome", "=", "met")],
            "cancelled": [("sla_outcome", "=", "cancelled")],
            False: [("sla_outcome", "=", False), ("sla_deadline", "=", False)],
        }
        domain = expression.OR([domains[state] for state in states if state in domains])
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain or [(0, "=", 1)])]
        return domain or expression.FALSE_DOMAIN

    @api.depends("sla_outcome", "sla_response_hours")
    def _compute_sla_report_values(self):
        """Per ticket for completeness; the reports aggregate these in SQL
        (see :meth:`_read_group_select`)."""
        for ticket in self:
            ticket.sla_met_rate = 1.0 if ticket.sla_outcome == "met" else 0.0
            ticket.sla_response_hours_p90 = ticket.sla_response_hours

    def _read_group_select(self, aggregate_spec, query):
        """SLA Analysis: the met rate counts decided SLAs only (met or
        breached, not cancelled ones); response times count answered
        tickets only."""
        if aggregate_spec not in (
            "sla_met_rate:avg",
            "sla_response_hours:avg",
            "sla_response_hours_p90:max",
        ):
            return super()._read_group_select(aggregate_spec, query)
        outcome = self._field_to_sql(self._table, "sla_outcome", query)
        if aggregate_spec == "sla_met_rate:avg":
            return SQL(
                "COUNT(*) FILTER (WHERE %(outcome)s = 'met')::float / NULLIF("
                "COUNT(*) FILTER (WHERE %(outcome)s IN ('met', 'breached')), 0)",
                outcome=outcome,
            )
        hours = self._field_to_sql(self._table, "sla_response_hours", query)
        answered = self._field_to_sql(self._table, "sla_first_response_date", query)
        if aggregate_spec == "sla_response_hours:avg":
            return SQL("AVG(%s) FILTER (WHERE %s IS NOT NULL)", hours, answered)
        return SQL(
            "PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY %s)"
            " FILTER (WHERE %s IS NOT NULL)",
            hours,
            answered,
        )

    @api.depends("sla_deadline", "sla_state")
    def _compute_sla_hours_left(self):
        """Working hours until (or, negative, since) the deadline of tickets
        waiting for a response; one working time fetch per calendar."""
        now = fields.Datetime.now()
        by_calendar = defaultdict(list)
        for ticket in self:
            ticket.sla_hours_left = 0.0
            if ticket.sla_state in ("ongoing", "at_risk") or (
                ticket.sla_state == "breached" and not ticket.sla_first_response_date
            ):
                by_calendar[ticket.sla_calendar_id].append(ticket)
        for calendar, tickets in by_calendar.items():
            moments = [now, *(ticket.sla_deadline for ticket in tickets)]
            intervals = calendar._sla_intervals(min(moments), max(moments))
            for ticket in tickets:
                begin, end = sorted((now, ticket.sla_deadline))
                hours = working_time.hours_between(intervals, begin, end)
                ticket.sla_hours_left = hours if ticket.sla_deadline >= now else -hours

    # Who may set what

    def _sla_write(self, vals):
        """Write SLA facts: the addon's own path, past the check of
        :meth:`write`."""
        return super(HelpdeskTicket, self.sudo()).write(vals)

    @api.model
    def _sla_tier_for(self, partner, company):
        """Tier a new ticket of ``partner`` in ``company`` gets."""
        tier = partner.commercial_partner_id.sudo().support_tier_id
        if tier and tier.company_id == company:
            return tier
        return company.sudo().support_default_tier_id

    @api.model
    def default_get(self, fields):
        """helpdesk_mgmt assigns a new ticket to whoever creates it (its
        company option *auto assign*): never to a customer, who creates
        tickets from the portal and, through the mail gateway, by e-mail,
        nor to Odoo's system user (OdooBot: data loaded, scheduled actions),
        who answers nobody."""
        defaults = super().default_get(fields)
        user = self.env["res.users"].browse(defaults.get("user_id"))
        if user and (user.share or not user.active):
            del defaults["user_id"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = strip_system_fields(self, vals_list, SLA_SYSTEM_FIELDS)
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        partners.sudo().commercial_partner_id.mapped("support_tier_id")  # prefetch
        now = fields.Datetime.now()
        vals_list = [dict(vals) for vals in vals_list]  # the caller's stay as given
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if vals.get("team_id"):
                team = self.env["helpdesk.ticket.team"].browse(vals["team_id"])
                company = team.sudo().company_id or company
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["sla_tier_id"] = self._sla_tier_for(partner, company).id
            vals["sla_start"] = now
        tickets = super().create(vals_list)
        tickets._sla_acknowledge_later()
        return tickets

    def write(self, vals):
        [vals] = strip_system_fields(self, [vals], SLA_SYSTEM_FIELDS)
        if "stage_id" in vals:
            self._sla_on_stage_change(
                self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            )
        res = super().write(vals)
        if "partner_id" in vals or "company_id" in vals:
            self._sla_reevaluate_tier()
        if "user_id" in vals or "team_id" in vals:
            self._sla_hand_over_todos()
        return res

    # Life of the SLA

    def _sla_reevaluate_tier(self):
        """A customer set or changed before the first response gets its tier."""
        by_tier = defaultdict(lambda: self.browse())
        for ticket in self.filtered(lambda t: not t.sla_outcome):
            tier = self._sla_tier_for(ticket.partner_id, ticket.company_id)
            if tier != ticket.sla_tier_id:
                by_tier[tier] |= ticket
        for tier, tickets in by_tier.items():
            tickets._sla_write({"sla_tier_id": tier.id})

    def _sla_on_stage_change(self, stage):
        """Stop the clock in 'waiting for customer' stages; resume it (the
        deadline moves by the paused working time) when leaving them.
        Closing is not a response: a ticket closed unanswered is cancelled,
        or breached when its deadline had passed."""
        now = fields.Datetime.now()
        undecided = self.filtered(lambda t: t.sla_deadline and not t.sla_outcome)
        late = undecided.filtered(lambda t: t.sla_deadline < now)
        if stage.closed:
            self.sudo().activity_unlink([SLA_TODO])  # no response is due any more
            undecided._sla_resume(now)
            late._sla_write({"sla_outcome": "breached"})
            (undecided - late)._sla_write({"sla_outcome": "cancelled"})
        elif stage.sla_pause:
            late.filtered(lambda t: not t.sla_pause_start)._sla_write(
                {"sla_outcome": "breached"}
            )
            (undecided - late).filtered(lambda t: not t.sla_pause_start)._sla_write(
                {"sla_pause_start": now}
            )
        else:
            undecided._sla_resume(now)

    def _sla_resume(self, now):
        """End the pause of paused tickets: their deadline moves on by the
        working time paused."""
        by_calendar = defaultdict(list)
        for ticket in self.filtered("sla_pause_start"):
            by_calendar[ticket.sla_calendar_id].append(ticket)
        for calendar, tickets in by_calendar.items():
            intervals = calendar and calendar._sla_intervals(
                min(ticket.sla_pause_start for ticket in tickets), now
            )
            for ticket in tickets:
                paused = intervals and working_time.hours_between(
                    intervals, ticket.sla_pause_start, now
                )
                ticket._sla_write(
                    {
                        "sla_pause_start": False,
                        "sla_paused_hours": ticket.sla_paused_hours + (paused or 0.0),
                    }
                )

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if not self.sla_first_response_date and message._sla_counts_as_response():
            self._sla_record_response(fields.Datetime.now())
        return res

    def _sla_record_response(self, now):
        """The first response: the server time, whatever date the message
        carries; decides the SLA unless it already is."""
        answered = self.filtered(lambda t: not t.sla_first_response_date)
        for ticket in answered:
            vals = {"sla_first_response_date": now}
            if ticket.sla_deadline and ticket.sla_calendar_id:
                until = ticket.sla_pause_start or now
                intervals = ticket.sla_calendar_id._sla_intervals(
                    ticket.sla_start, until
                )
                worked = working_time.hours_between(intervals, ticket.sla_start, until)
                vals["sla_response_hours"] = max(worked - ticket.sla_paused_hours, 0.0)
                if not ticket.sla_outcome:
                    vals["sla_outcome"] = (
                        "met" if now <= ticket.sla_deadline else "breached"
                    )
            ticket._sla_write(vals)
        # The escalation's to-dos are done, by whoever answered.
        answered.sudo().activity_feedback([SLA_TODO])

    @api.model
    def _sla_calendar_changed(self, calendars):
        """Working hours or holidays of ``calendars`` changed: the deadlines
        of the undecided tickets counted on them are computed anew, by
        Odoo's recompute, whoever made the change."""
        if not calendars:
            return
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sla_calendar_id", "in", calendars.ids),
                    ("sla_outcome", "=", False),
                ]
            )
        )
        for name in ("sla_deadline", "sla_risk_date"):
            self.env.add_to_compute(self._fields[name], tickets)

    # Acknowledgement

    def _sla_to_acknowledge(self):
        """The tickets whose customer is told when the answer is promised,
        from the company's template (switched off in the settings)."""
        template = self.env.ref(
            "mint_support_contract.mail_template_ticket_acknowledgement",
            raise_if_not_found=False,
        )
        if not template or not template.active:
            return self.browse()
        return self.sudo().filtered(
            lambda t: (
                t.sla_deadline
                and not t.sla_acknowledged
                and t.company_id.support_sla_acknowledge
                and (t.partner_id.email or t.partner_email)
            )
        )

    def _sla_acknowledge_later(self):
        """Queue the acknowledgement of new tickets: a scheduled job, woken
        at once, sends it moments later, outside the request that created
        them (the portal form, the mail gateway, an integration), which
        neither renders it nor waits for the mail server."""
        tickets = self._sla_to_acknowledge()
        if tickets:
            tickets._sla_write({"sla_acknowledge_due": fields.Datetime.now()})
            self.env.ref(
                "mint_support_contract.ir_cron_sla_acknowledge"
            ).sudo()._trigger()

    @api.model
    def _cron_sla_acknowledge(self):
        """Send the queued acknowledgements, each once."""
        return run_again_on_conflict(self.env, self._sla_acknowledge_queued)

    @api.model
    def _sla_acknowledge_queued(self):
        """A batch of the queue, oldest first, in a transaction of its own:
        the scheduler commits it and runs the job again while some are left,
        so a burst of new tickets never makes one long transaction that
        agents' writes to the same tickets would keep breaking."""
        queue = [("sla_acknowledge_due", "!=", False)]
        batch = self.sudo().search(
            queue, order="sla_acknowledge_due, id", limit=ACKNOWLEDGE_BATCH
        )
        batch._sla_write({"sla_acknowledge_due": False})
        batch._sla_acknowledge()
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=self.sudo().search_count(queue)
        )
        return batch

    def _sla_acknowledge(self):
        """Tell the customer once when the answer is promised."""
        template = self.env.ref(
            "mint_support_contract.mail_template_ticket_acknowledgement"
        )
        tickets = self._sla_to_acknowledge()
        for ticket in tickets:
            # From the company, whoever created the ticket.
            ticket.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="auto_comment",
                email_layout_xmlid="mail.mail_notification_light",
                author_id=ticket.company_id.partner_id.id,
            )
        tickets._sla_write({"sla_acknowledged": True})

    # Escalation

    @api.model
    def _cron_sla_escalate(self):
        """Notify once per ticket and state, for tickets at risk or past
        their deadline unanswered: the assignee (else the team leader) and,
        for tiers with a direct account manager, that person too. A deadline
        that passed unanswered is a breach for good. An agent answering a
        due ticket meanwhile makes the run start again."""
        return run_again_on_conflict(self.env, self._sla_escalate)

    @api.model
    def _sla_escalate(self):
        now = fields.Datetime.now()
        due = self.search(
            [
                ("sla_state", "in", ("at_risk", "breached")),
                ("sla_first_response_date", "=", False),
                ("stage_id.closed", "=", False),
            ]
        )
        due.filtered(lambda t: not t.sla_outcome and t.sla_deadline < now)._sla_write(
            {"sla_outcome": "breached"}
        )
        to_notify = due.filtered(lambda t: t.sla_notified_state != t.sla_state)
        todos = to_notify._sla_todos()
        for ticket in to_notify:
            try:
                with self.env.cr.savepoint():
                    ticket._sla_notify(todos[ticket.id])
            except TransactionRollbackError:
                raise  # the whole run starts again
            except Exception:
                _logger.exception("SLA escalation failed for ticket %s", ticket.id)
        return to_notify

    def _sla_responsible(self):
        """Who answers for the response: the assignee (else the team leader),
        an active internal user, and, for tiers with a direct account
        manager, that person."""
        self.ensure_one()

        def staff(users):
            return users.filtered(lambda user: user.active and not user.share)

        users = staff(self.user_id) or staff(self.team_id.user_id)
        if self.sla_tier_id.channel_account_manager:
            users |= self.commercial_partner_id.support_account_manager_id
        return users

    def _sla_todos(self):
        """The escalation's open to-dos of these tickets, by ticket id."""
        todos = self.sudo().activity_search([SLA_TODO])
        by_ticket = defaultdict(lambda: todos.browse())
        for todo in todos:
            by_ticket[todo.res_id] |= todo
        return by_ticket

    def _sla_hand_over_todos(self):
        """The escalation's to-dos follow a ticket reassigned: a to-do of
        someone no longer responsible goes to the one who is (Odoo notifies
        them), or goes away when that person has one already."""
        for ticket_id, mine in self._sla_todos().items():
            responsible = self.browse(ticket_id).sudo()._sla_responsible()
            stale = mine.filtered(lambda a, r=responsible: a.user_id not in r)
            for todo, user in zip(stale, responsible - mine.user_id, strict=False):
                todo.user_id = user
                stale -= todo
            stale.unlink()

    def _sla_notify(self, todos):
        """One to-do per person responsible and ticket. At risk, then
        breached, is the same to-do, brought to today with the new state;
        each state notifies its person once. ``todos``: the ticket's open
        to-dos of the escalation."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        for user in self._sla_responsible():
            # In the person's language and time zone, whoever runs this.
            env = self.with_context(lang=user.lang or self.env.lang).env
            state = dict(self._fields["sla_state"]._description_selection(env))[
                self.sla_state
            ]
            deadline = format_datetime(
                env, self.sla_deadline, tz=user.tz, dt_format="short"
            )
            summary = env._(
                "SLA %(status)s: respond by %(deadline)s",
                status=state,
                deadline=deadline,
            )
            todo = todos.filtered(lambda a, user=user: a.user_id == user)[:1]
            if todo:
                todo.write({"summary": summary, "date_deadline": today})
                todo.action_notify()
            else:
                self.activity_schedule(
                    SLA_TODO, date_deadline=today, summary=summary, user_id=user.id
                )
        self._sla_write({"sla_notified_state": self.sla_state})

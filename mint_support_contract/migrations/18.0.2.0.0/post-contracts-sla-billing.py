# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade to 18.0.2.0.0.

- Invoices point to their support billing (a billed month can have
  corrections); answered tickets get their first-response time in working
  hours (the other SLA facts are filled before the module loads, see
  ``pre-migrate.py``).
- Billed time entries are locked now, and a correction is an entry of its
  own. The old version let the hours of a billed entry be edited (it flagged
  the entry and kept the hours billed in ``support_billed_hours``, a column
  the upgrade drops): such an entry gets back the hours billed, and the change
  becomes a correction entry beside it, which the next billing run bills as
  the difference (an invoice, or a credit note). The hours logged stay the
  same.

- Upgrades credit the unused days of the old tier through OCA
  ``contract_refund_on_stop`` (installed as a new dependency): switch its
  company option on.
- A customer now has one support line at a time. Databases made before could
  hold two running ones for the same days (a second tier bought instead of a
  change), both billing: the lower one (or, for equal tiers, the older one)
  stops the day before the other started, and what it billed beyond is
  credited; a line that started after the other one is removed and credited
  in full. Each change is noted in the contract's chatter for review.
"""

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import column_exists

from odoo.addons.mint_support_contract.models import working_time

_logger = logging.getLogger(__name__)


def _rank(line):
    tier = line.support_tier_id
    return (tier.sequence, tier.id, line.date_start, line.id)


def _overlap(first, second):
    return first.date_start <= (second.date_end or fields.Date.max) and (
        second.date_start <= (first.date_end or fields.Date.max)
    )


def resolve_overlapping_support(env):
    """Leave every customer with one support line at a time from today on."""
    Line = env["contract.line"].sudo()
    today = fields.Date.context_today(Line)
    lines = Line.search(
        Line._support_line_domain()
        + ["|", ("date_end", "=", False), ("date_end", ">=", today)],
        order="date_start, id",
    )
    groups = {}
    for line in lines:
        key = (
            line.contract_id.commercial_partner_id.id,
            line.contract_id.company_id.id,
        )
        groups.setdefault(key, Line)
        groups[key] |= line
    for group in groups.values():
        remaining = group.sorted(_rank, reverse=True)
        while remaining:
            winner, remaining = remaining[0], remaining[1:]
            for loser in remaining.filtered(lambda line, w=winner: _overlap(w, line)):
                _stop_overlapping(loser, winner)
            remaining = remaining.filtered(lambda line: not line.is_canceled)


def _stop_overlapping(loser, winner):
    """Stop ``loser`` the day before ``winner`` starts, else remove it."""
    stop_day = fields.Date.subtract(winner.date_start, days=1)
    done = False
    if loser.date_start <= stop_day:
        try:
            with loser.env.cr.savepoint():
                loser.stop(stop_day, post_message=False)
                done = True
                text = f"stopped on {stop_day}"
        except ValidationError:
            _logger.info("Overlapping support line %s removed instead", loser.id)
    if not done:
        loser._support_drop()
        text = "removed"
    body = Markup(
        "<p>One support at a time: this support line (%s) ran during %s "
        "(contract %s) and was %s; the days it billed twice are credited. "
        "Please check the credit note.</p>"
    ) % (
        loser.product_id.display_name,
        winner.product_id.display_name,
        winner.contract_id.display_name,
        text,
    )
    loser.contract_id.message_post(body=body, subtype_xmlid="mail.mt_note")
    _logger.info("Support line %s overlapping %s: %s", loser.id, winner.id, text)


def link_invoices_and_response_times(env):
    cr = env.cr
    if column_exists(cr, "support_billing", "invoice_id"):
        cr.execute(
            """UPDATE account_move move SET support_billing_id = billing.id
                 FROM support_billing billing
                WHERE billing.invoice_id = move.id"""
        )
    tickets = (
        env["helpdesk.ticket"]
        .with_context(active_test=False)
        .search(
            [
                ("sla_first_response_date", "!=", False),
                ("sla_calendar_id", "!=", False),
                ("sla_start", "!=", False),
            ]
        )
    )
    by_calendar = defaultdict(list)
    for ticket in tickets:
        by_calendar[ticket.sla_calendar_id].append(ticket)
    for calendar, calendar_tickets in by_calendar.items():
        intervals = calendar._sla_intervals(
            min(t.sla_start for t in calendar_tickets),
            max(t.sla_first_response_date for t in calendar_tickets),
        )
        for ticket in calendar_tickets:
            worked = working_time.hours_between(
                intervals, ticket.sla_start, ticket.sla_first_response_date
            )
            ticket._sla_write(
                {"sla_response_hours": max(worked - ticket.sla_paused_hours, 0.0)}
            )


def split_entries_changed_after_billing(env):
    """Billed time entries whose hours changed after the billing: the hours
    billed, locked, and a correction entry for the change."""
    cr = env.cr
    if not column_exists(cr, "account_analytic_line", "support_billed_hours"):
        return
    cr.execute(
        """SELECT * FROM (
             SELECT line.id, line.support_billing_id, line.support_billed_hours,
                    line.date >= billing.month
                    AND line.date < billing.month + INTERVAL '1 month'
                    AND line.support_partner_id = billing.partner_id AS in_billing,
                    -- no hours kept: billed as they are
                    line.support_billed_hours IS NOT NULL
                    AND ROUND(line.unit_amount::numeric, 2)
                        != ROUND(line.support_billed_hours::numeric, 2)
                    AS changed
               FROM account_analytic_line line
               JOIN support_billing billing ON billing.id = line.support_billing_id
           ) entry
           WHERE changed OR NOT in_billing
           ORDER BY id"""
    )
    rows = []
    for line_id, billing_id, billed, in_billing, _changed in cr.fetchall():
        if in_billing:
            rows.append((line_id, billing_id, billed))
        else:
            _logger.warning(
                "Time entry %s was moved to another month or customer after "
                "it was billed: review it, the next billing run of its new "
                "month counts it.",
                line_id,
            )
    if not rows:
        return
    # Billed entries are locked: unlinked while their hours are set back.
    cr.execute(
        "UPDATE account_analytic_line SET support_billing_id = NULL WHERE id IN %s",
        [tuple(row[0] for row in rows)],
    )
    env.invalidate_all()
    Line = env["account.analytic.line"].sudo()
    for line_id, billing_id, billed in rows:
        line = Line.browse(line_id)
        logged = line.unit_amount
        try:
            with cr.savepoint():
                line.write({"unit_amount": billed})
                line._support_billing_link(env["support.billing"].browse(billing_id))
                vals = {
                    "name": f"{line.name} (changed after billing: {billed:.2f} h "
                    f"billed, {logged:.2f} h logged)",
                    "date": line.date,
                    "project_id": line.project_id.id,
                    "task_id": line.task_id.id,
                    "ticket_id": line.ticket_id.id,
                    "employee_id": line.employee_id.id,
                    "unit_amount": logged - billed,
                }
                correction = Line.create(vals)
        except (UserError, ValidationError) as error:
            # Left as the old version left it, linked, for a person to bill.
            cr.execute(
                "UPDATE account_analytic_line SET support_billing_id = %s"
                " WHERE id = %s",
                [billing_id, line_id],
            )
            env.invalidate_all()
            _logger.warning(
                "Time entry %s changed after billing (%.2f h billed, %.2f h "
                "logged): no correction entry could be added (%s); review it.",
                line_id,
                billed,
                logged,
                error,
            )
            continue
        _logger.info(
            "Time entry %s changed after billing: %.2f h billed, correction %s "
            "of %.2f h for the next billing run",
            line_id,
            billed,
            correction.id,
            logged - billed,
        )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    link_invoices_and_response_times(env)
    split_entries_changed_after_billing(env)
    env["res.company"]._support_enable_refund_on_stop()
    resolve_overlapping_support(env)
    env["res.partner"]._refresh_support_tier()

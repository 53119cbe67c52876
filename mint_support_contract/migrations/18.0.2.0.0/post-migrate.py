# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0: invoices point to their support billing (a billed month can
have corrections); answered tickets get their first-response time."""

from collections import defaultdict

from odoo import SUPERUSER_ID, api

from odoo.addons.mint_support_contract.models import utils


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE account_move move SET support_billing_id = billing.id
             FROM support_billing billing
            WHERE billing.invoice_id = move.id"""
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
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
            worked = utils.hours_between(
                intervals, ticket.sla_start, ticket.sla_first_response_date
            )
            ticket._sla_write(
                {"sla_response_hours": max(worked - ticket.sla_paused_hours, 0.0)}
            )

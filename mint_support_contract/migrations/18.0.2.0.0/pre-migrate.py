# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0: the SLA keeps facts and a frozen outcome instead of a stored,
clock-dependent status. Fill the new fact columns before the module loads,
so that Odoo's recompute of the deadlines keeps those of decided tickets."""

from odoo.tools.sql import column_exists, create_column, rename_column


def migrate(cr, version):
    if not version:
        return
    if column_exists(cr, "helpdesk_ticket", "sla_notified_status"):
        rename_column(
            cr, "helpdesk_ticket", "sla_notified_status", "sla_notified_state"
        )
    if not column_exists(cr, "helpdesk_ticket", "sla_outcome"):
        create_column(cr, "helpdesk_ticket", "sla_outcome", "varchar")
        # Met and breached were final already; a deadline that passed
        # unanswered is a breach for good.
        cr.execute(
            """UPDATE helpdesk_ticket SET sla_outcome = sla_status
                WHERE sla_status IN ('met', 'breached')"""
        )
    if not column_exists(cr, "helpdesk_ticket", "sla_calendar_id"):
        create_column(cr, "helpdesk_ticket", "sla_calendar_id", "int4")
        cr.execute(
            """UPDATE helpdesk_ticket ticket
                  SET sla_calendar_id = COALESCE(
                        (SELECT resource_calendar_id FROM helpdesk_ticket_team
                          WHERE id = ticket.team_id),
                        (SELECT resource_calendar_id FROM res_company
                          WHERE id = ticket.company_id))"""
        )
    if not column_exists(cr, "helpdesk_ticket", "sla_acknowledged"):
        # Tickets of before the upgrade are not acknowledged any more.
        create_column(cr, "helpdesk_ticket", "sla_acknowledged", "boolean")
        cr.execute("UPDATE helpdesk_ticket SET sla_acknowledged = TRUE")

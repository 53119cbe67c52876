# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pauses SLA",
        help="Waiting for the customer: the response clock stops while a "
        "ticket is in this stage and the deadline moves by the paused working "
        "time.",
    )

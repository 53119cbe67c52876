# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    support_billing_id = fields.Many2one(
        "support.billing",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The month of support hours this invoice or credit note bills.",
    )

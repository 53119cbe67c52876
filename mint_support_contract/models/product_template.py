# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    support_tier_id = fields.Many2one(
        "support.tier",
        string="Support Tier Sold",
        index="btree_not_null",
        ondelete="restrict",
        help="A running contract line for this product gives the customer this "
        "support tier.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "support_tier_id" in vals:
            self.env["res.partner"]._refresh_support_tier()
        return res

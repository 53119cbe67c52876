# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        if templates.filtered("support_tier_id"):
            self.env["support.tier"]._website_table_changed()
        return templates

    def write(self, vals):
        sold_tiers = self.filtered("support_tier_id")
        res = super().write(vals)
        if "support_tier_id" in vals:
            self.env["res.partner"]._refresh_support_tier()
        if sold_tiers or vals.get("support_tier_id"):
            self.env["support.tier"]._website_table_changed()
        return res

    def unlink(self):
        sold_tiers = self.filtered("support_tier_id")
        res = super().unlink()
        if sold_tiers:
            self.env["support.tier"]._website_table_changed()
        return res

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

TIER_FIELDS = {
    "active",
    "contract_id",
    "date_end",
    "date_start",
    "is_canceled",
    "product_id",
}


class ContractLine(models.Model):
    _inherit = "contract.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["res.partner"]._refresh_support_tier(lines.contract_id.partner_id)
        return lines

    def write(self, vals):
        partners = self.contract_id.partner_id
        res = super().write(vals)
        if TIER_FIELDS & set(vals):
            self.env["res.partner"]._refresh_support_tier(
                partners | self.contract_id.partner_id
            )
        return res

    def unlink(self):
        partners = self.contract_id.partner_id
        res = super().unlink()
        self.env["res.partner"]._refresh_support_tier(partners)
        return res

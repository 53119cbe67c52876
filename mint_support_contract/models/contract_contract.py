# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ContractContract(models.Model):
    _inherit = "contract.contract"

    def write(self, vals):
        partners = self.partner_id
        res = super().write(vals)
        if {"active", "partner_id", "contract_type", "company_id"} & set(vals):
            self.env["res.partner"]._refresh_support_tier(partners | self.partner_id)
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        self.env["res.partner"]._refresh_support_tier(partners)
        return res

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class Website(models.Model):
    _inherit = "website"

    support_hosting_url = fields.Char(
        string="Hosting Offer URL",
        default="/shop",
        help="Where the comparison table sends visitors for Basis, which comes "
        "with the hosting offers.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"support_hosting_url", "company_id"} & set(vals):
            self.env["support.tier"]._website_table_changed()
        return res

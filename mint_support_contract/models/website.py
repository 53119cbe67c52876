# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class Website(models.Model):
    _inherit = "website"

    support_hosting_url = fields.Char(
        string="Hosting Offer URL",
        default="/shop",
        help="Where the comparison table sends visitors for Basis, which comes "
        "with the hosting offers.",
    )

    @api.constrains("support_hosting_url")
    def _check_support_hosting_url(self):
        for website in self:
            url = website.support_hosting_url or ""
            if url and not (
                (url.startswith("/") and not url.startswith("//"))
                or url.startswith(("https://", "http://"))
            ):
                raise ValidationError(
                    self.env._(
                        "The hosting offer URL must be a page of the website "
                        "(/shop/...) or a web address (https://...), not %(url)s.",
                        url=url,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"support_hosting_url", "company_id"} & set(vals):
            self.env["support.tier"]._website_table_changed()
        return res

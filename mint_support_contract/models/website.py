# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def is_same_site_or_web_url(url):
    """A path of this website or an http(s) address, as a browser reads it:
    browsers drop tabs and line breaks and read a backslash as a slash, so
    ``/\\evil.example`` or ``/<TAB>/evil.example`` would open another host."""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


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
            if url and not is_same_site_or_web_url(url):
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

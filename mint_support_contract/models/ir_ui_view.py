# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import models
from odoo.http import request


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    def _render_template(self, template, values=None):
        """Pages holding the support tier comparison get its table rendered
        anew from the tier and product records on every request: what the
        editor saved in the page is only the snippet and its options."""
        html = super()._render_template(template, values=values)
        if (
            request
            and getattr(request, "is_frontend", False)
            and "s_support_tiers" in html
            and "<html" in html[:1000]
        ):
            refreshed = self.env["support.tier"]._website_refresh_html(str(html))
            if refreshed is not None:
                return Markup(refreshed)
        return html

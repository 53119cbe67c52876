# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request


class SupportOffer(http.Controller):
    @http.route("/support", type="http", auth="public", website=True, sitemap=True)
    def support_offer(self, period="yearly", **kwargs):
        """The comparison of the published support tiers, server-rendered."""
        table = request.env["support.tier"]._website_render_table(period)
        return request.render(
            "mint_support_contract.support_page", {"support_table": table}
        )

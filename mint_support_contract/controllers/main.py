# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request


class SupportOffer(http.Controller):
    @http.route("/support", type="http", auth="public", website=True, sitemap=True)
    def support_offer(self, period=None, **kwargs):
        """The support offer page: the comparison of the published tiers,
        rendered on the server, between zones editors fill."""
        return request.render(
            "mint_support_contract.support_page", {"support_period": period}
        )

    @http.route(
        "/support/table", type="json", auth="public", website=True, readonly=True
    )
    def support_table(self, period=None, hidden_rows=None, recommended=None):
        """The comparison for the snippet dropped on any page: the same
        template as /support, rendered for this visitor with the snippet's
        options."""
        if not isinstance(hidden_rows, list):
            hidden_rows = []
        return request.env["ir.qweb"]._render(
            "mint_support_contract.support_tier_table",
            {
                "website": request.website,
                "support_period": period,
                "support_hidden_rows": [str(row) for row in hidden_rows],
                "support_recommended": recommended,
            },
        )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class SupportOffer(http.Controller):
    @http.route("/support", type="http", auth="public", website=True, sitemap=False)
    def support_offer(self, period=None, **kwargs):
        """The support offer: its website page (published, in the sitemap,
        with its SEO fields, zones editors fill) around the comparison of the
        published tiers, rendered on the server with the period asked for."""
        page = (
            request.env["website.page"]
            .sudo()
            .search(
                [("url", "=", "/support")] + request.website.website_domain(),
                order="website_id asc",
                limit=1,
            )
        )
        designer = request.env.user.has_group("website.group_website_designer")
        if not page or not (page.is_visible or designer):
            raise NotFound()
        return request.render(
            page.view_id.id, {"main_object": page, "support_period": period}
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

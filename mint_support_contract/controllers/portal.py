# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class SupportPortal(CustomerPortal):
    def _support_values(self):
        """What the logged-in customer's company has: read with sudo, always
        restricted to the user's own commercial partner."""
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        tier = partner.support_tier_id
        today = fields.Date.context_today(request.env.user)
        lines = (
            request.env["contract.line"]
            .sudo()
            .search(
                [
                    ("contract_id.commercial_partner_id", "=", partner.id),
                    ("contract_id.active", "=", True),
                    ("is_canceled", "=", False),
                    ("date_start", "<=", today),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                    ("product_id.product_tmpl_id", "in", tier._all_product_tmpls().ids),
                ],
                order="date_start",
            )
        )
        tickets = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("stage_id.closed", "=", False),
                ],
                order="sla_deadline, id",
            )
        )
        values = {
            "page_name": "support",
            "support_partner": partner,
            "support_tier": tier,
            "support_lines": lines,
            "support_tickets": tickets,
            "support_company": request.env.company.sudo(),
            "support_manager": partner.support_account_manager_id,
        }
        return values

    @http.route("/my/support", type="http", auth="user", website=True)
    def portal_my_support(self, **kwargs):
        return request.render(
            "mint_support_contract.portal_my_support", self._support_values()
        )

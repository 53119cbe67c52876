# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import format_date, format_duration

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.support_utils import ONE_DAY

# The changes a customer can make from "My support".
CHANGE_KINDS = ("upgrade", "downgrade", "switch")


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
            "support_flash": request.session.pop("support_flash", None),
        }
        values.update(self._support_contract_values(partner))
        _ = request.env._
        if tier.credit_hours:
            values["support_credit_text"] = _(
                "This month: %(used)s h used, %(left)s h left of %(credit)s h.",
                used=format_duration(partner.support_credit_used),
                left=format_duration(partner.support_credit_left),
                credit=format_duration(tier.credit_hours),
            )
        if lines:
            values["support_hosting_text"] = _(
                "Your tier comes with %(products)s.",
                products=", ".join(lines.product_id.mapped("name")),
            )
        return values

    def _support_contract_values(self, partner):
        """The support contract as the customer reads it, and the changes
        offered with their date and amount."""
        Line = request.env["contract.line"].sudo()
        line = Line._support_current_line(partner, request.env.company)
        if not line:
            return {"support_contract": False, "support_options": []}
        contract = line.contract_id
        commitment = line._support_commitment()
        options = []
        products = (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    ("product_tmpl_id.support_tier_id", "!=", False),
                    ("product_tmpl_id.support_tier_id.is_published", "=", True),
                    ("is_published", "=", True),
                    ("sale_ok", "=", True),
                    ("company_id", "in", (contract.company_id.id, False)),
                ]
            )
            .sorted(
                lambda p: (
                    p.product_tmpl_id.support_tier_id.sequence,
                    p.recurring_rule_type != "monthly",
                    p.id,
                )
            )
        )
        for product in products:
            plan = Line._support_plan(partner, product, contract.company_id)
            if plan.kind not in CHANGE_KINDS:
                continue
            options.append(
                {
                    "product": product,
                    "name": Line._support_product_name(product),
                    "kind": plan.kind,
                    "label": self._support_option_label(plan),
                    "date_start": plan.date_start,
                    "credit": plan.credit,
                    "summary": Line._support_plan_summary(plan),
                    "price_text": request.env._(
                        "New price: %(price)s, from %(date)s.",
                        price=self._support_product_price(product, contract),
                        date=format_date(request.env, plan.date_start),
                    ),
                }
            )
        _ = request.env._
        name = Line._support_product_name(line.product_id)
        return {
            "support_contract": contract,
            "support_line": line,
            "support_product_name": name,
            "support_commitment": commitment,
            "support_options": options,
            "support_renewal_text": _(
                "%(date)s as %(product)s, %(price)s",
                date=format_date(request.env, contract.support_renewal_date),
                product=Line._support_product_name(contract.support_next_product_id),
                price=contract.support_next_price_display,
            )
            if contract.support_renewal_date
            else "",
            "support_until_text": _(
                "Until then nothing changes: you keep %(product)s.", product=name
            ),
            "support_cancel_text": _(
                "Your support ends on %(date)s: you keep %(tier)s until then, and "
                "nothing more is invoiced after it.",
                date=format_date(request.env, commitment.date_end),
                tier=line.support_tier_id.name,
            ),
            "support_keep_text": _(
                "%(product)s goes on at %(price)s and renews every year; the "
                "cancellation or planned change is withdrawn.",
                product=name,
                price=line._support_price_display(),
            ),
        }

    def _support_option_label(self, plan):
        name = request.env["contract.line"]._support_product_name(plan.product)
        if plan.kind == "upgrade":
            return request.env._("Upgrade to %(product)s", product=name)
        if plan.kind == "downgrade":
            return request.env._("Downgrade to %(product)s", product=name)
        if plan.product.recurring_rule_type == "yearly":
            return request.env._("Switch to yearly billing")
        return request.env._("Switch to monthly billing")

    def _support_product_price(self, product, contract):
        """The product's price for the customer, per billing period."""
        pricelist = contract.pricelist_id or request.website.pricelist_id
        price = pricelist._get_product_price(product, 1.0) if pricelist else 0.0
        currency = pricelist.currency_id or contract.currency_id
        if not pricelist:
            price = product.lst_price
        return request.env["contract.line"]._support_amount_display(
            price, currency, product.recurring_rule_type, product.recurring_interval
        )

    def _support_contract_check_access(self, contract_id):
        """Like ``_document_check_access``: the contract (sudo) if the user
        may manage it (the contract's record rules, or a contact of the
        contract's company); else MissingError or AccessError."""
        contract = request.env["contract.contract"].browse([int(contract_id)])
        contract_sudo = contract.sudo().exists()
        if not contract_sudo:
            raise MissingError(request.env._("This support contract does not exist."))
        try:
            contract.check_access("read")
        except AccessError:
            partner = request.env.user.partner_id.commercial_partner_id
            if contract_sudo.commercial_partner_id != partner:
                raise
        if not contract_sudo._support_line():
            raise MissingError(request.env._("This is not a support contract."))
        return contract_sudo

    def _support_act(self, contract_id, act):
        """Run ``act(contract)`` for the user's own support contract, all or
        nothing, and tell the customer what happened."""
        try:
            contract = self._support_contract_check_access(contract_id)
        except (AccessError, MissingError, ValueError, TypeError):
            request.session["support_flash"] = {
                "type": "danger",
                "text": request.env._(
                    "This support contract does not exist or is not yours."
                ),
            }
            return request.redirect("/my/support")
        try:
            with request.env.cr.savepoint():
                text = act(contract)
        except (UserError, ValidationError) as error:
            request.session["support_flash"] = {"type": "danger", "text": error.args[0]}
        else:
            request.session["support_flash"] = {"type": "success", "text": text}
        return request.redirect("/my/support")

    @http.route("/my/support", type="http", auth="user", website=True)
    def portal_my_support(self, **kwargs):
        return request.render(
            "mint_support_contract.portal_my_support", self._support_values()
        )

    @http.route(
        "/my/support/change",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_support_change(self, contract_id=None, product_id=None, **kwargs):
        def change(contract):
            Line = request.env["contract.line"].sudo()
            product = (
                request.env["product.product"].sudo().browse(int(product_id or 0))
            ).exists()
            if not (
                product.product_tmpl_id.support_tier_id.is_published
                and product.is_published
                and product.sale_ok
                and product.company_id
                in (contract.company_id, product.company_id.browse())
            ):
                raise UserError(request.env._("This support tier cannot be chosen."))
            partner = contract.commercial_partner_id
            plan = Line._support_plan(partner, product, contract.company_id)
            if plan.kind not in CHANGE_KINDS:
                raise UserError(Line._support_plan_summary(plan))
            Line._support_order_change(partner, product, contract.company_id)
            return Line._support_plan_summary(plan)

        return self._support_act(contract_id, change)

    @http.route(
        "/my/support/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_support_cancel(self, contract_id=None, **kwargs):
        def cancel(contract):
            date_end = contract._support_line()._support_cancel()
            return request.env._(
                "Your support is cancelled: it ends on %(date)s.",
                date=format_date(request.env, date_end),
            )

        return self._support_act(contract_id, cancel)

    @http.route(
        "/my/support/keep",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_support_keep(self, contract_id=None, **kwargs):
        def keep(contract):
            line = contract._support_line()._support_keep()
            return request.env._(
                "Your support goes on: %(product)s renews on %(date)s.",
                product=line._support_product_name(line.product_id),
                date=format_date(request.env, line.date_end + ONE_DAY),
            )

        return self._support_act(contract_id, keep)

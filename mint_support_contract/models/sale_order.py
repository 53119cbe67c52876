# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    support_change_note = fields.Text(
        string="Support Change",
        compute="_compute_support_change_note",
        help="What the support tier of this order replaces, and when.",
    )

    @api.depends("order_line.support_change_note")
    def _compute_support_change_note(self):
        for order in self:
            notes = order.order_line.mapped("support_change_note")
            order.support_change_note = "\n".join(note for note in notes if note)

    def action_create_contract(self):
        """One order at a time: OCA product_contract 18.0 collects the lines
        without a contract template across all the orders it is given, so
        confirming several quotations at once puts one order's lines into
        another customer's contract (and fails on the partner check).

        The contracts are the system's doing: a salesman confirming an order
        creates them without needing rights on contracts.

        A support tier bought by a customer who holds another one replaces it
        (see ``_support_prepare_change``)."""
        contracts = self.env["contract.contract"]
        for order in self:
            order._support_check_contract_links()
            changes = order._support_prepare_change()
            contracts |= super(SaleOrder, order.sudo()).action_create_contract()
            for order_line, plan, summary in changes:
                contract_lines = (
                    self.env["contract.line"]
                    .sudo()
                    .search([("sale_order_line_id", "=", order_line.id)])
                )
                (contract_lines.contract_id | plan.replaced.contract_id).with_user(
                    self.env.user
                )._support_post_change(summary, plan.date_start)
        return contracts.with_env(self.env)

    def _support_check_contract_links(self):
        """Contracts are created as the system: an order may only extend or
        replace contracts of its own customer (OCA's "contract line to
        replace" is set by hand too)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        for line in self.order_line.sudo():
            contracts = line.contract_id | line.contract_line_id.contract_id
            if any(
                contract.commercial_partner_id != partner
                or contract.company_id != self.company_id
                for contract in contracts
            ):
                raise ValidationError(
                    self.env._(
                        "%(line)s refers to a contract of another customer.",
                        line=line.name_short or line.product_id.display_name,
                    )
                )

    def _support_tier_lines(self):
        """Order lines selling a support tier that have no contract line yet."""
        self.ensure_one()
        lines = self.order_line.filtered("product_id.product_tmpl_id.support_tier_id")
        done = (
            self.env["contract.line"]
            .sudo()
            .search([("sale_order_line_id", "in", lines.ids)])
            .sale_order_line_id
        )
        return lines - done

    def _support_check_tier_lines(self):
        """Refuse an order that sells two tiers, or one the customer holds
        or has planned already. Returns the plan of its tier line."""
        self.ensure_one()
        lines = self._support_tier_lines()
        if len(lines) > 1:
            raise ValidationError(
                self.env._(
                    "A customer has one support tier at a time: keep only one of "
                    "%(products)s in the order.",
                    products=", ".join(lines.product_id.mapped("display_name")),
                )
            )
        if not lines:
            return lines, None
        plan = lines._support_change_plan()
        if plan.kind in ("same", "planned"):
            summary = self.env["contract.line"]._support_plan_summary(plan)
            if self.env.user.share or self.website_id:
                raise ValidationError(
                    self.env._(
                        "%(summary)s See “My support” in your account to change "
                        "or cancel it.",
                        summary=summary,
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(summary)s Use “Change support tier” on the customer to "
                    "change or cancel it.",
                    summary=summary,
                )
            )
        return lines, plan

    def _support_prepare_change(self):
        """Before OCA creates the contract lines of this order: a tier bought
        while the customer holds another replaces it (OCA product_contract's
        "contract line to replace"). An upgrade starts today and credits the
        unused part of the old line; a downgrade or period switch starts when
        the term the customer is committed to ends. Returns [(order line,
        plan, summary)]."""
        self.ensure_one()
        order_line, plan = self._support_check_tier_lines()
        if not plan:
            return []
        if plan.kind == "new":
            # nothing to replace: never a hosting line (it keeps its Basis)
            order_line.sudo().write({"contract_line_id": False})
            return []
        plan.current._support_renew_due()
        plan = order_line._support_change_plan()
        summary = self.env["contract.line"]._support_plan_summary(plan)
        plan.drop._support_drop()
        replaced = plan.replaced.sudo()
        vals = {"contract_line_id": replaced.id, "date_start": plan.date_start}
        contract = replaced.contract_id
        if contract.partner_id == self.partner_id and not contract.is_terminated:
            vals["contract_id"] = contract.id
        order_line.sudo().write(vals)
        return [(order_line, plan, summary)]

    def _verify_updated_quantity(self, order_line, product_id, new_qty, **kwargs):
        """Shop: a support tier is bought one at a time and one per cart; the
        tier the customer holds (or has planned) is refused."""
        product = self.env["product.product"].browse(product_id)
        if not product.product_tmpl_id.support_tier_id:
            return super()._verify_updated_quantity(
                order_line, product_id, new_qty, **kwargs
            )
        plan = self.env["contract.line"]._support_plan(
            self.partner_id, product, self.company_id
        )
        if plan.kind in ("same", "planned"):
            warning = self.env._(
                "%(summary)s See “My support” in your account to change or cancel it.",
                summary=self.env["contract.line"]._support_plan_summary(plan),
            )
            self.shop_warning = warning
            return 0, warning
        quantity, warning = super()._verify_updated_quantity(
            order_line, product_id, min(new_qty, 1), **kwargs
        )
        if new_qty > 1:
            warning = warning or self.env._(
                "A support tier is bought one at a time: the quantity stays 1."
            )
        others = (
            self.order_line.filtered("product_id.product_tmpl_id.support_tier_id")
            - order_line
        )
        if quantity > 0 and others:
            warning = self.env._(
                "One support tier per order: %(old)s was replaced by %(new)s.",
                old=", ".join(others.mapped("name_short")),
                new=product.display_name,
            )
            others.sudo().unlink()
        if warning:
            self.shop_warning = warning
        return quantity, warning

    def _check_cart_is_ready_to_be_paid(self):
        """No payment for a tier the customer cannot buy (bought elsewhere
        since it was put in the cart)."""
        self._support_check_tier_lines()
        return super()._check_cart_is_ready_to_be_paid()

    def _create_invoices(self, grouped=False, final=False, date=None):
        """An order paid online is invoiced at once (automatic invoicing forces
        its contract lines to be invoiceable). That invoice bills the first
        period: link it to the contract line and move the contract on by one
        period, so that the contract does not bill the same period again."""
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        invoice_lines = moves.invoice_line_ids.filtered("sale_line_ids.contract_id")
        if not invoice_lines:
            return moves
        contract_lines = (
            self.env["contract.line"]
            .sudo()
            .search(
                [
                    ("sale_order_line_id", "in", invoice_lines.sale_line_ids.ids),
                    ("last_date_invoiced", "=", False),
                ]
            )
        )
        by_sale_line = {cl.sale_order_line_id: cl for cl in contract_lines}
        for invoice_line in invoice_lines:
            contract_line = by_sale_line.get(invoice_line.sale_line_ids[:1])
            if contract_line:
                invoice_line.contract_line_id = contract_line
        contract_lines._update_last_date_invoiced()
        return moves

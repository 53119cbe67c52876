# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, format_date


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    support_change_note = fields.Char(
        string="Support Change",
        compute="_compute_support_change_note",
        help="What this support tier replaces, and when (and the credit of an "
        "upgrade).",
    )

    @api.depends("product_id", "order_id.partner_id", "order_id.state")
    @api.depends_context("lang")
    def _compute_support_change_note(self):
        for line in self:
            line.support_change_note = False
            if line.order_id.state not in ("draft", "sent") or not (
                line.product_id.product_tmpl_id.support_tier_id
            ):
                continue
            plan = line._support_change_plan()
            if plan.kind != "new":
                line.support_change_note = self.env[
                    "contract.line"
                ]._support_plan_summary(plan)

    @api.constrains("product_id", "product_uom_qty")
    def _check_support_quantity(self):
        for line in self:
            if line.product_id.product_tmpl_id.support_tier_id and (
                float_compare(line.product_uom_qty, 1.0, precision_digits=2) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "A support tier is sold one at a time: set the quantity "
                        "of %(product)s to 1.",
                        product=line.product_id.display_name,
                    )
                )

    def _support_change_plan(self):
        """What confirming this tier line does to the support the customer
        holds (see ``contract.line._support_plan``)."""
        self.ensure_one()
        order = self.order_id
        return self.env["contract.line"]._support_plan(
            order.partner_id,
            self.product_id,
            order.company_id,
            start=self.date_start or fields.Date.context_today(self),
        )

    def _get_contract_name(self, date_text, recurring_rule_label, invoicing_type_label):
        """Support tier lines say how they are billed and their first term,
        e.g. "yearly, 29.11.2026 – 28.11.2027", on the line after the
        product (what the cart shows), instead of product_contract's
        recurrence, invoicing type and start method."""
        self.ensure_one()
        billed = {
            "monthly": self.env._("monthly"),
            "yearly": self.env._("yearly"),
        }.get(self.recurring_rule_type)
        if not (self.product_id.support_tier_id and billed and self.date_start):
            return super()._get_contract_name(
                date_text, recurring_rule_label, invoicing_type_label
            )
        term = format_date(self.env, self.date_start)
        if self.date_end:
            term = f"{term} – {format_date(self.env, self.date_end)}"
        # product_contract names the contract line after the text before ":\n"
        return f"{self.product_id.display_name}:\n{billed}, {term}"

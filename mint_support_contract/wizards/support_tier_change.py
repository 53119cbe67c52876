# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class SupportTierChange(models.TransientModel):
    """Change, cancel or keep a customer's support from the back end."""

    _name = "support.tier.change"
    _description = "Change Support Tier"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    action = fields.Selection(
        [
            ("change", "Change tier or billing period"),
            ("cancel", "Cancel"),
            ("keep", "Keep (withdraw the cancellation or planned change)"),
        ],
        required=True,
        default="change",
    )
    product_id = fields.Many2one(
        "product.product",
        string="New Support",
        domain="[('product_tmpl_id.support_tier_id', '!=', False), "
        "('sale_ok', '=', True), ('company_id', 'in', (company_id, False))]",
    )
    current_description = fields.Text(
        string="Current Support", compute="_compute_current_description"
    )
    summary = fields.Text(string="What Happens", compute="_compute_summary")

    @api.depends("partner_id", "company_id")
    def _compute_current_description(self):
        for wizard in self:
            line = wizard._current_line()
            if not line:
                wizard.current_description = self.env._("No support contract.")
                continue
            contract = line.contract_id
            text = self.env._(
                "%(product)s (%(price)s), term %(start)s to %(end)s.",
                product=line._support_product_name(line.product_id),
                price=line._support_price_display(),
                start=format_date(self.env, contract.support_term_start),
                end=format_date(self.env, contract.support_term_end),
            )
            if contract.support_renewal_date:
                text += " " + self.env._(
                    "Renews on %(date)s as %(product)s, unless cancelled by "
                    "%(cancel_by)s.",
                    date=format_date(self.env, contract.support_renewal_date),
                    product=line._support_product_name(
                        contract.support_next_product_id
                    ),
                    cancel_by=format_date(self.env, contract.support_cancel_by),
                )
            else:
                text += " " + self.env._(
                    "Ends on %(date)s.",
                    date=format_date(self.env, contract.support_end_date),
                )
            wizard.current_description = text

    @api.depends("partner_id", "company_id", "action", "product_id")
    def _compute_summary(self):
        Line = self.env["contract.line"]
        for wizard in self:
            wizard.summary = False
            line = wizard._current_line()
            if wizard.action == "change" and wizard.product_id and wizard.partner_id:
                plan = Line._support_plan(
                    wizard.partner_id, wizard.product_id, wizard.company_id
                )
                wizard.summary = Line._support_plan_summary(plan)
            elif wizard.action == "cancel" and line:
                commitment = line._support_commitment()
                if commitment.next_line:
                    wizard.summary = self.env._(
                        "The support ends on %(date)s.",
                        date=format_date(self.env, commitment.date_end),
                    )

    def _current_line(self):
        self.ensure_one()
        if not self.partner_id:
            return self.env["contract.line"]
        return self.env["contract.line"]._support_current_line(
            self.partner_id, self.company_id
        )

    def action_apply(self):
        self.ensure_one()
        line = self._current_line()
        if self.action == "change":
            if not self.product_id:
                raise UserError(self.env._("Choose the new support tier."))
            order = self.env["contract.line"]._support_order_change(
                self.partner_id, self.product_id, self.company_id
            )
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": order.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        if not line:
            raise UserError(
                self.env._(
                    "%(customer)s has no support contract.",
                    customer=self.partner_id.display_name,
                )
            )
        if self.action == "cancel":
            line._support_cancel()
        else:
            line._support_keep()
        return {"type": "ir.actions.act_window_close"}

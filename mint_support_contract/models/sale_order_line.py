# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import format_date


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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

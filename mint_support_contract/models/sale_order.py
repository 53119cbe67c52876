# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_create_contract(self):
        """One order at a time: OCA product_contract 18.0 collects the lines
        without a contract template across all the orders it is given, so
        confirming several quotations at once puts one order's lines into
        another customer's contract (and fails on the partner check)."""
        contracts = self.env["contract.contract"]
        for order in self:
            contracts |= super(SaleOrder, order).action_create_contract()
        return contracts

    def _create_invoices(self, grouped=False, final=False, date=None):
        """An order paid online is invoiced at once (automatic invoicing forces
        its contract lines to be invoiceable). That invoice bills the first
        period: link it to the contract line and move the contract on by one
        period, so that the contract does not bill the same period again."""
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        invoice_lines = moves.invoice_line_ids.filtered("sale_line_ids.contract_id")
        if not invoice_lines:
            return moves
        contract_lines = self.env["contract.line"].search(
            [
                ("sale_order_line_id", "in", invoice_lines.sale_line_ids.ids),
                ("last_date_invoiced", "=", False),
            ]
        )
        by_sale_line = {cl.sale_order_line_id: cl for cl in contract_lines}
        for invoice_line in invoice_lines:
            contract_line = by_sale_line.get(invoice_line.sale_line_ids[:1])
            if contract_line:
                invoice_line.contract_line_id = contract_line
        contract_lines._update_last_date_invoiced()
        return moves

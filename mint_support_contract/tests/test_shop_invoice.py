# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account_payment.tests.common import AccountPaymentCommon


@tagged("post_install", "-at_install")
class TestShopInvoice(AccountPaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "sale.automatic_invoice", "True"
        )
        cls.product = cls.env.ref(
            "mint_support_contract.product_template_support_mint_monthly"
        ).product_variant_id
        cls.website = cls.env["website"].create(
            {"name": "Support Shop", "company_id": cls.env.company.id}
        )

    def _pay_online(self, product):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "website_id": self.website.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        self.amount = order.amount_total
        self.currency = order.currency_id
        tx = self._create_transaction(
            flow="redirect", sale_order_ids=[order.id], state="done"
        )
        with mute_logger("odoo.addons.sale.models.payment_transaction"):
            tx._post_process()
        return order

    @freeze_time("2026-11-02")
    def test_paid_shop_order_invoices_first_period_once(self):
        """A MINT monthly order paid online is invoiced once; the contract bills
        from the second month on."""
        order = self._pay_online(self.product)
        self.assertEqual(order.state, "sale")
        contract = order.order_line.contract_id
        self.assertTrue(contract)
        self.assertEqual(len(order.invoice_ids), 1)
        invoice = order.invoice_ids
        self.assertEqual(invoice.amount_untaxed, 80.0)
        line = contract.contract_line_ids
        self.assertEqual(line.last_date_invoiced, date(2026, 12, 1))
        self.assertEqual(line.recurring_next_date, date(2026, 12, 2))
        self.assertEqual(contract._get_related_invoices(), invoice)
        # The contracts' invoicing run today bills nothing more.
        self.env["contract.contract"].cron_recurring_create_invoice()
        self.assertEqual(contract._get_related_invoices(), invoice)
        # One month later it bills the second month.
        with freeze_time("2026-12-02"):
            self.env["contract.contract"].cron_recurring_create_invoice()
        invoices = contract._get_related_invoices()
        self.assertEqual(len(invoices), 2)
        second = invoices - invoice
        self.assertEqual(second.invoice_date, date(2026, 12, 2))
        self.assertEqual(second.amount_untaxed, 80.0)
        self.assertEqual(line.recurring_next_date, date(2027, 1, 2))

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SupportContractCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-02")
class TestPartnerTier(SupportContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref(
            "contract_termination.can_terminate_contract"
        )
        cls.terminate_reason = cls.env["contract.terminate.reason"].create(
            {"name": "Customer left"}
        )

    def test_yearly_order_creates_yearly_contract_and_tier(self):
        """Selling MINT yearly creates a yearly contract and makes the customer MINT."""
        self.assertFalse(self.customer.support_tier_id)
        order = self._sell(self.customer, self.product_mint_yearly)
        contract = order.order_line.contract_id
        self.assertTrue(contract)
        line = contract.contract_line_ids
        self.assertEqual(line.recurring_rule_type, "yearly")
        self.assertEqual(line.price_unit, 960.0)
        self.assertEqual(line.date_start, date(2026, 11, 2))
        self.assertEqual(line.date_end, date(2027, 11, 1))
        self.assertTrue(line.is_auto_renew)
        self.assertEqual(line.auto_renew_rule_type, "yearly")
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)
        self.assertEqual(self.contact.support_tier_id, self.tier_mint)

    def test_monthly_order_bills_monthly(self):
        """Selling MINT monthly creates a contract billed every month."""
        order = self._sell(self.customer, self.product_mint_monthly)
        line = order.order_line.contract_id.contract_line_ids
        self.assertEqual(line.recurring_rule_type, "monthly")
        self.assertEqual(line.price_unit, 80.0)
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)

    def test_terminated_contract_ends_tier_at_end_date(self):
        """A terminated contract keeps the tier until its end date, then it is gone."""
        order = self._sell(self.customer, self.product_mint_yearly)
        contract = order.order_line.contract_id
        contract._terminate_contract(
            self.terminate_reason, "moving on", date(2026, 11, 30)
        )
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)
        with freeze_time("2026-12-01"):
            self.env["res.partner"]._cron_refresh_support_tier()
        self.assertFalse(self.customer.support_tier_id)
        self.assertFalse(self.contact.support_tier_id)

    def test_terminated_support_falls_back_to_hosting_basis(self):
        """A hosting customer whose MINT contract ends goes back to Basis."""
        self._sell(self.customer, self.product_hosting)
        self.assertEqual(self.customer.support_tier_id, self.tier_basis)
        contract = self._sell(
            self.customer, self.product_mint_yearly
        ).order_line.contract_id
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)
        contract._terminate_contract(self.terminate_reason, "", date(2026, 11, 1))
        self.assertEqual(self.customer.support_tier_id, self.tier_basis)

    def test_highest_tier_wins(self):
        """A hosting customer (Basis) with a MINT+ line has MINT+ (two support
        tiers at once are refused: see test_contract_lifecycle)."""
        self._sell(self.customer, self.product_hosting, self.product_mint_plus_yearly)
        self.assertEqual(self.customer.support_tier_id, self.tier_mint_plus)

    def test_contacts_share_company_tier(self):
        """A contact, even one added later or ordering, shares the company tier."""
        self._sell(self.contact, self.product_mint_plus_monthly)
        self.assertEqual(self.customer.support_tier_id, self.tier_mint_plus)
        self.assertEqual(self.contact.support_tier_id, self.tier_mint_plus)
        newcomer = self.env["res.partner"].create(
            {"name": "New Colleague", "parent_id": self.customer.id}
        )
        self.assertEqual(newcomer.support_tier_id, self.tier_mint_plus)
        self.assertIn(
            self.customer,
            self.env["res.partner"].search(
                [("support_tier_id", "=", self.tier_mint_plus.id)]
            ),
        )

    def test_contract_starting_later_gives_tier_from_its_start(self):
        """A contract that starts next month gives the tier from that day on."""
        order = self._sell(self.customer, self.product_mint_yearly)
        order.order_line.contract_id.contract_line_ids.write(
            {"date_start": date(2026, 12, 1), "recurring_next_date": date(2026, 12, 1)}
        )
        self.assertFalse(self.customer.support_tier_id)
        with freeze_time("2026-12-01"):
            self.env["res.partner"]._cron_refresh_support_tier()
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)

    def test_archived_tier_not_counted(self):
        """Archiving a tier removes it from its customers."""
        self._sell(self.customer, self.product_mint_yearly)
        self.tier_mint.active = False
        self.assertFalse(self.customer.support_tier_id)

    def test_orders_confirmed_together_get_their_own_contracts(self):
        """Confirming several quotations at once (list view) gives each order
        its own contract with its own lines, and each customer its tier."""
        other = self.env["res.partner"].create({"name": "Other AG", "is_company": True})
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for partner, product in (
                    (self.customer, self.product_mint_yearly),
                    (other, self.product_mint_plus_monthly),
                )
            ]
        )
        orders.action_confirm()
        for order, partner, tier in (
            (orders[0], self.customer, self.tier_mint),
            (orders[1], other, self.tier_mint_plus),
        ):
            contract = order.order_line.contract_id
            self.assertEqual(len(contract), 1)
            self.assertEqual(contract.partner_id, partner)
            self.assertEqual(
                contract.contract_line_ids.sale_order_line_id, order.order_line
            )
            self.assertEqual(partner.support_tier_id, tier)

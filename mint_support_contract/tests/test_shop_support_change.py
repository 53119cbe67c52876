# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.website.tools import MockRequest
from odoo.addons.website_sale.controllers.main import WebsiteSale

from .test_contract_lifecycle import SupportLifecycleCommon


@tagged("post_install", "-at_install")
@freeze_time("2027-04-10")
class TestShopSupportChange(SupportLifecycleCommon):
    """The customer holds MINT monthly since 1 April; its portal contact
    shops on 10 April."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.company.website_id or cls.env.ref(
            "website.default_website"
        )
        cls.controller = WebsiteSale()
        with freeze_time("2027-04-01"):
            cls._sell_as(cls.salesman, cls.customer, cls.product_mint_monthly)
            cls.env["contract.contract"].cron_recurring_create_invoice()

    def _shop(self):
        website = self.website.with_user(self.portal_user)
        return MockRequest(website.env, website=website)

    def _cart(self):
        return self.website.with_user(self.portal_user).sale_get_order()

    def test_tier_bought_one_at_a_time(self):
        """Quantity 2 of a tier is brought back to 1 on every cart path, and
        refused on the order itself."""
        product = self.product_mint_plus_yearly
        with self._shop():
            values = self.controller.cart_update_json(product_id=product.id, add_qty=2)
            self.assertIn("one at a time", values["notification_info"]["warning"])
            cart = self._cart()
            line = cart.order_line
            self.assertEqual(line.product_uom_qty, 1)
            self.controller.cart_update_json(
                product_id=product.id, line_id=line.id, set_qty=3
            )
            self.assertEqual(line.product_uom_qty, 1)
            self.controller.cart_update_json(product_id=product.id, add_qty=1)
            self.assertEqual(line.product_uom_qty, 1)
            self.controller.cart_update(product_id=product.id, add_qty=5)
            self.assertEqual(line.product_uom_qty, 1)
            self.assertEqual(len(cart.order_line), 1)
        with self.assertRaises(AccessError):
            line.with_user(self.portal_user).product_uom_qty = 2
        with self.assertRaisesRegex(ValidationError, "one at a time"):
            line.sudo().product_uom_qty = 2

    def test_tier_one_has_is_refused(self):
        """Adding the tier one holds adds nothing and points to My support."""
        with self._shop():
            values = self.controller.cart_update_json(
                product_id=self.product_mint_monthly.id, add_qty=1
            )
            warning = values["notification_info"]["warning"]
            self.assertIn(
                "MINT Support (monthly) is the support you already have", warning
            )
            self.assertIn("My support", warning)
            self.assertFalse(self._cart().order_line)
            self.controller.cart_update(
                product_id=self.product_mint_monthly.id, add_qty=1
            )
            cart = self._cart()
            self.assertFalse(cart.order_line)
            self.assertIn("My support", cart.shop_warning)

    def test_cart_says_what_upgrade_replaces_and_credits(self):
        """The cart line of an upgrade says what it replaces, from when, and
        the credit for the unused days."""
        with self._shop():
            self.controller.cart_update_json(
                product_id=self.product_mint_plus_yearly.id, add_qty=1
            )
            cart = self._cart()
            html = self.env["ir.ui.view"]._render_template(
                "website_sale.cart_lines", {"website_sale_order": cart}
            )
        note = cart.order_line.support_change_note
        self.assertEqual(
            note,
            "Upgrade: replaces MINT Support (monthly) by MINT+ Support (yearly) "
            "from 04/10/2027. Credit for the unused part of MINT Support "
            "(monthly): $\xa056.00.",
        )
        self.assertIn("o_support_change_note", str(html))

    def test_cart_says_when_downgrade_starts(self):
        """A lower tier in the cart replaces the held one at the term end."""
        with freeze_time("2027-04-20"):
            self._wizard(product=self.product_mint_plus_yearly).action_apply()
        with freeze_time("2027-05-02"), self._shop():
            self.controller.cart_update_json(
                product_id=self.product_mint_yearly.id, add_qty=1
            )
            note = self._cart().order_line.support_change_note
        self.assertIn("Downgrade: replaces MINT+ Support (yearly)", note)
        self.assertIn("04/20/2028", note)

    def test_one_tier_per_cart(self):
        """A second tier put in the cart replaces the first one there."""
        with self._shop():
            self.controller.cart_update_json(
                product_id=self.product_mint_plus_monthly.id, add_qty=1
            )
            values = self.controller.cart_update_json(
                product_id=self.product_mint_plus_yearly.id, add_qty=1
            )
            self.assertIn(
                "One support tier per order", values["notification_info"]["warning"]
            )
            self.assertEqual(
                self._cart().order_line.product_id, self.product_mint_plus_yearly
            )

    def test_no_payment_for_a_tier_bought_meanwhile(self):
        """A tier put in the cart, then obtained another way, cannot be paid."""
        with self._shop():
            self.controller.cart_update_json(
                product_id=self.product_mint_plus_yearly.id, add_qty=1
            )
            cart = self._cart()
        self._wizard(product=self.product_mint_plus_yearly).action_apply()
        with self.assertRaisesRegex(ValidationError, "already have"):
            cart._check_cart_is_ready_to_be_paid()

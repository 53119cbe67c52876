# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.support_utils import unused_share


@tagged("post_install", "-at_install")
class TestSupportPortal(HttpCase):
    """Two customer companies, each with a portal contact and a support
    contract sold by the salesman."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.mint_monthly = ref(
            "mint_support_contract.product_template_support_mint_monthly"
        ).product_variant_id
        cls.plus_yearly = ref(
            "mint_support_contract.product_template_support_mint_plus_yearly"
        ).product_variant_id
        cls.basis = ref(
            "mint_support_contract.product_template_support_basis"
        ).product_variant_id
        cls.tier_plus = ref("mint_support_contract.support_tier_mint_plus")
        cls.salesman = new_test_user(
            cls.env, login="sp_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="sp_manager",
            name="Anna Manager",
            email="anna@example.com",
            groups="sales_team.group_sale_salesman",
        )
        Partner = cls.env["res.partner"]
        address = {
            "street": "Bahnhofstrasse 1",
            "city": "Zürich",
            "zip": "8001",
            "country_id": ref("base.ch").id,
            "phone": "+41 44 000 00 00",
        }
        cls.alpha = Partner.create(
            {
                "name": "Alpha AG",
                "is_company": True,
                "email": "it@alpha.example.com",
                "support_account_manager_id": cls.account_manager.id,
                **address,
            }
        )
        cls.beta = Partner.create(
            {
                "name": "Beta AG",
                "is_company": True,
                "email": "it@beta.example.com",
                **address,
            }
        )
        cls.user_alpha = new_test_user(
            cls.env,
            login="sp_alpha",
            groups="base.group_portal",
            email="petra@alpha.example.com",
        )
        cls.user_alpha.partner_id.write({"parent_id": cls.alpha.id, **address})
        cls.user_beta = new_test_user(
            cls.env,
            login="sp_beta",
            groups="base.group_portal",
            email="bruno@beta.example.com",
        )
        cls.user_beta.partner_id.write({"parent_id": cls.beta.id, **address})
        cls.today = fields.Date.today()
        cls.start = cls.today - timedelta(days=9)
        with freeze_time(cls.start):
            cls.line_alpha = cls._sell(cls.alpha, cls.mint_monthly)
            cls.line_beta = cls._sell(cls.beta, cls.plus_yearly)
            cls.env["contract.contract"].cron_recurring_create_invoice()
            cls.env["res.partner"]._cron_refresh_support_tier()

    @classmethod
    def _sell(cls, partner, product):
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [fields.Command.create({"product_id": product.id})],
                }
            )
        )
        order.action_confirm()
        return order.sudo().order_line.contract_id.contract_line_ids

    def _post(self, url, **data):
        data.setdefault("csrf_token", http.Request.csrf_token(self))
        return self.url_open(url, data=data)

    def _page(self):
        return self.url_open("/my/support").text

    def test_my_support_reads_like_the_contract(self):
        """My support shows the product without codes, the term, the next
        invoice, the renewal and the cancel-by date, and the changes with
        their date and amount."""
        self.authenticate("sp_alpha", "sp_alpha")
        page = self._page()
        contract = self.line_alpha.contract_id
        self.assertIn("MINT Support (monthly)", page)
        self.assertNotIn("[SUPPORT-MINT-M]", page)
        for day in (
            contract.support_term_start,
            contract.support_term_end,
            contract.support_next_invoice_date,
            contract.support_renewal_date,
            contract.support_cancel_by,
        ):
            self.assertIn(day.strftime("%m/%d/%Y"), page)
        self.assertIn("Upgrade to MINT+ Support (yearly)", page)
        self.assertIn("Switch to yearly billing", page)
        self.assertIn("1,920.00", page)
        self.assertIn("Credit for the unused part", page)
        self.assertIn("Open a ticket", page)
        self.assertIn('<li class="breadcrumb-item active">My support</li>', page)

    def test_another_customers_contract_is_refused(self):
        """Another customer's contract id in a form changes nothing and says so."""
        self.authenticate("sp_alpha", "sp_alpha")
        beta_contract = self.line_beta.contract_id
        messages = len(beta_contract.message_ids)
        for url, data in (
            ("/my/support/cancel", {}),
            ("/my/support/keep", {}),
            ("/my/support/change", {"product_id": self.mint_monthly.id}),
        ):
            response = self._post(url, contract_id=beta_contract.id, **data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("does not exist or is not yours", response.text)
        for bad in ("999999", "abc", ""):
            response = self._post("/my/support/cancel", contract_id=bad)
            self.assertIn("does not exist or is not yours", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.line_beta.is_auto_renew)
        self.assertEqual(len(beta_contract.message_ids), messages)
        self.assertEqual(len(beta_contract.contract_line_ids), 1)

    def test_state_changes_need_post_and_csrf(self):
        """Changes are made by POST with the CSRF token only."""
        self.authenticate("sp_alpha", "sp_alpha")
        contract = self.line_alpha.contract_id
        response = self.url_open(f"/my/support/cancel?contract_id={contract.id}")
        self.assertEqual(response.status_code, 405)
        response = self._post(
            "/my/support/cancel", contract_id=contract.id, csrf_token="forged"
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertTrue(self.line_alpha.is_auto_renew)

    def test_change_to_the_tier_one_has_is_refused(self):
        """Choosing the support one already has, or a tier not for sale,
        changes nothing and says why."""
        self.authenticate("sp_alpha", "sp_alpha")
        contract = self.line_alpha.contract_id
        response = self._post(
            "/my/support/change",
            contract_id=contract.id,
            product_id=self.mint_monthly.id,
        )
        self.assertIn("is the support you already have", response.text)
        response = self._post(
            "/my/support/change", contract_id=contract.id, product_id=self.basis.id
        )
        self.assertIn("cannot be chosen", response.text)
        self.assertEqual(len(contract.contract_line_ids), 1)

    def test_cancel_after_the_term_is_refused(self):
        """Cancelling support that has ended says so and changes nothing."""
        self.line_alpha.sudo().stop(self.today - timedelta(days=1))
        self.authenticate("sp_alpha", "sp_alpha")
        contract = self.line_alpha.contract_id
        response = self._post("/my/support/cancel", contract_id=contract.id)
        self.assertIn("has ended", response.text)
        self.assertEqual(self.line_alpha.date_end, self.today - timedelta(days=1))

    def test_customer_downgrade_notifies_account_manager(self):
        """A downgrade asked in My support is planned for the term end, told in
        the chatter by the customer, and the account manager is notified."""
        self.beta.support_account_manager_id = self.account_manager
        plus = self.line_beta
        self.authenticate("sp_beta", "sp_beta")
        response = self._post(
            "/my/support/change",
            contract_id=plus.contract_id.id,
            product_id=self.mint_monthly.id,
        )
        self.assertIn("Downgrade: replaces MINT+ Support (yearly)", response.text)
        successor = plus.successor_contract_line_id
        self.assertEqual(successor.product_id, self.mint_monthly)
        self.assertEqual(successor.date_start, plus.date_end + timedelta(days=1))
        note = plus.contract_id.message_ids.filtered(
            lambda m: "Support changed by" in (m.body or "")
        )[:1]
        self.assertEqual(note.author_id, self.user_beta.partner_id)
        self.assertIn(self.account_manager.partner_id, note.partner_ids)

    def test_ticket_list_shows_response_deadline(self):
        """/my/tickets has the response deadline as a column."""
        self.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "x",
                "partner_id": self.user_alpha.partner_id.id,
            }
        )
        self.authenticate("sp_alpha", "sp_alpha")
        page = self.url_open("/my/tickets").text
        self.assertIn("Response Promised By", page)
        self.assertIn("o_support_ticket_deadline", page)

    def test_upgrade_in_shop_and_cancel_tour(self):
        """A MINT monthly customer upgrades to MINT+ yearly in the shop (the
        cart shows the credit), pays, then cancels from My support: MINT stops
        yesterday with its unused days credited, MINT+ runs one term."""
        self.env.ref("payment.payment_provider_demo").write(
            {"state": "test", "is_published": True}
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "sale.automatic_invoice", "True"
        )
        url = self.plus_yearly.product_tmpl_id.website_url
        self.start_tour(url, "mint_support_upgrade_and_cancel", login="sp_alpha")
        mint = self.line_alpha
        self.assertEqual(mint.date_end, self.today - timedelta(days=1))
        plus = mint.successor_contract_line_id
        self.assertEqual(plus.product_id, self.plus_yearly)
        self.assertEqual(plus.date_start, self.today)
        self.assertEqual(
            plus.date_end, self.today + relativedelta(years=1) - timedelta(days=1)
        )
        self.assertFalse(plus.is_auto_renew, "cancelled")
        self.assertEqual(plus.last_date_invoiced, plus.date_end, "paid online")
        moves = self.env["account.move"].search(
            [
                ("partner_id.commercial_partner_id", "=", self.alpha.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="id",
        )
        period_end = self.start + relativedelta(months=1) - timedelta(days=1)
        share = unused_share(
            self.start, relativedelta(months=1), self.today, period_end
        )
        self.assertEqual(
            [(m.move_type, m.amount_untaxed) for m in moves],
            [
                ("out_invoice", 80.0),
                ("out_refund", round(80.0 * share, 2)),
                ("out_invoice", 1920.0),
            ],
        )
        self.env["res.partner"]._cron_refresh_support_tier()
        self.assertEqual(self.alpha.support_tier_id, self.tier_plus)
        notes = plus.contract_id.message_ids.filtered(
            lambda m: "Support changed by" in (m.body or "")
        )
        self.assertEqual(len(notes), 2)
        self.assertTrue(
            all(self.account_manager.partner_id in note.partner_ids for note in notes)
        )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import convert_file, mute_logger

from .common import SupportContractCommon


@tagged("post_install", "-at_install")
class TestSupportTier(SupportContractCommon):
    def test_shipped_tiers(self):
        """The three tiers of the offer exist in sequence order with their rows."""
        tiers = self.env["support.tier"].search(
            [("code", "in", ["BASIS", "MINT", "MINT_PLUS"])]
        )
        self.assertEqual(tiers.mapped("code"), ["BASIS", "MINT", "MINT_PLUS"])
        self.assertEqual(tiers.mapped("channel_email"), [True, True, True])
        self.assertEqual(tiers.mapped("channel_main_phone"), [True, True, True])
        self.assertEqual(tiers.mapped("channel_support_phone"), [False, True, True])
        self.assertEqual(tiers.mapped("channel_account_manager"), [False, False, True])
        self.assertEqual(tiers.mapped("has_reduced_rate"), [False, True, True])
        self.assertEqual(tiers.mapped("credit_hours"), [0.0, 0.0, 1.0])
        self.assertEqual(
            [(t.response_time, t.response_unit) for t in tiers],
            [(3.0, "days"), (1.0, "days"), (4.0, "hours")],
        )
        self.assertEqual(
            tiers.mapped("response_display"), ["3 days", "24 hours", "4 hours"]
        )

    def test_swiss_german_translations(self):
        """Swiss German users read the offer's wording and Swiss spelling."""
        self.env["res.lang"]._activate_lang("de_CH")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_CH"], overwrite=True
        )
        tier = self.tier_mint.with_context(lang="de_CH")
        self.assertEqual(tier.response_display, "24 Stunden")
        self.assertEqual(
            self.env.ref("mint_support_contract.product_template_support_mint_yearly")
            .with_context(lang="de_CH")
            .name,
            "MINT-Support (jährlich)",
        )
        with self.assertRaisesRegex(ValidationError, "muss grösser als null sein"):
            with self.env.cr.savepoint():
                tier.response_time = 0

    def test_prices_come_from_products(self):
        """The monthly and yearly prices are the products' prices, never copies."""
        self.assertEqual(self.tier_basis.price_monthly, 0.0)
        self.assertEqual(self.tier_basis.price_yearly, 0.0)
        self.assertEqual(self.tier_mint.price_monthly, 80.0)
        self.assertEqual(self.tier_mint.price_yearly, 960.0)
        self.assertEqual(self.tier_mint_plus.price_monthly, 160.0)
        self.assertEqual(self.tier_mint_plus.price_yearly, 1920.0)
        self.product_mint_monthly.list_price = 85.0
        self.assertEqual(self.tier_mint.price_monthly, 85.0)
        self.assertEqual(
            self.tier_mint.product_monthly_id.recurring_rule_type, "monthly"
        )
        self.assertEqual(self.tier_mint.product_yearly_id.recurring_rule_type, "yearly")

    def test_company_contact_settings(self):
        """Support e-mail and phones are company settings, seeded from the offer."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.support_email, "support@mint-system.ch")
        self.assertEqual(company.support_main_phone, "+41 44 244 72 20")
        self.assertEqual(company.support_phone, "+41 44 244 72 24")

    def test_module_update_keeps_admin_price(self):
        """Updating the module does not reset a price an admin has changed."""
        tmpl = self.product_mint_yearly.product_tmpl_id
        tmpl.list_price = 999.0
        self.tier_mint.response_time = 2
        for filename in ("data/support_tier_data.xml", "data/product_data.xml"):
            convert_file(
                self.env,
                "mint_support_contract",
                filename,
                {},
                mode="update",
                noupdate=False,
            )
        self.env.invalidate_all()
        self.assertEqual(tmpl.list_price, 999.0)
        self.assertEqual(self.tier_mint.price_yearly, 999.0)
        self.assertEqual(self.tier_mint.response_time, 2)

    @mute_logger("odoo.sql_db")
    def test_bad_response_target_refused(self):
        """A response target of zero, below zero or beyond a working year
        (1e9 hours gave no deadline at all) is refused with a clear message."""
        for value in (0, -4, 1e9, 2001):
            with self.assertRaisesRegex(ValidationError, "must be greater than zero"):
                with self.env.cr.savepoint():
                    self.env["support.tier"].create(
                        {
                            "name": "Broken",
                            "code": f"BROKEN{value}",
                            "response_time": value,
                            "response_unit": "hours",
                        }
                    )
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            with self.env.cr.savepoint():
                self.tier_mint.response_time = 0
        self.assertEqual(self.tier_mint.response_time, 1.0)
        self.assertFalse(self.env["support.tier"].search([("name", "=", "Broken")]))

    def test_bad_credit_and_discount_refused(self):
        """Negative credit hours or a discount over 100% are refused."""
        with self.assertRaisesRegex(ValidationError, "between 0 and 744 hours"):
            with self.env.cr.savepoint():
                tier_form = Form(self.env["support.tier"])
                tier_form.name = "Broken"
                tier_form.code = "BROKEN"
                tier_form.credit_hours = -1
                tier_form.save()
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            with self.env.cr.savepoint():
                self.tier_mint.reduced_rate_discount = 120
        self.assertEqual(self.tier_mint.reduced_rate_discount, 20.0)

    @mute_logger("odoo.sql_db")
    def test_code_unique_per_company(self):
        """Two tiers of one company cannot share a code, whatever its case or
        spaces; another company can."""
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["support.tier"].create({"name": "Again", "code": "MINT"})
        Tier = self.env["support.tier"].with_user(self.env.ref("base.user_admin"))
        for code in ("mint ", " Mint", "MINT_plus"):
            with self.subTest(code=code):
                with self.assertRaisesRegex(ValidationError, "already used"):
                    with self.env.cr.savepoint():
                        Tier.create({"name": "Again", "code": code})
        with self.assertRaisesRegex(ValidationError, "already used"):
            with self.env.cr.savepoint():
                self.tier_basis.with_user(self.env.ref("base.user_admin")).code = "mint"
        other = self.env["res.company"].create({"name": "Other Support Co"})
        self.assertTrue(
            Tier.sudo().create({"name": "Mint", "code": "mint", "company_id": other.id})
        )

    def test_bad_settings_refused(self):
        """An admin's support settings refuse a bad e-mail, phone number,
        hosting URL (also ones a browser reads as another host), default tier
        of another company or a non-service rate product with a clear message,
        and keep what was set before."""
        admin = self.env.ref("base.user_admin")
        company = self.env.company
        website = self.env["website"].get_current_website()
        other = self.env["res.company"].create({"name": "Other"})
        admin.company_ids |= other
        other_tier = self.env["support.tier"].create(
            {"name": "Elsewhere", "code": "ELSEWHERE", "company_id": other.id}
        )
        goods = self.env["product.product"].create({"name": "Cable", "type": "consu"})
        bad = [
            ("support_email", "support at mint", "not a valid e-mail"),
            ("support_main_phone", "call us", "is not a phone number"),
            ("support_phone", "+41 44", "is not a phone number"),
            ("support_hosting_url", "javascript:alert(1)", "hosting offer URL"),
            ("support_hosting_url", "/\\evil.example", "hosting offer URL"),
            ("support_hosting_url", "/\t/evil.example", "hosting offer URL"),
            ("support_hosting_url", "/\n/evil.example", "hosting offer URL"),
            ("support_hosting_url", "//evil.example", "hosting offer URL"),
            ("support_hosting_url", "https:///evil", "hosting offer URL"),
            ("support_default_tier_id", other_tier, "another company"),
            ("support_service_product_id", goods, "must be a service"),
        ]
        for field, value, message in bad:
            with self.subTest(field=field, value=value):
                settings = Form(self.env["res.config.settings"].with_user(admin))
                setattr(settings, field, value)
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        settings.save().execute()
        self.env.invalidate_all()
        self.assertEqual(company.support_email, "support@mint-system.ch")
        self.assertEqual(company.support_main_phone, "+41 44 244 72 20")
        self.assertEqual(company.support_phone, "+41 44 244 72 24")
        self.assertEqual(website.support_hosting_url, "/shop")
        self.assertFalse(company.support_default_tier_id)
        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.support_phone = "(044) 244-72-24"
        settings.support_hosting_url = "https://www.mint-system.ch/hosting"
        settings.save().execute()
        self.assertEqual(company.support_phone, "(044) 244-72-24")

    def test_account_manager_is_internal(self):
        """A portal user cannot be a customer's account manager."""
        portal = self.env["res.users"].create(
            {
                "name": "Petra Portal",
                "login": "petra_portal",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaisesRegex(ValidationError, "internal user"):
            with self.env.cr.savepoint():
                self.customer.support_account_manager_id = portal
        self.assertFalse(self.customer.support_account_manager_id)

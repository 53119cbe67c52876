# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import lxml.html

from odoo import Command, sql_db
from odoo.tests import HttpCase, new_test_user, tagged

from .common import give_tier


@tagged("post_install", "-at_install")
class TestWebsiteSupport(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.tiers = (
            ref("mint_support_contract.support_tier_basis")
            | ref("mint_support_contract.support_tier_mint")
            | ref("mint_support_contract.support_tier_mint_plus")
        )
        cls.mint_yearly = ref(
            "mint_support_contract.product_template_support_mint_yearly"
        )
        cls.website = cls.env["website"].get_current_website()
        cls.website.company_id.write(
            {
                "support_email": "support@mint-system.ch",
                "support_main_phone": "+41 44 244 72 20",
                "support_phone": "+41 44 244 72 24",
            }
        )

    def _pricelist(self, name, mint_yearly=None, **values):
        """A pricelist in the website's currency, with a fixed price for
        MINT yearly when ``mint_yearly`` is given."""
        items = [
            Command.create(
                {
                    "applied_on": "1_product",
                    "product_tmpl_id": self.mint_yearly.id,
                    "compute_price": "fixed",
                    "fixed_price": mint_yearly,
                }
            )
        ]
        return self.env["product.pricelist"].create(
            {
                "name": name,
                "currency_id": self.website.company_id.currency_id.id,
                "item_ids": items if mint_yearly is not None else [],
                **values,
            }
        )

    def _cells(self, url, row):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        doc = lxml.html.fromstring(page.text)
        return [
            " ".join(td.text_content().split())
            for td in doc.xpath(f"//table//tr[@data-row='{row}']/td")
        ], doc

    def test_support_page_shows_current_prices(self):
        """The /support page shows the products' prices as they are now."""
        cells, doc = self._cells("/support", "price_year")
        self.assertEqual(len(cells), 3)
        self.assertIn("960", cells[1])
        self.assertIn("1,920", cells[2])
        self.mint_yearly.list_price = 1234.0
        cells, doc = self._cells("/support", "price_year")
        self.assertIn("1,234", cells[1])
        self.assertNotIn("960", cells[1])
        buy = doc.xpath("//a[contains(@class, 'o_support_buy_yearly')]/@href")
        self.assertIn(self.mint_yearly.website_url, buy)
        hosting = doc.xpath("//a[contains(@class, 'o_support_hosting_link')]/@href")
        self.assertEqual(hosting[:1], ["/shop"])

    def test_saved_snippet_is_rendered_anew(self):
        """A page saved with the snippet shows fresh prices and honours its options."""
        page = self.env["website.page"].create(
            {
                "name": "Our support",
                "url": "/our-support",
                "website_id": self.website.id,
                "is_published": True,
                "type": "qweb",
                "arch": """
<t t-name="our-support"><t t-call="website.layout"><div id="wrap">
<section class="s_support_tiers s_support_tiers_hide_credit"
         data-snippet="s_support_tiers" data-period="monthly">
  <div class="container"><div class="s_support_tiers_body">STALE 999 CHF</div></div>
</section></div></t></t>""",
            }
        )
        self.mint_yearly.list_price = 1000.0
        cells, doc = self._cells(page.url, "price_year")
        self.assertIn("1,000", cells[1])
        self.assertNotIn("STALE", doc.text_content())
        self.assertFalse(doc.xpath("//tr[@data-row='credit']"), "row hidden by option")
        first_buttons = doc.xpath(
            "//table//td[3]//a[contains(@class, 'o_support_buy')][1]/@data-period"
        )
        self.assertEqual(first_buttons[:1], ["monthly"], "monthly is the default")

    def test_bad_snippet_option_falls_back(self):
        """Unknown snippet options or page parameters fall back to the yearly
        table with every row instead of failing."""
        html = """<html><body>
            <section class="s_support_tiers s_support_tiers_hide_bogus"
            data-period="weekly"><div class="s_support_tiers_body"/></section>
            </body></html>"""
        doc = lxml.html.fromstring(self.env["support.tier"]._website_refresh_html(html))
        buttons = "//table//td[3]//a[contains(@class, 'o_support_buy')][1]/@data-period"
        self.assertEqual(len(doc.xpath("//table//tr[@data-row]")), 9)
        self.assertEqual(doc.xpath(buttons), ["yearly"])
        for url in ("/support?period=weekly", "/support?period=%3Cscript%3E"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            shown = lxml.html.fromstring(page.text)
            self.assertEqual(len(shown.xpath("//table//tr[@data-row]")), 9)
            self.assertEqual(shown.xpath(buttons), ["yearly"])

    def test_unpublished_and_archived_tiers_hidden(self):
        """Unpublished or archived tiers are not shown; no tier at all shows a note."""
        self.tiers[1].is_published = False
        self.tiers[2].active = False
        cells, doc = self._cells("/support", "response")
        self.assertEqual(cells, ["3 days"])
        self.tiers[0].is_published = False
        page = self.url_open("/support")
        self.assertIn("No support offer is published yet", page.text)

    def test_table_queries_do_not_grow_with_tiers(self):
        """Rendering the table costs as many queries for six tiers as for three."""
        Tier = self.env["support.tier"]

        def warm():
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            Tier._website_render_table()  # warm the compiled template
            self.env.invalidate_all()
            Tier._website_table_changed()  # measure a render, not a cache hit

        warm()
        start = self.env.cr.sql_log_count
        Tier._website_render_table()
        three = self.env.cr.sql_log_count - start
        for tier in self.tiers:
            copy = tier.copy(
                {
                    "code": f"{tier.code}_2",
                    "name": f"{tier.name} 2",
                    "is_published": True,
                }
            )
            tier.product_tmpl_ids.copy(
                {"support_tier_id": copy.id, "is_published": True}
            )
        self.assertEqual(len(Tier.search([("is_published", "=", True)])), 6)
        warm()
        with self.assertQueryCount(three):
            Tier._website_render_table()

    def test_cached_table_costs_visitors_no_query(self):
        """Once rendered, the table costs a public visitor no database query."""
        Tier = self.env["support.tier"].with_user(self.website.user_id)
        Tier._website_render_table()
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            Tier._website_render_table()

    def test_cached_table_follows_every_source(self):
        """The table is served from a cache, yet shows at once a new pricelist
        price, new contact settings, a new hosting URL and an unpublished tier."""
        Tier = self.env["support.tier"]
        pricelist = self._pricelist("Partner prices", mint_yearly=900.0)
        self.env.user.partner_id.property_product_pricelist = pricelist

        def table():
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            html = str(Tier._website_render_table())
            return html, self.env.cr.sql_log_count - start

        html, cold = table()
        self.assertIn("900", html)
        _html, cached = table()
        self.assertLess(cached, cold / 2, "the second table comes from the cache")
        pricelist.item_ids.fixed_price = 850.0
        self.assertIn("850", table()[0])
        self.website.company_id.support_phone = "+41 44 244 72 99"
        self.assertIn("+41 44 244 72 99", table()[0])
        self.website.support_hosting_url = "/hosting"
        self.assertIn('href="/hosting"', table()[0])
        self.tiers[2].is_published = False
        self.assertNotIn("o_support_tier_MINT_PLUS", table()[0])

    def test_public_pricelist_choice_is_cached_per_user(self):
        """Visitors who are not logged in share one cached pricelist choice;
        a customer with a pricelist of his own still sees his prices, and a
        pricelist given to the public user shows at once."""
        self._pricelist("Standard", sequence=1, website_id=self.website.id)
        pricelist = self._pricelist(
            "Reseller", mint_yearly=900.0, sequence=99, website_id=self.website.id
        )
        reseller = new_test_user(self.env, "reseller", groups="base.group_portal")
        reseller.partner_id.property_product_pricelist = pricelist
        self.assertIn("960", self._cells("/support", "price_year")[0][1])
        self.authenticate("reseller", "reseller")
        self.assertIn("900", self._cells("/support", "price_year")[0][1])
        self.logout()
        self.assertIn("960", self._cells("/support", "price_year")[0][1])
        self.website.user_id.partner_id.property_product_pricelist = pricelist
        self.assertIn("900", self._cells("/support", "price_year")[0][1])

    def test_live_page_costs_no_more_queries_than_static(self):
        """A page with the live comparison costs visitors no more queries than
        the same page with Odoo's static comparison snippet."""
        body = {
            "live": """<section class="s_support_tiers" data-snippet="s_support_tiers"
                data-period="yearly"><div class="container">
                <div class="s_support_tiers_body"/></div></section>""",
            "static": '<t t-call="website.s_comparisons"/>',
        }
        for name, snippet in body.items():
            self.env["website.page"].create(
                {
                    "name": name,
                    "url": f"/compare-{name}",
                    "website_id": self.website.id,
                    "is_published": True,
                    "type": "qweb",
                    "arch": f'<t t-name="compare-{name}"><t t-call="website.layout">'
                    f'<div id="wrap">{snippet}</div></t></t>',
                }
            )

        def queries(url):
            for _warm in range(2):
                self.url_open(url).raise_for_status()
            start = sql_db.sql_counter
            self.url_open(url).raise_for_status()
            return sql_db.sql_counter - start

        self.assertLessEqual(queries("/compare-live"), queries("/compare-static"))

    def test_refresh_fills_every_snippet_of_a_page(self):
        """Every comparison snippet of a rendered page gets a fresh table with
        its own options; the rest of the page is kept as it was."""
        html = """<!DOCTYPE html><html><body>
<section class="s_text_block"><div>BEFORE</div></section>
<section class="s_support_tiers s_support_tiers_hide_credit" data-period="monthly">
<div class="container"><div class="s_support_tiers_body"><div><div>OLD</div></div>
</div><div>KEPT</div></div></section>
<p>BETWEEN</p>
<section data-period='yearly' class="s_support_tiers"><div>OLD</div></section>
<section class="s_support_tiers"><div class="s_support_tiers_body"/></section>
<footer>AFTER</footer></body></html>"""
        refreshed = self.env["support.tier"]._website_refresh_html(html)
        self.assertTrue(refreshed.startswith("<!DOCTYPE html>"))
        doc = lxml.html.fromstring(refreshed)
        text = doc.text_content()
        self.assertNotIn("OLD", text)
        for kept in ("BEFORE", "KEPT", "BETWEEN", "AFTER"):
            self.assertEqual(text.count(kept), 1, kept)
        sections = doc.xpath("//section[contains(@class, 's_support_tiers')]")
        self.assertEqual(len(sections), 3)
        for section in sections:
            self.assertEqual(len(section.xpath(".//table")), 1)
        self.assertFalse(sections[0].xpath(".//tr[@data-row='credit']"))
        self.assertTrue(sections[1].xpath(".//tr[@data-row='credit']"))
        periods = [
            section.xpath(
                ".//table//td[3]//a[contains(@class, 'o_support_buy')][1]/@data-period"
            )[0]
            for section in sections
        ]
        self.assertEqual(periods, ["monthly", "yearly", "yearly"])
        self.assertIsNone(
            self.env["support.tier"]._website_refresh_html("<html><p>x</p></html>")
        )

    def test_shop_labels_period(self):
        """Tier products show their period beside the price and can switch it."""
        page = self.url_open(self.mint_yearly.website_url)
        self.assertEqual(page.status_code, 200)
        doc = lxml.html.fromstring(page.text)
        label = doc.xpath("//span[contains(@class, 'o_support_period_label')]")
        self.assertEqual(" ".join(label[0].text_content().split()), "/ year")
        switch = doc.xpath(
            "//div[contains(@class, 'o_support_period_switch')]//a/@href"
        )
        monthly = self.env.ref(
            "mint_support_contract.product_template_support_mint_monthly"
        )
        self.assertIn(monthly.website_url, switch)

    def test_swiss_number_format(self):
        """Swiss German visitors read CHF 1'920 and the offer's own wording."""
        lang = self.env["res.lang"]._activate_lang("de_CH")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_CH"]
        )
        self.website.language_ids |= lang
        cells, doc = self._cells(f"/{lang.url_code}/support", "price_year")
        self.assertIn("1'920", cells[2])
        labels = " ".join(doc.xpath("//table//tr/th[1]//text()"))
        self.assertIn("Kosten pro Jahr", labels)
        self.assertIn("Maximale Reaktionszeit", labels)

    def test_editor_drops_snippet_tour(self):
        """An editor drops the snippet and saves; visitors then see today's prices."""
        self.start_tour(
            self.env["website"].get_client_action_url("/"),
            "mint_support_tiers_snippet",
            login="admin",
        )
        homepage = self.website.homepage_url or "/"
        self.mint_yearly.list_price = 987.0
        cells, _doc = self._cells(homepage, "price_year")
        self.assertIn("987", cells[1])

    def test_checkout_tour_gives_tier(self):
        """A new customer buys MINT yearly, pays with the demo provider and has
        tier MINT with a yearly contract at once."""
        self.env.ref("payment.payment_provider_demo").write(
            {"state": "test", "is_published": True}
        )
        self.start_tour("/support", "mint_support_checkout_mint_yearly")
        customer = self.env["res.partner"].search([("name", "=", "Gamma GmbH")])
        self.assertEqual(len(customer), 1)
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)])
        self.assertEqual(order.state, "sale")
        contract = order.order_line.contract_id
        self.assertEqual(contract.contract_line_ids.recurring_rule_type, "yearly")
        self.assertEqual(customer.support_tier_id, self.tiers[1])

    def test_visitor_tour(self):
        """A visitor's browser shows the current price and the buy buttons."""
        self.mint_yearly.list_price = 1234.0
        self.start_tour("/support", "mint_support_tiers_visitor")


@tagged("post_install", "-at_install")
class TestPortalSupport(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "support_main_phone": "+41 44 244 72 20",
                "support_phone": "+41 44 244 72 24",
            }
        )
        cls.tier_mint = cls.env.ref("mint_support_contract.support_tier_mint")
        cls.tier_plus = cls.env.ref("mint_support_contract.support_tier_mint_plus")
        cls.manager = new_test_user(
            cls.env, login="portal_am", name="Anna Manager", email="anna@example.com"
        )
        cls.manager.phone = "+41 44 244 72 31"
        cls.company_a = cls.env["res.partner"].create(
            {"name": "Alpha AG", "is_company": True}
        )
        cls.company_b = cls.env["res.partner"].create(
            {"name": "Beta AG", "is_company": True}
        )
        cls.contract_a = give_tier(cls.env, cls.company_a, cls.tier_mint)
        give_tier(cls.env, cls.company_b, cls.tier_plus)
        cls.company_b.support_account_manager_id = cls.manager
        cls.user_a = new_test_user(
            cls.env, login="portal_a", groups="base.group_portal"
        )
        cls.user_a.partner_id.parent_id = cls.company_a
        cls.user_b = new_test_user(
            cls.env, login="portal_b", groups="base.group_portal"
        )
        cls.user_b.partner_id.parent_id = cls.company_b
        Ticket = cls.env["helpdesk.ticket"]
        cls.ticket_a = Ticket.create(
            {
                "name": "Alpha printer",
                "description": "x",
                "partner_id": cls.user_a.partner_id.id,
            }
        )
        cls.ticket_b = Ticket.create(
            {
                "name": "Beta secret",
                "description": "x",
                "partner_id": cls.user_b.partner_id.id,
            }
        )

    def test_portal_shows_own_company_only(self):
        """Each customer sees its own tier, channels and tickets, never another's."""
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/support").text
        self.assertIn("Alpha printer", page)
        self.assertNotIn("Beta secret", page)
        self.assertIn("+41 44 244 72 24", page)
        self.assertNotIn("Anna Manager", page)
        self.authenticate("portal_b", "portal_b")
        page = self.url_open("/my/support").text
        self.assertIn("Beta secret", page)
        self.assertNotIn("Alpha printer", page)
        self.assertIn("Anna Manager", page)
        self.assertIn("+41 44 244 72 31", page)
        self.assertIn("o_support_credit", page)

    def test_portal_without_tier_offers_upgrade(self):
        """A customer without a tier sees the comparison and an upgrade link."""
        self.contract_a.active = False
        self.assertFalse(self.company_a.support_tier_id)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open("/my/support").text
        self.assertIn("o_support_upgrade", page)
        self.assertIn("o_support_tiers_table", page)

    def test_portal_requires_login(self):
        """Anonymous visitors are sent to the login page."""
        response = self.url_open("/my/support", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_portal_tour(self):
        """A MINT customer's browser shows the MINT channels."""
        self.start_tour("/my/support", "mint_support_portal_mint", login="portal_a")

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import lxml.html
from freezegun import freeze_time

from odoo import Command, fields, sql_db
from odoo.tests import HttpCase, new_test_user, tagged

from .common import give_tier


class SupportWebsiteCommon(HttpCase):
    """The shipped tiers on the current website, with the offer's contact
    settings, and helpers to read the comparison as a visitor."""

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
        cls.company = cls.website.company_id
        cls.company.write(
            {
                "support_email": "support@mint-system.ch",
                "support_main_phone": "+41 44 244 72 20",
                "support_phone": "+41 44 244 72 24",
            }
        )
        cls.admin = ref("base.user_admin")

    def _as_admin(self, model, method, *args, **kwargs):
        """What an administrator does in the back end, in a request (and so
        a transaction) of its own."""
        self.authenticate("admin", "admin")
        try:
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs},
            )
        finally:
            self.logout()
            self.env.invalidate_all()

    def _page(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return lxml.html.fromstring(page.text)

    @staticmethod
    def _text(element):
        return " ".join(element.text_content().split())

    def _cells(self, doc, row):
        """Texts of a row of the comparison table, one per tier."""
        return [
            self._text(td) for td in doc.xpath(f"//table//tr[@data-row='{row}']/td")
        ]

    def _snippet_page(self, url, period="yearly", hidden=(), recommended=None):
        """A published page holding the comparison snippet as the editor
        drops it, with these options."""
        frame = lxml.html.fragment_fromstring(
            str(self.env["ir.qweb"]._render("mint_support_contract.s_support_tiers"))
        )
        frame.set("data-snippet", "s_support_tiers")
        frame.set("data-period", period)
        if recommended:
            frame.set("data-recommended", recommended)
        frame.set(
            "class",
            " ".join(
                [frame.get("class"), *(f"s_support_tiers_hide_{row}" for row in hidden)]
            ),
        )
        key = f"mint_support_contract_test.{url.strip('/')}"
        body = lxml.html.tostring(frame, encoding="unicode")
        return self.env["website.page"].create(
            {
                "name": url,
                "url": url,
                "website_id": self.website.id,
                "is_published": True,
                "type": "qweb",
                "key": key,
                "arch": f'<t t-name="{key}"><t t-call="website.layout">'
                f'<div id="wrap">{body}</div></t></t>',
            }
        )

    def _add_tiers(self, count):
        """``count`` more published tiers, each sold monthly and yearly."""
        template = self.tiers[1]
        for index in range(count):
            tier = template.copy(
                {
                    "code": f"EXTRA{index}",
                    "name": f"Extra {index}",
                    "is_published": True,
                }
            )
            template.product_tmpl_ids.copy(
                {"support_tier_id": tier.id, "is_published": True}
            )

    def _public_pricelist(self, **item):
        """A pricelist for visitors who are not logged in, with one rule on
        MINT yearly."""
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Public prices",
                "currency_id": self.company.currency_id.id,
                "website_id": self.website.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.mint_yearly.id,
                            "compute_price": "fixed",
                            **item,
                        }
                    )
                ],
            }
        )
        self.website.user_id.partner_id.property_product_pricelist = pricelist
        return pricelist


@tagged("post_install", "-at_install")
class TestSupportPage(SupportWebsiteCommon):
    def test_support_page_shows_current_prices(self):
        """/support shows today's product prices, with a buy button into the
        shop beside each paid tier's name and the hosting offer for Basis."""
        doc = self._page("/support")
        prices = self._cells(doc, "price_year")
        self.assertEqual(len(prices), 3)
        self.assertIn("960", prices[1])
        self.assertIn("1,920", prices[2])
        self.mint_yearly.list_price = 1234.0
        doc = self._page("/support")
        self.assertIn("1,234", self._cells(doc, "price_year")[1])
        offers = doc.xpath("//tr[hasclass('o_support_tiers_offers')]/td")
        self.assertIn("1,234", self._text(offers[1]))
        buy = offers[1].xpath(".//a[hasclass('o_support_buy')]")
        self.assertEqual(buy[0].get("href"), self.mint_yearly.website_url)
        self.assertEqual(buy[0].get("data-period"), "yearly", "yearly comes first")
        hosting = offers[0].xpath(".//a[hasclass('o_support_hosting_link')]/@href")
        self.assertEqual(hosting, ["/shop"])

    def test_support_page_is_an_odoo_page(self):
        """/support is a website page: in the website menu and the sitemap,
        with its SEO description and zones editors fill above and below the
        table, and hidden from visitors while unpublished."""
        page = self.env.ref("mint_support_contract.support_offer_page")
        menus = self.env["website.menu"].search(
            [("url", "=", "/support"), ("website_id", "=", self.website.id)]
        )
        self.assertEqual(menus.page_id, page)
        doc = self._page("/support")
        self.assertTrue(doc.xpath("//header//a[@href='/support']"))
        description = doc.xpath("//meta[@name='description']/@content")
        self.assertEqual(description, [page.website_meta_description])
        zones = doc.xpath("//div[@id='wrap']/div[hasclass('oe_structure')]/@id")
        self.assertEqual(
            zones,
            ["oe_structure_mint_support_page_1", "oe_structure_mint_support_page_2"],
        )
        self.assertEqual(self.url_open("/sitemap.xml").text.count("/support</loc>"), 1)
        self._as_admin("website.page", "write", page.ids, {"is_published": False})
        self.assertEqual(self.url_open("/support").status_code, 404)

    def test_prices_are_the_shop_prices(self):
        """A visitor reads in the comparison the price the shop shows him for
        the product: with his pricelist, his fiscal position, and taxes
        included when the shop includes them, saying so."""
        tax = self.env["account.tax"].create(
            {"name": "VAT 8.1%", "amount": 8.1, "company_id": self.company.id}
        )
        self.mint_yearly.taxes_id = tax
        self.website.show_line_subtotals_tax_selection = "tax_included"

        def shown(url_prefix=""):
            table = self._page(f"{url_prefix}/support")
            product = self._page(self.mint_yearly.website_url)
            return (
                self._cells(table, "price_year")[1],
                self._text(product.xpath("//span[hasclass('oe_price')]")[0]),
                self._text(table.xpath("//table")[0]),
            )

        cell, shop, table = shown()
        self.assertIn("1,037.76", cell)
        self.assertIn(shop, cell)
        self.assertIn("incl. VAT", table)
        self.assertNotIn("excl. VAT", table)
        # A customer abroad: his fiscal position takes the tax off.
        export = self.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "company_id": self.company.id,
                "tax_ids": [Command.create({"tax_src_id": tax.id})],
            }
        )
        customer = new_test_user(self.env, "abroad", groups="base.group_portal")
        customer.partner_id.property_account_position_id = export
        self.authenticate("abroad", "abroad")
        cell, shop, _table = shown()
        self.assertIn("960", cell)
        self.assertIn(shop, cell)
        self.logout()
        self._as_admin(
            "website",
            "write",
            self.website.ids,
            {"show_line_subtotals_tax_selection": "tax_excluded"},
        )
        cell, shop, table = shown()
        self.assertIn("960", cell)
        self.assertIn(shop, cell)
        self.assertIn("excl. VAT", table)

    def test_pricelist_prices_per_visitor(self):
        """Visitors who are not logged in see the public pricelist's price; a
        customer with a pricelist of his own sees his, also after others."""
        self._public_pricelist(fixed_price=950.0)
        reseller_prices = self.env["product.pricelist"].create(
            {
                "name": "Reseller",
                "currency_id": self.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.mint_yearly.id,
                            "compute_price": "fixed",
                            "fixed_price": 900.0,
                        }
                    )
                ],
            }
        )
        reseller = new_test_user(self.env, "reseller", groups="base.group_portal")
        reseller.partner_id.property_product_pricelist = reseller_prices
        self.assertIn("950", self._cells(self._page("/support"), "price_year")[1])
        self.authenticate("reseller", "reseller")
        self.assertIn("900", self._cells(self._page("/support"), "price_year")[1])
        self.logout()
        self.assertIn("950", self._cells(self._page("/support"), "price_year")[1])

    def test_cached_table_follows_what_it_shows(self):
        """The table is cached, yet the next visitor sees at once a new
        price rule, a new contact number, a new hosting URL, a tier renamed
        in the translation dialog and an unpublished tier."""
        pricelist = self._public_pricelist(fixed_price=950.0)
        self.assertIn("950", self._cells(self._page("/support"), "price_year")[1])
        items = pricelist.item_ids.ids
        self._as_admin("product.pricelist.item", "write", items, {"fixed_price": 940})
        self.assertIn("940", self._cells(self._page("/support"), "price_year")[1])
        self._as_admin("product.pricelist.item", "unlink", items)
        self.assertIn("960", self._cells(self._page("/support"), "price_year")[1])
        self._as_admin(
            "res.company",
            "write",
            self.company.ids,
            {"support_phone": "+41 44 244 72 99"},
        )
        self.assertTrue(self._page("/support").xpath("//a[@href='tel:+41442447299']"))
        self._as_admin(
            "website", "write", self.website.ids, {"support_hosting_url": "/hosting"}
        )
        self.assertTrue(self._page("/support").xpath("//a[@href='/hosting']"))
        self._as_admin(
            "support.tier",
            "update_field_translations",
            self.tiers[1].ids,
            "name",
            {"en_US": "MINT Pro"},
        )
        names = self._page("/support").xpath("//table//h3/text()")
        self.assertEqual(names, ["Basis", "MINT Pro", "MINT+"])
        self._as_admin(
            "support.tier", "write", self.tiers[2].ids, {"is_published": False}
        )
        self.assertEqual(len(self._cells(self._page("/support"), "response")), 2)

    def test_pricelist_rule_shows_when_it_starts(self):
        """A pricelist rule starting at a set time shows from that time on,
        though the table is cached."""
        start = fields.Datetime.now() + timedelta(hours=1)
        self._public_pricelist(fixed_price=900.0, date_start=start)
        self.assertIn("960", self._cells(self._page("/support"), "price_year")[1])
        with freeze_time(start + timedelta(minutes=1)):
            self.assertIn("900", self._cells(self._page("/support"), "price_year")[1])

    def test_tier_sold_yearly_only(self):
        """A tier sold yearly only shows a twelfth of its price per month
        and a yearly buy button alone."""
        monthly = self.env.ref(
            "mint_support_contract.product_template_support_mint_monthly"
        )
        monthly.active = False
        doc = self._page("/support")
        self.assertIn("80", self._cells(doc, "price_month")[1])
        offers = doc.xpath("//tr[hasclass('o_support_tiers_offers')]/td")
        periods = offers[1].xpath(".//a[hasclass('o_support_buy')]/@data-period")
        self.assertEqual(periods, ["yearly"])

    def test_unpublished_and_archived_tiers_hidden(self):
        """Unpublished or archived tiers are not shown; no tier at all shows a note."""
        self.tiers[1].is_published = False
        self.tiers[2].active = False
        self.assertEqual(self._cells(self._page("/support"), "response"), ["3 days"])
        self.tiers[0].is_published = False
        page = self.url_open("/support")
        self.assertIn("No support offer is published yet", page.text)

    def test_page_queries_do_not_grow_with_tiers(self):
        """/support costs a visitor as many queries with nine tiers as with
        three (benchmark target of make bench)."""

        def queries():
            for _warm in range(2):
                self.url_open("/support").raise_for_status()
            start = sql_db.sql_counter
            self.url_open("/support").raise_for_status()
            return sql_db.sql_counter - start

        three = queries()
        self._add_tiers(6)
        nine = queries()
        self.assertEqual(len(self._cells(self._page("/support"), "response")), 9)
        self.assertEqual(nine, three)

    def test_bad_options_fall_back(self):
        """Unknown options in the page address or the snippet's request give
        the yearly table with every row instead of an error."""
        buy_first = (
            "//tr[hasclass('o_support_tiers_offers')]/td[2]"
            "//a[hasclass('o_support_buy')][1]/@data-period"
        )
        for url in ("/support?period=weekly", "/support?period=%3Cscript%3E"):
            doc = self._page(url)
            self.assertEqual(len(doc.xpath("//table//tr[@data-row]")), 9)
            self.assertEqual(doc.xpath(buy_first), ["yearly"])
        html = self.make_jsonrpc_request(
            "/support/table",
            {"period": {"x": 1}, "hidden_rows": "credit", "recommended": ["MINT"]},
        )
        doc = lxml.html.fromstring(html)
        self.assertEqual(len(doc.xpath("//table//tr[@data-row]")), 9)
        self.assertEqual(doc.xpath(buy_first), ["yearly"])
        self.assertFalse(doc.xpath("//*[hasclass('o_support_tier_badge')]"))


@tagged("post_install", "-at_install")
class TestSupportSnippet(SupportWebsiteCommon):
    def test_snippet_page_keeps_only_the_frame(self):
        """A page holding the snippet serves only its frame and options; the
        snippet's request renders the table for them: monthly first, rows
        hidden, the recommended tier highlighted."""
        self._snippet_page(
            "/our-support", period="monthly", hidden=["credit"], recommended="MINT"
        )
        doc = self._page("/our-support")
        snippet = doc.xpath("//section[hasclass('s_support_tiers')]")[0]
        self.assertFalse(snippet.xpath(".//table"))
        content = snippet.xpath(".//*[hasclass('dynamic_snippet_template')]")[0]
        self.assertEqual(self._text(content), "")
        html = self.make_jsonrpc_request(
            "/support/table",
            {"period": "monthly", "hidden_rows": ["credit"], "recommended": "MINT"},
        )
        table = lxml.html.fromstring(html)
        self.assertFalse(table.xpath("//tr[@data-row='credit']"))
        offers = table.xpath("//tr[hasclass('o_support_tiers_offers')]/td")
        first = offers[1].xpath(".//a[hasclass('o_support_buy')]/@data-period")
        self.assertEqual(first, ["monthly", "yearly"])
        highlighted = table.xpath("//th[hasclass('o_support_tier_recommended')]")
        self.assertEqual(len(highlighted), 1)
        self.assertIn("MINT", self._text(highlighted[0]))
        self.assertIn("Recommended", self._text(highlighted[0]))

    def test_editor_drops_snippet_tour(self):
        """An editor drops the snippet, sets its options and saves: the page
        keeps the options and an empty frame, and visitors then see the
        table with today's prices."""
        self.start_tour(
            self.env["website"].get_client_action_url("/"),
            "mint_support_tiers_snippet",
            login="admin",
        )
        views = self.env["ir.ui.view"].search(
            [("arch_db", "like", "s_support_tiers"), ("key", "=", "website.homepage")]
        )
        arch = lxml.html.fromstring(views.filtered("website_id").arch_db)
        snippet = arch.xpath("//section[hasclass('s_support_tiers')]")[0]
        self.assertEqual(snippet.get("data-period"), "monthly")
        self.assertEqual(snippet.get("data-recommended"), "MINT_PLUS")
        self.assertIn("s_support_tiers_hide_credit", snippet.get("class"))
        self.assertFalse(snippet.xpath(".//table"), "the table is not saved")
        self.mint_yearly.list_price = 987.0
        self.start_tour("/", "mint_support_tiers_visitor_new_price")

    def test_visitor_sees_later_price_change_tour(self):
        """A visitor's browser shows the snippet's table with today's price,
        and the new price after it changed."""
        self._snippet_page("/our-support")
        self.start_tour("/our-support", "mint_support_tiers_visitor")
        self.mint_yearly.list_price = 987.0
        self.start_tour("/our-support", "mint_support_tiers_visitor_new_price")

    def test_checkout_tour_gives_tier(self):
        """A new customer buys MINT yearly from /support: the cart line says
        how it is billed and its term, has no quantity to choose; after paying
        with the demo provider he has tier MINT with a yearly contract."""
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


@tagged("post_install", "-at_install")
class TestSupportGerman(SupportWebsiteCommon):
    def _german_visitor_reads(self, lang):
        """A visitor browsing in ``lang`` reads the tiers, the table and the
        product names in German."""
        url_code = self.env["res.lang"].search([("code", "=", lang)]).url_code
        doc = self._page(f"/{url_code}/support")
        self.assertEqual(
            self._cells(doc, "response"), ["3 Tage", "24 Stunden", "4 Stunden"]
        )
        table = self._text(doc.xpath("//table")[0])
        self.assertIn("Maximale Reaktionszeit", table)
        self.assertIn("Der Basisvertrag ist in unseren Hosting-Angeboten", table)
        self.assertIn("Jährlich kaufen", table)
        product = self._page(f"/{url_code}{self.mint_yearly.website_url}")
        self.assertIn("MINT-Support (jährlich)", self._text(product.xpath("//h1")[0]))
        includes = product.xpath("//*[hasclass('o_support_tier_includes')]")
        self.assertIn("24 Stunden", self._text(includes[0]))
        return doc

    def test_language_installed_before_the_addon(self):
        """German content shows in a database where German was installed
        before the addon: installing the addon loads its translations for
        every installed language (what this test replays)."""
        lang = self.env["res.lang"]._activate_lang("de_DE")
        self.website.language_ids |= lang
        addon = self.env["ir.module.module"].search(
            [("name", "=", "mint_support_contract")]
        )
        addon._update_translations()
        self._german_visitor_reads("de_DE")

    def test_language_added_after_the_addon(self):
        """German content shows in a database where Swiss German is added
        after the addon, as an administrator adds it for the website."""
        lang = (
            self.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "de_CH")])
        )
        self.env["base.language.install"].with_user(self.admin).create(
            {"lang_ids": [Command.set(lang.ids)], "website_ids": [self.website.id]}
        ).lang_install()
        doc = self._german_visitor_reads("de_CH")
        self.assertIn("1'920", self._cells(doc, "price_year")[2])

    def test_german_visitor_tour(self):
        """A visitor in Swiss German reads the tiers' texts, then the German
        product name in the shop."""
        lang = self.env["res.lang"]._activate_lang("de_CH")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_CH"]
        )
        self.website.language_ids |= lang
        self.start_tour(f"/{lang.url_code}/support", "mint_support_tiers_german")


@tagged("post_install", "-at_install")
class TestSupportPhone(SupportWebsiteCommon):
    browser_size = "375x812"
    touch_enabled = True

    def test_phone_layout_tour(self):
        """On a phone each tier is a card with tappable call and e-mail links
        at least 44 px high whose numbers never wrap."""
        self.start_tour("/support", "mint_support_tiers_phone")


@tagged("post_install", "-at_install")
class TestSupportShop(SupportWebsiteCommon):
    def test_tier_products_in_the_shop(self):
        """Tier products show their period in the shop grid and on the
        product page, what the tier includes, a period switch and no
        quantity to choose."""
        grid = self._page("/shop")
        card = grid.xpath(
            f"//a[@href='{self.mint_yearly.website_url}']"
            "/ancestor::form[hasclass('oe_product_cart')]"
        )[0]
        self.assertIn("/ year", self._text(card))
        page = self._page(self.mint_yearly.website_url)
        label = page.xpath("//span[hasclass('o_support_period_label')]")
        self.assertEqual(self._text(label[0]), "/ year")
        monthly = self.env.ref(
            "mint_support_contract.product_template_support_mint_monthly"
        )
        switch = page.xpath("//div[hasclass('o_support_period_switch')]//a/@href")
        self.assertIn(monthly.website_url, switch)
        includes = page.xpath("//*[hasclass('o_support_tier_includes')]//li")
        rows = {li.get("data-row"): self._text(li) for li in includes}
        self.assertIn("24 hours", rows["response"])
        self.assertNotIn("price_year", rows)
        self.assertFalse(page.xpath("//input[@name='add_qty' and @type='text']"))
        self.assertTrue(page.xpath("//input[@name='add_qty' and @type='hidden']"))

    def test_cart_line_reads_period_and_term(self):
        """A tier's order line says how it is billed and its first term, in
        the customer's language, where product_contract lists recurrence,
        invoicing type and start method."""
        self.env["res.lang"]._activate_lang("de_CH")
        self.env["ir.module.module"]._load_module_terms(
            ["mint_support_contract"], ["de_CH"]
        )
        salesman = new_test_user(
            self.env, "salesman", groups="sales_team.group_sale_salesman"
        )
        customers = self.env["res.partner"].create(
            [{"name": "Epsilon AG"}, {"name": "Zeta AG", "lang": "de_CH"}]
        )
        product = self.mint_yearly.product_variant_id
        with freeze_time("2026-11-29"):
            orders = (
                self.env["sale.order"]
                .with_user(salesman)
                .create(
                    [
                        {
                            "partner_id": customer.id,
                            "order_line": [Command.create({"product_id": product.id})],
                        }
                        for customer in customers
                    ]
                )
            )
        lines = [order.order_line.get_description_following_lines() for order in orders]
        self.assertEqual(
            lines,
            [
                ["yearly, 11/29/2026 – 11/28/2027"],
                ["jährlich, 29.11.2026 – 28.11.2027"],
            ],
        )
        self.assertTrue(orders[0].order_line.name.startswith("[SUPPORT-MINT-Y]"))

    def test_tier_products_have_images(self):
        """Each paid tier's products show the tier's image in the shop."""
        for tier in self.tiers[1:]:
            for product in tier.product_tmpl_ids:
                self.assertTrue(product.image_128, product.name)


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

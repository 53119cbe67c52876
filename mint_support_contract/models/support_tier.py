# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import html as html_lib
import re

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import float_repr

# Rows of the comparison table, in display order.
TABLE_ROWS = (
    "email",
    "main_phone",
    "support_phone",
    "account_manager",
    "response",
    "reduced_rate",
    "credit",
    "price_month",
    "price_year",
)
PERIODS = ("monthly", "yearly")
# Longest response target: a working year (a deadline further away is not a
# promise, and finding it would scan the calendar for years).
MAX_RESPONSE = {"hours": 2000, "days": 250}

_TAG = re.compile(r"<(/?)(section|div)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _Tag:
    """A start tag found in rendered HTML."""

    def __init__(self, match):
        self.start, self.end = match.span()
        self.name = match.group(2)
        self.closed = bool(match.group(4))
        self.attributes_source = match.group(3)
        self.attributes = {
            name: html_lib.unescape(double or single)
            for name, double, single in _ATTRIBUTE.findall(match.group(3))
        }
        self.classes = self.attribute("class").split()

    def attribute(self, name):
        return self.attributes.get(name) or ""

    def open_tag(self):
        """The tag as an opening tag (``<div .../>`` becomes ``<div ...>``)."""
        return f"<{self.name}{self.attributes_source.rstrip()}>"


def _tags(html, name, start=0, end=None):
    """Start tags of ``name`` in ``html[start:end]``."""
    for match in _TAG.finditer(html, start, len(html) if end is None else end):
        if match.group(2) == name and not match.group(1):
            yield _Tag(match)


def _closing(html, name, start):
    """Position right before the tag closing the ``name`` element whose
    content starts at ``start``."""
    depth = 0
    for match in _TAG.finditer(html, start):
        if match.group(2) != name or match.group(4):
            continue
        if not match.group(1):
            depth += 1
        elif depth:
            depth -= 1
        else:
            return match.start()
    return len(html)


class SupportTier(models.Model):
    """A level of support a customer can have (Basis, MINT, MINT+).

    Tiers are ranked by ``sequence``: a customer holding several tiers has the
    one that comes last in sequence order (the highest).
    """

    _name = "support.tier"
    _description = "Support Tier"
    _inherit = ["website.published.mixin", "support.table.source.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical code, unique per company (e.g. BASIS, MINT, MINT_PLUS).",
    )
    sequence = fields.Integer(
        default=10,
        help="Display order; a later tier is a higher tier.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Html(translate=True)
    color = fields.Integer()

    # Response target
    response_time = fields.Float(
        string="Response Target",
        required=True,
        default=1.0,
        help="Maximum response time, counted in working time of the helpdesk calendar.",
    )
    response_unit = fields.Selection(
        [("hours", "Working hours"), ("days", "Working days")],
        required=True,
        default="days",
        help="Working days: same time of day on the Nth next working day.",
    )
    response_label = fields.Char(
        translate=True,
        help="How the response target is shown to customers (e.g. '24 hours'). "
        "Left empty, it is written from the target and its unit.",
    )
    response_display = fields.Char(
        string="Max. Response Time", compute="_compute_response_display"
    )

    # Contact channels (the addresses and numbers themselves are company settings)
    channel_email = fields.Boolean(string="Support E-mail", default=True)
    channel_main_phone = fields.Boolean(string="Main Phone Number", default=True)
    channel_support_phone = fields.Boolean(string="Support Phone Number")
    channel_account_manager = fields.Boolean(
        string="Direct Dialogue with Account Manager"
    )

    # Rates and credit
    has_reduced_rate = fields.Boolean(string="Reduced Support Rate")
    reduced_rate_discount = fields.Float(
        string="Reduced Rate Discount (%)",
        digits="Discount",
        help="Discount on the standard support rate for customers of this tier.",
    )
    credit_hours = fields.Float(
        string="Monthly Credit (hours)",
        help="Support hours included every calendar month. Unused credit is not "
        "carried over to the next month.",
    )

    # Products
    product_tmpl_ids = fields.One2many(
        "product.template",
        "support_tier_id",
        string="Products",
        help="Subscription products that sell this tier (monthly and yearly).",
    )
    hosting_product_tmpl_ids = fields.Many2many(
        "product.template",
        "support_tier_hosting_product_rel",
        "tier_id",
        "product_tmpl_id",
        string="Included in Hosting Products",
        help="A customer with a running contract for one of these products has "
        "this tier.",
    )
    product_monthly_id = fields.Many2one(
        "product.template",
        string="Monthly Product",
        compute="_compute_period_products",
    )
    product_yearly_id = fields.Many2one(
        "product.template",
        string="Yearly Product",
        compute="_compute_period_products",
    )
    price_monthly = fields.Monetary(string="Price per Month", compute="_compute_prices")
    price_yearly = fields.Monetary(string="Price per Year", compute="_compute_prices")

    # Customers
    partner_count = fields.Integer(
        string="Customers Count", compute="_compute_partner_count"
    )
    contract_count = fields.Integer(compute="_compute_contract_count")
    product_count = fields.Integer(compute="_compute_product_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A support tier code must be unique per company.",
        ),
    ]

    @api.depends("response_label", "response_time", "response_unit")
    @api.depends_context("lang")
    def _compute_response_display(self):
        for tier in self:
            count = float_repr(tier.response_time, 2).rstrip("0").rstrip(".")
            if tier.response_label:
                tier.response_display = tier.response_label
            elif tier.response_unit == "hours":
                tier.response_display = self.env._(
                    "%(count)s working hours", count=count
                )
            else:
                tier.response_display = self.env._(
                    "%(count)s working days", count=count
                )

    @api.depends(
        "product_tmpl_ids.recurring_rule_type",
        "product_tmpl_ids.active",
    )
    def _compute_period_products(self):
        for tier in self:
            products = tier.product_tmpl_ids
            tier.product_monthly_id = products.filtered(
                lambda p: p.recurring_rule_type == "monthly"
            )[:1]
            tier.product_yearly_id = products.filtered(
                lambda p: p.recurring_rule_type == "yearly"
            )[:1]

    @api.depends(
        "product_tmpl_ids.list_price",
        "product_tmpl_ids.recurring_rule_type",
        "product_tmpl_ids.active",
        "company_id.currency_id",
    )
    def _compute_prices(self):
        self.product_tmpl_ids.mapped("currency_id")  # one batch for all tiers
        for tier in self:
            monthly, yearly = tier.product_monthly_id, tier.product_yearly_id
            tier.price_monthly = tier._product_price(monthly)
            tier.price_yearly = tier._product_price(yearly)
            # A tier sold for one period only still has a price for the other.
            if monthly and not yearly:
                tier.price_yearly = tier.price_monthly * 12
            elif yearly and not monthly:
                tier.price_monthly = tier.price_yearly / 12

    def _product_price(self, product_tmpl):
        """Price of ``product_tmpl`` in the tier's company currency."""
        self.ensure_one()
        if not product_tmpl:
            return 0.0
        return product_tmpl.currency_id._convert(
            product_tmpl.list_price,
            self.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _compute_partner_count(self):
        data = self.env["res.partner"]._read_group(
            [("support_tier_id", "in", self.ids), ("parent_id", "=", False)],
            ["support_tier_id"],
            ["__count"],
        )
        counts = {tier.id: count for tier, count in data}
        for tier in self:
            tier.partner_count = counts.get(tier.id, 0)

    def _compute_product_count(self):
        for tier in self:
            tier.product_count = len(tier.product_tmpl_ids) + len(
                tier.hosting_product_tmpl_ids
            )

    def _compute_contract_count(self):
        for tier in self:
            tier.contract_count = self.env["contract.contract"].search_count(
                tier._contract_domain()
            )

    @api.constrains("code", "company_id")
    def _check_code(self):
        """Codes are compared as people read them: ``MINT`` and ``mint `` are
        the same code."""
        codes = self.with_context(active_test=False).search(
            [("company_id", "in", self.company_id.ids)]
        )
        for tier in self:
            key = (tier.code or "").strip().casefold()
            if not key:
                raise ValidationError(self.env._("A support tier needs a code."))
            clash = codes.filtered(
                lambda other, tier=tier, key=key: (
                    other != tier
                    and other.company_id == tier.company_id
                    and (other.code or "").strip().casefold() == key
                )
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by the support tier "
                        "%(tier)s: codes are unique per company, whatever their "
                        "case and spaces.",
                        code=tier.code.strip(),
                        tier=clash[0].name,
                    )
                )

    @api.constrains("response_time", "response_unit")
    def _check_response_time(self):
        for tier in self:
            limit = MAX_RESPONSE[tier.response_unit]
            if not 0 < tier.response_time <= limit:
                raise ValidationError(
                    self.env._(
                        "The response target of the support tier %(tier)s must be "
                        "greater than zero and at most %(limit)s %(unit)s (a "
                        "working year).",
                        tier=tier.name,
                        limit=limit,
                        unit=dict(
                            self._fields["response_unit"]._description_selection(
                                self.env
                            )
                        )[tier.response_unit],
                    )
                )
            if tier.response_unit == "days" and not tier.response_time.is_integer():
                raise ValidationError(
                    self.env._(
                        "The response target of the support tier %(tier)s is counted "
                        "in whole working days; use working hours for fractions.",
                        tier=tier.name,
                    )
                )

    @api.constrains("credit_hours")
    def _check_credit_hours(self):
        for tier in self:
            if not 0 <= tier.credit_hours <= 744:
                raise ValidationError(
                    self.env._(
                        "The monthly credit of the support tier %(tier)s must be "
                        "between 0 and 744 hours (a whole month).",
                        tier=tier.name,
                    )
                )

    @api.constrains("has_reduced_rate", "reduced_rate_discount")
    def _check_reduced_rate_discount(self):
        for tier in self:
            if not 0 <= tier.reduced_rate_discount <= 100:
                raise ValidationError(
                    self.env._(
                        "The reduced rate discount of the support tier %(tier)s "
                        "must be between 0 and 100%%.",
                        tier=tier.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"active", "sequence", "hosting_product_tmpl_ids", "company_id"} & set(vals):
            self.env["res.partner"]._refresh_support_tier()
        return res

    def _update_field_translations(
        self, field_name, translations, digest=None, source_lang=None
    ):
        res = super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
        self._website_table_changed()
        return res

    def _all_product_tmpls(self):
        return self.product_tmpl_ids | self.hosting_product_tmpl_ids

    def _contract_domain(self):
        return [
            (
                "contract_line_ids.product_id.product_tmpl_id",
                "in",
                self._all_product_tmpls().ids,
            )
        ]

    # Website comparison table

    @api.model
    def _website_table_options(self, period, hidden_rows):
        """The snippet's options, unknown values falling back to the defaults:
        the period and the hidden rows in table order."""
        period = period if period in PERIODS else "yearly"
        hidden = tuple(row for row in TABLE_ROWS if row in set(hidden_rows))
        return period, hidden

    @api.model
    def _website_table_values(self, period, hidden, website, pricelist):
        """Everything the comparison table shows, read in a constant number
        of queries whatever the number of tiers, for normalised options (see
        :meth:`_website_table_options`), a website and a pricelist (none:
        list prices in the company's currency)."""
        company = website.company_id if website else self.env.company
        rows = [row for row in TABLE_ROWS if row not in hidden]
        tiers = self.sudo().search(
            [("is_published", "=", True), ("company_id", "=", company.id)],
            order="sequence, id",
        )
        products = tiers.product_tmpl_ids.product_variant_id
        if pricelist:
            currency = pricelist.currency_id
            prices = pricelist._get_products_price(products, 1.0) if products else {}
        else:
            currency = company.currency_id
            prices = {product.id: product.lst_price for product in products}
        digits = currency.decimal_places

        def shown_digits(amount):
            return 0 if float(amount or 0).is_integer() else digits

        columns = []
        for tier in tiers:
            monthly = tier.product_monthly_id.product_variant_id
            yearly = tier.product_yearly_id.product_variant_id
            price_month = prices.get(monthly.id)
            price_year = prices.get(yearly.id)
            if price_month is None and price_year is not None:
                price_month = price_year / 12
            if price_year is None and price_month is not None:
                price_year = price_month * 12
            columns.append(
                {
                    "tier": tier,
                    "price_month": price_month or 0.0,
                    "price_year": price_year or 0.0,
                    "is_free": not (price_month or price_year),
                    "month_digits": shown_digits(price_month),
                    "year_digits": shown_digits(price_year),
                    "product_month": tier.product_monthly_id,
                    "product_year": tier.product_yearly_id,
                }
            )
        return {
            "support_columns": columns,
            "support_rows": rows,
            "support_period": period,
            "support_company": company,
            "support_currency": currency,
            "support_hosting_url": (website and website.support_hosting_url) or "/shop",
        }

    def _credit_display(self):
        self.ensure_one()
        if not self.credit_hours:
            return ""
        count = float_repr(self.credit_hours, 2).rstrip("0").rstrip(".")
        if self.credit_hours == 1:
            return self.env._("1 hour")
        return self.env._("%(count)s hours", count=count)

    @api.model
    def _website_for_table(self):
        return (
            (request and getattr(request, "website", None))
            or self.env["website"].get_current_website()
        ).sudo()

    @api.model
    def _website_render_table(self, period="yearly", hidden_rows=()):
        """The comparison table as HTML. Rendered tables are cached per
        website, pricelist, language, options and hour; the cache is cleared
        whenever something the table shows changes (tiers, their products,
        pricelists, currency rates, the company's contact settings, the
        website's hosting URL): see :meth:`_website_table_changed`."""
        website = self._website_for_table()
        pricelist = self._website_table_pricelist(website)
        period, hidden = self._website_table_options(period, hidden_rows)
        hour = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        return Markup(
            self._website_table_html(
                website.id,
                pricelist.id if pricelist else False,
                self.env.lang,
                period,
                hidden,
                hour,
            )
        )

    @api.model
    def _website_table_pricelist(self, website):
        """The pricelist website_sale gives the visitor. Every public visitor
        who has not picked a pricelist gets the same one per website and
        country, so that choice is cached with the table."""
        if not website:
            return None
        if self.env.user._is_public() and not website._get_cached_pricelist_id():
            return self.env["product.pricelist"].browse(
                self._website_public_pricelist_id(
                    website.id, website._get_geoip_country_code()
                )
            )
        return website._get_current_pricelist()

    @tools.ormcache("self.env.uid", "website_id", "country_code")
    def _website_public_pricelist_id(self, website_id, country_code):
        # country_code only keys the cache: website_sale reads the same
        # country from the request.
        return self.env["website"].sudo().browse(website_id)._get_current_pricelist().id

    @tools.ormcache("website_id", "pricelist_id", "lang", "period", "hidden", "hour")
    def _website_table_html(self, website_id, pricelist_id, lang, period, hidden, hour):
        # lang and hour only key the cache: the rendering reads the same
        # language and time from the environment.
        website = self.env["website"].sudo().browse(website_id)
        pricelist = self.env["product.pricelist"].sudo().browse(pricelist_id)
        values = self._website_table_values(
            period, hidden, website=website, pricelist=pricelist
        )
        return str(
            self.env["ir.qweb"]._render(
                "mint_support_contract.support_tier_table", values
            )
        )

    @api.model
    def _website_table_changed(self):
        """Something the comparison table shows changed: render it anew."""
        self.env.registry.clear_cache()

    @api.model
    def _website_refresh_html(self, html):
        """Fill every comparison snippet of a rendered page with a fresh table.

        Returns the new HTML, or None when the page holds no such snippet.
        QWeb renders well-formed markup with escaped attribute values, so the
        snippets are found by their tags instead of parsing the whole page."""
        parts, done = [], 0
        for section in _tags(html, "section"):
            if section.start < done or "s_support_tiers" not in section.classes:
                continue
            end = _closing(html, "section", section.end)
            body = next(
                (
                    div
                    for div in _tags(html, "div", section.end, end)
                    if "s_support_tiers_body" in div.classes
                ),
                section,
            )
            tag = "div" if body is not section else "section"
            hidden = [
                row
                for row in TABLE_ROWS
                if f"s_support_tiers_hide_{row}" in section.classes
            ]
            period = section.attribute("data-period")
            table = self._website_render_table(period, hidden)
            if body.closed:
                parts += [html[done : body.start], body.open_tag(), table, f"</{tag}>"]
                done = body.end
            else:
                parts += [html[done : body.end], table]
                done = _closing(html, tag, body.end)
        if not parts:
            return None
        return "".join(parts) + html[done:]

    def action_view_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.product_template_action"
        )
        action["domain"] = [("id", "in", self._all_product_tmpls().ids)]
        action["context"] = {"default_support_tier_id": self.id}
        return action

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.res_partner_action_customer"
        )
        action["domain"] = [
            ("support_tier_id", "=", self.id),
            ("parent_id", "=", False),
        ]
        action["context"] = {}
        return action

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contract.action_customer_contract"
        )
        action["domain"] = self._contract_domain()
        action["context"] = {"is_contract": 1, "default_contract_type": "sale"}
        return action

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Rows of the support tier comparison, in display order.
SUPPORT_TABLE_ROWS = (
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
# Billing periods, the default first.
SUPPORT_TABLE_PERIODS = ("yearly", "monthly")


class Website(models.Model):
    _inherit = "website"

    support_hosting_url = fields.Char(
        string="Hosting Offer URL",
        default="/shop",
        help="Where the comparison table sends visitors for Basis, which comes "
        "with the hosting offers.",
    )

    @api.constrains("support_hosting_url")
    def _check_support_hosting_url(self):
        for website in self:
            url = website.support_hosting_url or ""
            if url and not (
                (url.startswith("/") and not url.startswith("//"))
                or url.startswith(("https://", "http://"))
            ):
                raise ValidationError(
                    self.env._(
                        "The hosting offer URL must be a page of the website "
                        "(/shop/...) or a web address (https://...), not %(url)s.",
                        url=url,
                    )
                )

    def _support_tier_table(self, period=None, hidden_rows=None, recommended=None):
        """What the support tier comparison (``/support``, the snippet, the
        portal) shows this website's current visitor, for the snippet's
        options; unknown option values fall back to the defaults.

        Returns a dict: the published ``tiers`` of the website's company, the
        ``period`` whose buy button comes first, the ``rows`` shown, the
        ``recommended`` tier's code (or None) and the ``cache_key`` of QWeb's
        ``t-cache``: the records the rendered table is made of. QWeb puts the
        last write date of records in the key, so the next visitor after any
        change to them gets a freshly rendered table; a visitor whose request
        started before the change was committed caches the old table under
        the old key, which nobody asks for any more.
        """
        self.ensure_one()
        website = self.sudo()
        period = period if period in SUPPORT_TABLE_PERIODS else "yearly"
        rows = self._support_tier_rows(hidden_rows)
        tiers = (
            self.env["support.tier"]
            .sudo()
            .search(
                [
                    ("is_published", "=", True),
                    ("company_id", "=", website.company_id.id),
                ]
            )
        )
        if recommended not in tiers.mapped("code"):
            recommended = None
        templates = tiers.product_tmpl_ids
        pricelist = website.pricelist_id
        fiscal_position = website.fiscal_position_id
        company = website.company_id
        currencies = website.currency_id | templates.currency_id
        rates = currencies._get_rates(company, fields.Date.context_today(self))
        cache_key = (
            website,
            company,
            pricelist,
            self._support_tier_price_rules(pricelist, templates),
            fiscal_position,
            fiscal_position.tax_ids,
            tiers,
            templates,
            templates.product_variant_ids,
            templates.taxes_id,
            tuple(sorted(rates.items())),
            period,
            rows,
            recommended,
        )
        return {
            "tiers": tiers,
            "period": period,
            "rows": rows,
            "recommended": recommended,
            "cache_key": cache_key,
        }

    @api.model
    def _support_tier_rows(self, hidden_rows=None):
        """The rows of the comparison in display order, but ``hidden_rows``."""
        hidden = set(hidden_rows or ())
        return tuple(row for row in SUPPORT_TABLE_ROWS if row not in hidden)

    @api.model
    def _support_tier_price_rules(self, pricelist, templates):
        """The pricelist rules that apply to ``templates`` now, following
        rules based on other pricelists: the rule that starts or ends at a
        set time changes the table's cache key then."""
        now = fields.Datetime.now()
        rules = self.env["product.pricelist.item"]
        seen = todo = pricelist
        while todo:
            found = rules.browse()
            for based_on in todo:
                found |= based_on._get_applicable_rules(templates, now)
            rules |= found
            todo = found.filtered(lambda r: r.base == "pricelist").base_pricelist_id
            todo -= seen
            seen |= todo
        return rules

    def _support_tier_columns(self, tiers):
        """One column per tier of the comparison: its monthly and yearly
        prices as the shop shows them to this website's current visitor
        (pricelist, currency, fiscal position, taxes included or not), and
        its published products, the default period's first."""
        self.ensure_one()
        columns = []
        for tier in tiers:
            products = {
                "monthly": tier.product_monthly_id,
                "yearly": tier.product_yearly_id,
            }
            month_price, year_price = tier._complete_period_prices(
                *(
                    product._get_combination_info()["price"] if product else None
                    for product in products.values()
                )
            )
            columns.append(
                {
                    "tier": tier,
                    "price_month": month_price or 0.0,
                    "price_year": year_price or 0.0,
                    "is_free": not (month_price or year_price),
                    "products": {
                        period: product
                        for period, product in products.items()
                        if product.is_published and product.sale_ok
                    },
                }
            )
        return columns

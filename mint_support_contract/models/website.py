# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import SQL

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
# Tables of what the comparison shows or computes its prices from, and the
# rows that matter (see Website._support_tier_table_stamp).
TIER_PRODUCTS = "support_tier_id IS NOT NULL"
SUPPORT_TABLE_SOURCES = (
    ("support_tier", "TRUE"),
    ("product_template", TIER_PRODUCTS),
    (
        "product_product",
        f"product_tmpl_id IN (SELECT id FROM product_template WHERE {TIER_PRODUCTS})",
    ),
    ("product_category", "TRUE"),
    ("product_pricelist", "TRUE"),
    ("product_pricelist_item", "TRUE"),
    ("res_country_group", "TRUE"),
    ("account_tax", "TRUE"),
    ("account_fiscal_position", "TRUE"),
    ("account_fiscal_position_tax", "TRUE"),
    ("res_currency_rate", "currency_id IN (SELECT currency_id FROM product_pricelist)"),
    ("res_company", "TRUE"),
    ("website", "TRUE"),
)


def is_same_site_or_web_url(url):
    """A path of this website or an http(s) address, as a browser reads it:
    browsers drop tabs and line breaks and read a backslash as a slash, so
    ``/\\evil.example`` or ``/<TAB>/evil.example`` would open another host."""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


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
            if url and not is_same_site_or_web_url(url):
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

        Returns a dict: the ``period`` whose buy button comes first, the
        ``rows`` shown, the ``recommended`` tier's code and the
        ``cache_key`` of the table's QWeb ``t-cache``: the options, what
        decides the visitor's prices (for visitors who are not logged in:
        the pricelist they chose and their country; for customers: their
        pricelist and fiscal position) and a stamp of the records the table
        is made of (:meth:`_support_tier_table_stamp`), so that the next
        visitor after any change sees a freshly rendered table.
        """
        self.ensure_one()
        period = period if period in SUPPORT_TABLE_PERIODS else "yearly"
        rows = self._support_tier_rows(hidden_rows)
        # Only a published tier's code is kept: other values would only add
        # cache entries.
        if not (
            recommended
            and isinstance(recommended, str)
            and self.env["support.tier"]
            .sudo()
            .search_count(
                [("code", "=", recommended), ("is_published", "=", True)], limit=1
            )
        ):
            recommended = None
        user = self.env.user
        if user._is_public():
            # website_sale picks their pricelist and fiscal position from
            # these, the public partner and the records of the stamp.
            visitor = (
                request and request.session.get("website_sale_current_pl"),
                self._get_geoip_country_code(),
            )
        else:
            visitor = (user.id, self.pricelist_id.id, self.fiscal_position_id.id)
        return {
            "period": period,
            "rows": rows,
            "recommended": recommended,
            "cache_key": (
                self.id,
                period,
                rows,
                recommended,
                visitor,
                self._support_tier_table_stamp(),
            ),
        }

    @api.model
    def _support_tier_rows(self, hidden_rows=None):
        """The rows of the comparison in display order, but ``hidden_rows``."""
        hidden = set(hidden_rows or ())
        return tuple(row for row in SUPPORT_TABLE_ROWS if row not in hidden)

    def _support_tier_table_stamp(self):
        """A stamp of everything the comparison shows or computes its prices
        from, read in one query. It changes with any row created, changed or
        deleted in these tables (a hash over their ids and write dates, so
        that a transaction committing after a later one counts too), with the
        visitor's partner, when a pricelist rule starts or ends and daily.

        A visitor whose request began before a change was committed caches
        the old table under the old stamp, which nobody asks for after it."""
        self.ensure_one()
        hashes = SQL(", ").join(
            SQL(
                "(SELECT COALESCE(SUM(HASHTEXT(id::text || ' ' || "
                "COALESCE(write_date::text, ''))), 0) FROM %s WHERE %s)",
                SQL.identifier(table),
                SQL(where),  # constants of this module
            )
            for table, where in SUPPORT_TABLE_SOURCES
        )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """SELECT ARRAY[%s],
                    (SELECT write_date FROM res_partner WHERE id = %s),
                    (SELECT STRING_AGG(id::text, ',' ORDER BY id)
                       FROM product_pricelist_item
                      WHERE (date_start IS NOT NULL OR date_end IS NOT NULL)
                        AND (date_start IS NULL OR date_start <= %s)
                        AND (date_end IS NULL OR date_end >= %s))""",
                hashes,
                self.env.user.partner_id.id,
                now,
                now,
            )
        )
        stamps, partner_written, rules_in_force = self.env.cr.fetchone()
        # today: currency rates are read for the day
        return (tuple(stamps), str(partner_written), rules_in_force, str(now.date()))

    def _support_tier_columns(self):
        """One column per published tier of the website's company: its
        monthly and yearly prices as the shop shows them to the current
        visitor (pricelist, currency, fiscal position, taxes included or
        not) and its published products by period."""
        self.ensure_one()
        tiers = (
            self.env["support.tier"]
            .sudo()
            .search(
                [("is_published", "=", True), ("company_id", "=", self.company_id.id)]
            )
        )
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

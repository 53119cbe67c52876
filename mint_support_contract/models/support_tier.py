# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_repr

# Longest response target: a working year (a deadline further away is not a
# promise, and finding it would scan the calendar for years).
MAX_RESPONSE = {"hours": 2000, "days": 250}


class SupportTier(models.Model):
    """A level of support a customer can have (Basis, MINT, MINT+).

    Tiers are ranked by ``sequence``: a customer holding several tiers has the
    one that comes last in sequence order (the highest).
    """

    _name = "support.tier"
    _description = "Support Tier"
    _inherit = ["website.published.mixin"]
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
            monthly, yearly = self._complete_period_prices(
                tier._product_price(monthly) if monthly else None,
                tier._product_price(yearly) if yearly else None,
            )
            tier.price_monthly = monthly or 0.0
            tier.price_yearly = yearly or 0.0

    @api.model
    def _complete_period_prices(self, monthly, yearly):
        """(monthly, yearly) prices of a tier from those of its products, None
        for a period it has no product for: a tier sold for one period only
        gets the other period's price from it, twelve months a year."""
        if yearly is None and monthly is not None:
            yearly = monthly * 12
        elif monthly is None and yearly is not None:
            monthly = yearly / 12
        return monthly, yearly

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

    def _credit_display(self):
        self.ensure_one()
        if not self.credit_hours:
            return ""
        count = float_repr(self.credit_hours, 2).rstrip("0").rstrip(".")
        if self.credit_hours == 1:
            return self.env._("1 hour")
        return self.env._("%(count)s hours", count=count)

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

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

# A phone number as people write it: +41 44 244 72 20, (044) 244-72-20, ...
PHONE = re.compile(r"\+?[0-9 ()./-]+")


class ResCompany(models.Model):
    _inherit = "res.company"

    support_email = fields.Char(
        help="Address customers write to for support (all tiers)."
    )
    support_main_phone = fields.Char(
        string="Main Phone Number", help="Main number customers of all tiers call."
    )
    support_phone = fields.Char(
        string="Support Phone Number",
        help="Dedicated support number for tiers that include it.",
    )
    support_default_tier_id = fields.Many2one(
        "support.tier",
        string="Default Support Tier",
        domain="[('company_id', '=', id)]",
        help="Tier for tickets of customers without one. Empty: such tickets "
        "have no SLA.",
    )
    support_sla_risk_share = fields.Float(
        string="SLA At Risk Below (%)",
        default=25.0,
        help="A ticket is at risk when less than this share of its response "
        "target is left.",
    )

    support_sla_acknowledge = fields.Boolean(
        string="Acknowledge New Tickets",
        default=True,
        help="Send the customer of a new ticket, once, when the answer is "
        "promised (e-mail template 'Helpdesk: ticket acknowledgement').",
    )
    support_service_product_id = fields.Many2one(
        "product.product",
        domain=[("type", "=", "service")],
        help="Hourly support service billed beyond the monthly credit; its price "
        "is the standard rate, tiers with a reduced rate get their discount.",
    )

    support_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days)",
        default=30,
        help="How many days before the notice deadline of a support contract "
        "the customer is reminded of its renewal.",
    )
    # Upgrades credit the unused part of the old tier (OCA contract_refund_on_stop).
    enable_contract_line_refund_on_stop = fields.Boolean(default=True)

    @api.constrains("support_sla_risk_share")
    def _check_support_sla_risk_share(self):
        for company in self:
            if not 0 <= company.support_sla_risk_share < 100:
                raise ValidationError(
                    self.env._("The SLA risk share must be at least 0% and below 100%.")
                )

    @api.constrains("support_email", "support_main_phone", "support_phone")
    def _check_support_contacts(self):
        for company in self:
            if company.support_email and not email_normalize(company.support_email):
                raise ValidationError(
                    self.env._(
                        "The support e-mail %(email)s is not a valid e-mail address.",
                        email=company.support_email,
                    )
                )
            for number in (company.support_main_phone, company.support_phone):
                digits = sum(char.isdigit() for char in number or "")
                if number and (not PHONE.fullmatch(number) or digits < 6):
                    raise ValidationError(
                        self.env._(
                            "%(number)s is not a phone number: use digits, spaces "
                            "and an optional leading +, e.g. +41 44 244 72 20.",
                            number=number,
                        )
                    )

    @api.constrains("support_renewal_reminder_days")
    def _check_support_renewal_reminder_days(self):
        for company in self:
            if not 0 <= company.support_renewal_reminder_days <= 365:
                raise ValidationError(
                    self.env._(
                        "The renewal reminder is sent between 0 and 365 days "
                        "before the notice deadline."
                    )
                )

    @api.constrains("support_default_tier_id", "support_service_product_id")
    def _check_support_records(self):
        for company in self:
            tier = company.support_default_tier_id
            if tier and tier.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The default support tier %(tier)s belongs to another "
                        "company than %(company)s.",
                        tier=tier.name,
                        company=company.name,
                    )
                )
            product = company.support_service_product_id
            if product and product.type != "service":
                raise ValidationError(
                    self.env._(
                        "The support service product %(product)s must be a service.",
                        product=product.display_name,
                    )
                )

    def _support_today(self):
        """Today in the company's time zone (its working hours', else UTC):
        where support months begin and end."""
        self.ensure_one()
        company = self.sudo()  # portal users may not read calendars
        tz = pytz.timezone(
            company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        )
        return datetime.now(pytz.utc).astimezone(tz).date()

    @api.model
    def _support_enable_refund_on_stop(self):
        """Upgrades credit the unused part of the old tier: switch OCA's
        refund on stop on for every company (at install and upgrade)."""
        self.sudo().search([]).write({"enable_contract_line_refund_on_stop": True})

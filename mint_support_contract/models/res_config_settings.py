# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    support_email = fields.Char(related="company_id.support_email", readonly=False)
    support_main_phone = fields.Char(
        related="company_id.support_main_phone", readonly=False
    )
    support_phone = fields.Char(related="company_id.support_phone", readonly=False)
    support_default_tier_id = fields.Many2one(
        related="company_id.support_default_tier_id", readonly=False
    )
    support_sla_risk_share = fields.Float(
        related="company_id.support_sla_risk_share", readonly=False
    )
    support_sla_acknowledge = fields.Boolean(
        related="company_id.support_sla_acknowledge", readonly=False
    )
    support_service_product_id = fields.Many2one(
        related="company_id.support_service_product_id", readonly=False
    )
    support_hosting_url = fields.Char(
        related="website_id.support_hosting_url", readonly=False
    )
    support_renewal_reminder_days = fields.Integer(
        related="company_id.support_renewal_reminder_days", readonly=False
    )

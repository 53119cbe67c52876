# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError


class SupportBillingRun(models.TransientModel):
    """Bill the support hours of an ended month now (the monthly cron does
    the same for last month). Only invoicing users may create it."""

    _name = "support.billing.run"
    _description = "Bill Support Hours of a Month"

    month = fields.Date(
        required=True,
        default=lambda self: (
            self.env.company._support_today() - relativedelta(months=1)
        ).replace(day=1),
        help="Any day of the month to bill.",
    )

    def action_run(self):
        self.ensure_one()
        if self.month >= self.env.company._support_today().replace(day=1):
            raise UserError(
                self.env._(
                    "Only a month that has ended can be billed: the hours of "
                    "%(month)s may still grow.",
                    month=self.month.strftime("%m/%Y"),
                )
            )
        billings = self.env["support.billing"]._run(self.month, self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mint_support_contract.support_billing_action"
        )
        action["domain"] = [("id", "in", billings.ids)]
        return action

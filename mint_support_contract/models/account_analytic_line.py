# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

BILLED_FIELDS = {"unit_amount", "date", "ticket_id", "project_id"}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    support_partner_id = fields.Many2one(
        "res.partner",
        string="Support Customer",
        related="ticket_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    support_billing_id = fields.Many2one(
        "support.billing",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    support_billed_hours = fields.Float(readonly=True, copy=False)
    support_billing_changed = fields.Boolean(
        string="Changed After Billing",
        readonly=True,
        copy=False,
        help="The entry was edited (or logged on a month already billed) after "
        "the monthly support billing: check it, it is not billed again.",
    )

    def write(self, vals):
        if BILLED_FIELDS & set(vals) and not self.env.context.get("support_billing"):
            billed = self.filtered("support_billing_id")
            if billed:
                vals = dict(vals)
                res = super(AccountAnalyticLine, self - billed).write(vals)
                vals["support_billing_changed"] = True
                return super(AccountAnalyticLine, billed).write(vals) and res
        return super().write(vals)

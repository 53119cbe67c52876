# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .system_fields import strip_system_fields

# What a billed time entry bills: locked once billed.
BILLED_FIELDS = {"unit_amount", "date", "ticket_id", "project_id", "company_id"}
# Longest time entry on a ticket, either way (a correction is negative).
MAX_ENTRY_HOURS = 24.0


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
        ondelete="restrict",
        help="The monthly support billing that billed this entry: it is locked "
        "from then on.",
    )

    @api.constrains("unit_amount", "ticket_id")
    def _check_support_hours(self):
        for line in self.filtered("ticket_id"):
            hours = line.unit_amount
            if not math.isfinite(hours) or abs(hours) > MAX_ENTRY_HOURS:
                raise ValidationError(
                    self.env._(
                        "A time entry on a ticket is at most %(max)s hours, or "
                        "minus %(max)s hours for a correction, not %(hours)s.",
                        max=int(MAX_ENTRY_HOURS),
                        hours=hours,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(
            strip_system_fields(self, vals_list, {"support_billing_id"})
        )

    def write(self, vals):
        [vals] = strip_system_fields(self, [vals], {"support_billing_id"})
        if BILLED_FIELDS & set(vals):
            self._support_check_unbilled()
        return super().write(vals)

    def unlink(self):
        self._support_check_unbilled()
        return super().unlink()

    def _support_check_unbilled(self):
        billed = self.filtered("support_billing_id")
        if billed:
            raise UserError(
                self.env._(
                    "%(billing)s is billed: its time entries cannot change any "
                    "more. Log a correction instead (a new entry, negative to "
                    "take hours off); the next support billing bills the "
                    "difference.",
                    billing=billed[:1].support_billing_id.display_name,
                )
            )

    def _support_billing_link(self, billing):
        """Link entries to the billing that billed them: the billing run's
        own path, past the check of :meth:`write`."""
        return super(AccountAnalyticLine, self.sudo()).write(
            {"support_billing_id": billing.id}
        )

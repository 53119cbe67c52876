# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import format_date

from .support_utils import ONE_DAY


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # Where the support of the contract stands today (depends on the date:
    # computed, not stored).
    support_line_id = fields.Many2one(
        "contract.line",
        string="Current Support",
        compute="_compute_support_status",
        help="The support line of this contract running today (else the next "
        "one to start, else the last one that ended).",
    )
    support_term_start = fields.Date(
        string="Term Start", compute="_compute_support_status"
    )
    support_term_end = fields.Date(string="Term End", compute="_compute_support_status")
    support_end_date = fields.Date(
        string="Support Runs Until",
        compute="_compute_support_status",
        help="Last day the customer is committed to (renewed terms included).",
    )
    support_renewal_date = fields.Date(
        string="Renews On",
        compute="_compute_support_status",
        help="Day the support goes on after its end date (renewal or planned "
        "change); empty when it ends.",
    )
    support_cancel_by = fields.Date(
        string="Cancel By",
        compute="_compute_support_status",
        help="Last day to cancel so that the support ends on its end date.",
    )
    support_next_product_id = fields.Many2one(
        "product.product",
        string="Renews As",
        compute="_compute_support_status",
    )
    support_next_price = fields.Monetary(
        string="Renewal Price", compute="_compute_support_status"
    )
    support_next_price_display = fields.Char(
        string="Renewal Price per Period", compute="_compute_support_status"
    )
    support_next_invoice_date = fields.Date(
        string="Next Support Invoice", compute="_compute_support_status"
    )

    @api.depends(
        "contract_line_ids.date_start",
        "contract_line_ids.date_end",
        "contract_line_ids.is_canceled",
        "contract_line_ids.is_auto_renew",
        "contract_line_ids.successor_contract_line_id",
        "contract_line_ids.recurring_next_date",
    )
    @api.depends_context("lang")
    def _compute_support_status(self):
        today = fields.Date.context_today(self)
        for contract in self:
            line = contract._support_line(today)
            values = dict.fromkeys(
                (
                    "support_line_id",
                    "support_term_start",
                    "support_term_end",
                    "support_end_date",
                    "support_renewal_date",
                    "support_cancel_by",
                    "support_next_product_id",
                    "support_next_price_display",
                    "support_next_invoice_date",
                ),
                False,
            )
            values["support_next_price"] = 0.0
            if line and line.date_end and line.date_end < today:
                values.update(
                    support_line_id=line.id,
                    support_term_start=line._support_term(line.date_end)[0],
                    support_term_end=line.date_end,
                    support_end_date=line.date_end,
                )
            elif line:
                commitment = line._support_commitment(today)
                term_start, term_end = line._support_term(today)
                next_line = commitment.next_line
                values.update(
                    support_line_id=line.id,
                    support_term_start=term_start,
                    support_term_end=term_end,
                    support_end_date=commitment.date_end,
                    support_cancel_by=commitment.cancel_by,
                    support_next_invoice_date=line.recurring_next_date,
                )
                if not line.recurring_next_date:
                    # the term is paid: the next invoice opens what follows
                    upcoming = ((commitment.line | next_line) - line).filtered(
                        "recurring_next_date"
                    )
                    if upcoming:
                        values["support_next_invoice_date"] = min(
                            upcoming.mapped("recurring_next_date")
                        )
                    elif next_line:
                        values["support_next_invoice_date"] = (
                            commitment.date_end + ONE_DAY
                        )
                if next_line:
                    values.update(
                        support_renewal_date=commitment.date_end + ONE_DAY,
                        support_next_product_id=next_line.product_id.id,
                        support_next_price=next_line.price_subtotal,
                        support_next_price_display=next_line._support_price_display(),
                    )
            contract.update(values)

    def _support_line(self, day=None):
        """The contract's support line running on ``day`` (default today), else
        the next one to start, else the last one that ended."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        lines = self.sudo().contract_line_ids.filtered(
            lambda line: line.support_tier_id and not line.is_canceled
        )
        ended = lines.filtered(
            lambda line: line.date_end and line.date_end < day
        ).sorted("date_end")
        lines = (lines - ended).sorted("date_start")
        running = lines.filtered(lambda line: line.date_start <= day)
        return running[-1:] or lines[:1] or ended[-1:]

    def write(self, vals):
        partners = self.partner_id
        res = super().write(vals)
        if {"active", "partner_id", "contract_type", "company_id"} & set(vals):
            self.env["res.partner"]._refresh_support_tier(partners | self.partner_id)
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        self.env["res.partner"]._refresh_support_tier(partners)
        return res

    def action_support_change(self):
        """Open the wizard changing or cancelling this contract's support."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mint_support_contract.support_tier_change_action"
        )
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def _support_post_change(self, summary, effective_date):
        """Tell what changed in the support: in the chatter (by whom and when),
        to the customer as an OCA contract modification, and to the account
        manager when the customer made the change."""
        user = self.env.user
        body = Markup("<p>%s</p>") % self.env._(
            "Support changed by %(user)s on %(today)s: %(summary)s",
            user=user.name,
            today=format_date(self.env, fields.Date.context_today(self)),
            summary=summary,
        )
        for contract in self.sudo():
            manager = (
                contract.commercial_partner_id.support_account_manager_id
                or contract.user_id
            )
            notify = manager.partner_id if user.share else manager.partner_id.browse()
            contract.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                partner_ids=notify.ids,
            )
            contract.write(
                {
                    "modification_ids": [
                        Command.create({"date": effective_date, "description": summary})
                    ]
                }
            )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

_logger = logging.getLogger(__name__)


def company_today(company):
    """Today in the company's time zone (its working hours', else UTC)."""
    company = company.sudo()  # portal users may not read calendars
    tz = pytz.timezone(
        company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
    )
    return datetime.now(pytz.utc).astimezone(tz).date()


class SupportBilling(models.Model):
    """The support hours of one customer for one calendar month: how many
    were logged, how much of the tier's monthly credit they used, how many
    are billable and on which draft invoice.

    One record per customer and month (unique): the monthly run can be
    repeated and never bills twice. Credit is not a counter that agents
    consume while logging time; it is derived here, once, from the hours of
    the whole month, so concurrent time entries cannot use the same credit
    twice.
    """

    _name = "support.billing"
    _description = "Monthly Support Billing"
    _order = "month desc, partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    month = fields.Date(
        required=True, readonly=True, help="First day of the billed month."
    )
    tier_id = fields.Many2one("support.tier", string="Support Tier", readonly=True)
    timesheet_ids = fields.One2many(
        "account.analytic.line", "support_billing_id", string="Time Entries"
    )
    logged_hours = fields.Float(readonly=True)
    credit_hours = fields.Float(string="Credit Applied (hours)", readonly=True)
    billable_hours = fields.Float(readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False)
    changed_count = fields.Integer(
        string="Entries Changed After Billing", compute="_compute_changed_count"
    )

    _sql_constraints = [
        (
            "partner_month_uniq",
            "unique(partner_id, company_id, month)",
            "A customer's support hours are billed once per month.",
        ),
    ]

    @api.depends("timesheet_ids.support_billing_changed")
    def _compute_changed_count(self):
        for billing in self:
            billing.changed_count = len(
                billing.timesheet_ids.filtered("support_billing_changed")
            )

    @api.depends("partner_id", "month")
    def _compute_display_name(self):
        for billing in self:
            billing.display_name = (
                f"{billing.partner_id.display_name} "
                f"{billing.month and billing.month.strftime('%Y-%m') or ''}"
            )

    @api.model
    def _month_bounds(self, month):
        start = month.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _run(self, month, companies=None):
        """Bill the support hours of ``month`` (any date in it) for every
        customer of ``companies`` (default: the current company)."""
        companies = companies or self.env.company
        start, end = self._month_bounds(month)
        billings = self.browse()
        for company in companies:
            billings |= self._run_company(company, start, end)
        return billings

    def _run_company(self, company, start, end):
        product = company.support_service_product_id
        if not product:
            raise UserError(
                self.env._(
                    "Set the support service product of %(company)s before "
                    "billing support hours.",
                    company=company.name,
                )
            )
        Line = self.env["account.analytic.line"]
        lines = Line.search(
            [
                ("company_id", "=", company.id),
                ("ticket_id", "!=", False),
                ("project_id", "!=", False),
                ("date", ">=", start),
                ("date", "<=", end),
                ("support_billing_id", "=", False),
                ("support_partner_id", "!=", False),
            ],
            order="date, id",
        )
        by_partner = defaultdict(lambda: Line)
        for line in lines:
            by_partner[line.support_partner_id] |= line
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("month", "=", start),
                ("partner_id", "in", [p.id for p in by_partner]),
            ]
        )
        billed_partners = existing.partner_id
        # Time logged on a month that is already billed: flag it for a human.
        late = Line.browse()
        for partner in billed_partners:
            late |= by_partner.pop(partner)
        late.write({"support_billing_changed": True})
        # The tier of the billed month, not of the day of the run: the
        # highest among the contracts running during the month.
        partners = self.env["res.partner"].browse([p.id for p in by_partner])
        tiers = partners._support_tier_by_partner(partners, start, end)
        billings = self.browse()
        for partner, partner_lines in by_partner.items():
            tier = tiers.get(partner.id, self.env["support.tier"])
            if tier.company_id != company:
                tier = self.env["support.tier"]
            billings |= self._bill_partner(company, partner, tier, start, partner_lines)
        return billings

    def _bill_partner(self, company, partner, tier, month, lines):
        credit_left = tier.credit_hours
        per_ticket = defaultdict(lambda: {"hours": 0.0, "credit": 0.0})
        for line in lines:
            used = min(credit_left, line.unit_amount)
            credit_left -= used
            per_ticket[line.ticket_id]["hours"] += line.unit_amount
            per_ticket[line.ticket_id]["credit"] += used
        logged = sum(line.unit_amount for line in lines)
        credit = tier.credit_hours - credit_left
        billable = float_round(logged - credit, precision_digits=2)
        billing = self.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "month": month,
                "tier_id": tier.id,
                "logged_hours": logged,
                "credit_hours": credit,
                "billable_hours": max(billable, 0.0),
            }
        )
        for amount in set(lines.mapped("unit_amount")):
            lines.filtered(
                lambda line, amount=amount: line.unit_amount == amount
            ).write({"support_billing_id": billing.id, "support_billed_hours": amount})
        if billable > 0:
            billing.invoice_id = self._create_invoice(
                company, partner, tier, month, per_ticket
            )
        return billing

    def _create_invoice(self, company, partner, tier, month, per_ticket):
        product = company.support_service_product_id.with_company(company)
        discount = tier.reduced_rate_discount if tier.has_reduced_rate else 0.0
        month_label = month.strftime("%m/%Y")
        invoice_lines = [
            Command.create(
                {
                    "display_type": "line_section",
                    "name": self.env._("Support services %(month)s", month=month_label),
                }
            )
        ]
        for ticket, hours in per_ticket.items():
            billable = hours["hours"] - hours["credit"]
            if billable <= 0:
                continue
            invoice_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "%(ticket)s: %(hours).2f h logged, %(credit).2f h "
                            "credit applied, %(billable).2f h billable",
                            ticket=ticket.display_name,
                            hours=hours["hours"],
                            credit=hours["credit"],
                            billable=billable,
                        ),
                        "quantity": billable,
                        "product_uom_id": product.uom_id.id,
                        "price_unit": product.lst_price,
                        "discount": discount,
                    }
                )
            )
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_origin": self.env._("Support hours"),
                    "invoice_line_ids": invoice_lines,
                }
            )
        )

    @api.model
    def _cron_bill_previous_month(self):
        """Monthly: bill last month's support hours of every company."""
        companies = self.env["res.company"].search([])
        for company in companies:
            last_month = company_today(company) - relativedelta(months=1)
            try:
                with self.env.cr.savepoint():
                    self._run(last_month, company)
            except UserError as error:
                _logger.warning(
                    "Support billing skipped for %s: %s", company.name, error
                )

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }

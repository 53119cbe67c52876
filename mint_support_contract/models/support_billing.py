# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from .concurrency import run_again_on_conflict

_logger = logging.getLogger(__name__)


class SupportBilling(models.Model):
    """The support hours of one customer for one calendar month: how many
    were logged, how much of the tier's monthly credit they used, how many
    were billed and on which invoices.

    One record per customer and month (unique): the monthly run can be
    repeated and never bills twice. Credit is not a counter that agents
    consume while logging time; it is derived here from the net hours of the
    whole month, so that concurrent time entries cannot use the same credit
    twice and corrections (negative entries) net out. Billed time entries are
    locked; time logged later on a billed month is billed by the next run as
    the difference it makes (an invoice, or a credit note).
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
    logged_hours = fields.Float(readonly=True, help="Net hours logged in the month.")
    credit_hours = fields.Float(string="Credit Applied (hours)", readonly=True)
    billable_hours = fields.Float(
        readonly=True, help="Hours billed for the month, corrections included."
    )
    invoice_ids = fields.One2many(
        "account.move",
        "support_billing_id",
        string="Invoices",
        readonly=True,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    _sql_constraints = [
        (
            "partner_month_uniq",
            "unique(partner_id, company_id, month)",
            "A customer's support hours are billed once per month.",
        ),
    ]

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for billing in self:
            billing.invoice_count = len(billing.invoice_ids)

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
        customer of ``companies`` (default: the current company): a first
        invoice for a month not billed yet, the difference for a billed month
        that got more time entries. Runs as the system: call it only for
        users allowed to bill (see :class:`SupportBillingRun`)."""
        self = self.sudo()
        companies = companies or self.env.company
        start, end = self._month_bounds(month)
        billings = self.browse()
        for company in companies:
            billings |= self._run_company(company.sudo(), start, end)
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
        month_domain = [
            ("company_id", "=", company.id),
            ("ticket_id", "!=", False),
            ("project_id", "!=", False),
            ("support_partner_id", "!=", False),
            ("date", ">=", start),
            ("date", "<=", end),
        ]
        new_lines = Line.search([*month_domain, ("support_billing_id", "=", False)])
        partners = new_lines.support_partner_id
        if not partners:
            return self.browse()
        # Lock the month of these customers (in one order: no deadlock): a
        # second run at the same time (another worker or server, the cron)
        # waits here, then fails on the rows this one billed and starts
        # again, finding nothing new (models/concurrency.py).
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_analytic_line WHERE id IN %s "
                "ORDER BY id FOR NO KEY UPDATE",
                tuple(new_lines.ids),
            ),
            log_exceptions=False,  # a conflict is expected, and handled
        )
        lines = Line.search(
            [*month_domain, ("support_partner_id", "in", partners.ids)],
            order="date, id",
        )
        existing = {
            billing.partner_id: billing
            for billing in self.search(
                [
                    ("company_id", "=", company.id),
                    ("month", "=", start),
                    ("partner_id", "in", partners.ids),
                ]
            )
        }
        # The tier of the billed month, not of the day of the run: the
        # highest among the contracts running during the month.
        tiers = self.env["res.partner"]._support_tier_by_partner(partners, start, end)
        billings = self.browse()
        for partner in partners:
            tier = tiers.get(partner.id, self.env["support.tier"])
            if tier.company_id != company:
                tier = self.env["support.tier"]
            partner_lines = lines.filtered(
                lambda line, partner=partner: line.support_partner_id == partner
            )
            billings |= self._bill_partner(
                company, partner, tier, start, partner_lines, existing.get(partner)
            )
        return billings

    def _bill_partner(self, company, partner, tier, month, lines, billing=None):
        """Bill ``lines`` (all the time entries of the customer's month).
        A month billed before gets the difference its new entries make."""
        per_ticket = defaultdict(float)
        for line in lines:
            per_ticket[line.ticket_id] += line.unit_amount
        logged = float_round(sum(per_ticket.values()), precision_digits=2)
        credit = float_round(
            min(tier.credit_hours, max(logged, 0.0)), precision_digits=2
        )
        billable = float_round(max(logged - credit, 0.0), precision_digits=2)
        totals = {
            "tier_id": tier.id,
            "logged_hours": logged,
            "credit_hours": credit,
            "billable_hours": billable,
        }
        if billing:
            delta = float_round(billable - billing.billable_hours, precision_digits=2)
            billing.write(totals)
        else:
            delta = billable
            billing = self.create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "month": month,
                    **totals,
                }
            )
        lines.filtered(lambda line: not line.support_billing_id)._support_billing_link(
            billing
        )
        if delta and not billing.invoice_ids:
            billing._create_invoice(self._invoice_lines_per_ticket(tier, per_ticket))
        elif delta:
            billing._create_correction(delta)
        return billing

    @api.model
    def _invoice_lines_per_ticket(self, tier, per_ticket):
        """(ticket, net hours, credit applied, billable hours) per ticket: the
        credit goes to the tickets in the order of their first entry."""
        credit_left = tier.credit_hours
        rows = []
        for ticket, hours in per_ticket.items():
            used = min(credit_left, max(hours, 0.0))
            credit_left -= used
            rows.append((ticket, hours, used, hours - used))
        return rows

    def _invoice_line_vals(self, name, quantity):
        self.ensure_one()
        tier = self.tier_id
        product = self.company_id.support_service_product_id.with_company(
            self.company_id
        )
        return {
            "product_id": product.id,
            "name": name,
            "quantity": quantity,
            "product_uom_id": product.uom_id.id,
            "price_unit": product.lst_price,
            "discount": tier.reduced_rate_discount if tier.has_reduced_rate else 0.0,
        }

    def _month_label(self):
        self.ensure_one()
        return self.month.strftime("%m/%Y")

    def _create_move(self, move_type, lines):
        self.ensure_one()
        return (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.env._("Support hours"),
                    "support_billing_id": self.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "display_type": "line_section",
                                "name": self.env._(
                                    "Support services %(month)s",
                                    month=self._month_label(),
                                ),
                            }
                        ),
                        *(Command.create(vals) for vals in lines),
                    ],
                }
            )
        )

    def _create_invoice(self, rows):
        self.ensure_one()
        lines = [
            self._invoice_line_vals(
                self.env._(
                    "%(ticket)s: %(hours).2f h logged, %(credit).2f h "
                    "credit applied, %(billable).2f h billable",
                    ticket=ticket.display_name,
                    hours=hours,
                    credit=credit,
                    billable=billable,
                ),
                billable,
            )
            for ticket, hours, credit, billable in rows
            if float_round(billable, precision_digits=2)
        ]
        return self._create_move("out_invoice", lines)

    def _create_correction(self, delta):
        """Time logged on the month after it was billed: an invoice for the
        hours it adds, a credit note for the hours a correction removes."""
        self.ensure_one()
        name = self.env._(
            "Correction of the support hours of %(month)s: %(hours).2f h",
            month=self._month_label(),
            hours=delta,
        )
        move_type = "out_invoice" if delta > 0 else "out_refund"
        return self._create_move(move_type, [self._invoice_line_vals(name, abs(delta))])

    @api.model
    def _cron_bill_previous_month(self):
        """Monthly: bill the ended months of every company: last month, and
        time logged later on months billed before. A run of the wizard at the
        same time makes it start again and bill what that one left."""
        run_again_on_conflict(self.env, self._bill_ended_months)

    @api.model
    def _bill_ended_months(self):
        Line = self.env["account.analytic.line"].sudo()
        for company in self.env["res.company"].search([]):
            first_open = company._support_today().replace(day=1)
            months = {
                month.replace(day=1)
                for [month] in Line._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("ticket_id", "!=", False),
                        ("project_id", "!=", False),
                        ("support_partner_id", "!=", False),
                        ("support_billing_id", "=", False),
                        ("date", "<", first_open),
                    ],
                    ["date:month"],
                )
            }
            for month in sorted(months):
                try:
                    with self.env.cr.savepoint():
                        self._run(month, company)
                except UserError as error:
                    _logger.warning(
                        "Support billing skipped for %s: %s", company.name, error
                    )

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("support_billing_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

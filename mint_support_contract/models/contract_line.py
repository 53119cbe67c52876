# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import namedtuple

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero, format_date
from odoo.tools.misc import format_amount

from .support_utils import ONE_DAY, period_containing, unused_share

_logger = logging.getLogger(__name__)

TIER_FIELDS = {
    "active",
    "contract_id",
    "date_end",
    "date_start",
    "is_canceled",
    "product_id",
}

# Where a support line stands today:
# - line: the line whose term the customer is committed to (the running line,
#   or what follows it once the notice deadline before it has passed);
# - date_end: the last day of that commitment;
# - cancel_by: the last day to cancel so that the support ends on date_end
#   (False when it ends then anyway);
# - next_line: what follows date_end (the same line renewed, a planned
#   successor, or nothing);
# - renew_due: the renewal of ``line`` is due but the daily run has not done it.
Commitment = namedtuple(
    "Commitment", ["line", "date_end", "cancel_by", "next_line", "renew_due"]
)

# What buying ``product`` means for a customer:
# - kind: "new" (holds no support), "upgrade", "downgrade", "switch" (same
#   tier, other period), "same" (holds it) or "planned" (already planned);
# - current: the support line the customer holds;
# - replaced: the line the new one replaces (stopped the day before date_start);
# - date_start: first day of the new line;
# - credit: credit for the unused part of ``replaced`` (upgrades);
# - drop: planned lines that the change removes.
SupportChange = namedtuple(
    "SupportChange",
    ["kind", "product", "current", "replaced", "date_start", "credit", "drop"],
)


class ContractLine(models.Model):
    _inherit = "contract.line"

    support_tier_id = fields.Many2one(
        "support.tier",
        related="product_id.product_tmpl_id.support_tier_id",
        string="Support Tier",
    )
    support_reminder_date_end = fields.Date(
        string="Renewal Reminder Sent For",
        readonly=True,
        copy=False,
        help="End of the term whose renewal reminder was sent to the customer.",
    )

    @api.constrains(
        "product_id", "quantity", "date_start", "date_end", "is_canceled", "contract_id"
    )
    def _check_support_one_at_a_time(self):
        """A customer never has two support lines for the same days, and a
        support line is one support (quantity 1): no period is billed twice."""
        lines = self.sudo().filtered(
            lambda line: (
                line.support_tier_id
                and not line.is_canceled
                and line.active
                and line.contract_id.contract_type == "sale"
            )
        )
        for line in lines:
            if float_compare(line.quantity, 1.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "%(product)s is one support: its quantity is 1.",
                        product=line.product_id.display_name,
                    )
                )
            domain = expression.AND(
                [
                    self._support_line_domain(),
                    [
                        ("id", "!=", line.id),
                        (
                            "contract_id.commercial_partner_id",
                            "=",
                            line.contract_id.commercial_partner_id.id,
                        ),
                        ("contract_id.company_id", "=", line.contract_id.company_id.id),
                        "|",
                        ("date_end", "=", False),
                        ("date_end", ">=", line.date_start),
                    ],
                ]
            )
            if line.date_end:
                domain.append(("date_start", "<=", line.date_end))
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(customer)s already has %(product)s from %(start)s to "
                        "%(end)s: a customer has one support at a time. Change "
                        "the support tier instead of selling a second one.",
                        customer=line.contract_id.commercial_partner_id.display_name,
                        product=other.product_id.display_name,
                        start=format_date(self.env, other.date_start),
                        end=format_date(self.env, other.date_end)
                        if other.date_end
                        else "…",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["res.partner"]._refresh_support_tier(lines.contract_id.partner_id)
        return lines

    def write(self, vals):
        partners = self.contract_id.partner_id
        res = super().write(vals)
        if TIER_FIELDS & set(vals):
            self.env["res.partner"]._refresh_support_tier(
                partners | self.contract_id.partner_id
            )
        return res

    def unlink(self):
        partners = self.contract_id.partner_id
        res = super().unlink()
        self.env["res.partner"]._refresh_support_tier(partners)
        return res

    # OCA hooks

    @api.model
    def _contract_line_to_renew_domain(self):
        """Support can be cancelled on its notice date itself: it renews the
        day after (OCA renews on the notice date)."""
        today = fields.Date.context_today(self)
        return expression.AND(
            [
                super()._contract_line_to_renew_domain(),
                [
                    "|",
                    ("product_id.product_tmpl_id.support_tier_id", "=", False),
                    ("termination_notice_date", "<", today),
                ],
            ]
        )

    def _should_set_successor(self, date_start):
        """A support line bought to start the day after this one ends (a
        downgrade or period switch at the term end) is its successor too."""
        if (
            self.support_tier_id
            and date_start
            and self.date_end
            and date_start == self.date_end + ONE_DAY
        ):
            return True
        return super()._should_set_successor(date_start)

    def _create_refund_on_stop(self, to_refund_start_date, to_refund_end_date):
        """OCA credits from the new end date on, though the line still runs
        (and was paid for) that day: a support line is credited from the day
        after. Nothing to credit on a free line; a line stopped before it
        started is credited whole and left never invoiced, so that it can be
        cancelled."""
        if not self.support_tier_id:
            return super()._create_refund_on_stop(
                to_refund_start_date, to_refund_end_date
            )
        self.ensure_one()
        first_day = to_refund_start_date + ONE_DAY
        if not float_is_zero(self.price_unit, precision_digits=2):
            self.env["account.move"].sudo().create(
                self._prepare_refund_on_stop_vals(first_day, to_refund_end_date)
            )
        self.last_date_invoiced = (
            to_refund_start_date if to_refund_start_date >= self.date_start else False
        )

    def _get_refund_on_stop_quantity(self, to_refund_start_date, to_refund_end_date):
        """Support lines: the share of each invoiced period from the first to
        the last day credited, by days of that period (OCA counts days of the
        period starting on the stop date and drops a last single day)."""
        if not self.support_tier_id:
            return super()._get_refund_on_stop_quantity(
                to_refund_start_date, to_refund_end_date
            )
        self.ensure_one()
        length = self.get_relative_delta(
            self.recurring_rule_type, self.recurring_interval
        )
        return self.quantity * unused_share(
            self.date_start, length, to_refund_start_date, to_refund_end_date
        )

    def _prepare_refund_on_stop_line(self, to_refund_start_date, to_refund_end_date):
        """Support lines: the prorated share goes into the price, exact to the
        cent (a quantity keeps two decimals only)."""
        vals = super()._prepare_refund_on_stop_line(
            to_refund_start_date, to_refund_end_date
        )
        if self.support_tier_id and self.quantity:
            vals["price_unit"] = self.currency_id.round(
                self.price_unit * vals["quantity"] / self.quantity
            )
            vals["quantity"] = self.quantity
        return vals

    def _get_refund_on_stop_line_name(self, to_refund_start_date, to_refund_end_date):
        if not self.support_tier_id:
            return super()._get_refund_on_stop_line_name(
                to_refund_start_date, to_refund_end_date
            )
        line = self.with_context(lang=self.contract_id.partner_id.lang)
        return line.env._(
            "Credit for the unused part of %(product)s, %(start)s to %(end)s",
            product=line.product_id.with_context(display_default_code=False).name,
            start=format_date(line.env, to_refund_start_date),
            end=format_date(line.env, to_refund_end_date),
        )

    # Support lines

    @api.model
    def _support_line_domain(self):
        """Running or planned lines of support tier products (not hosting)."""
        return [
            ("product_id.product_tmpl_id.support_tier_id", "!=", False),
            ("is_canceled", "=", False),
            ("contract_id.active", "=", True),
            ("contract_id.contract_type", "=", "sale"),
        ]

    @api.model
    def _support_current_line(self, partner, company=None, day=None):
        """The support line ``partner``'s company holds in ``company`` on
        ``day`` (default today): the one running, else the next one to
        start. Empty when it holds none."""
        day = day or fields.Date.context_today(self)
        company = company or self.env.company
        domain = expression.AND(
            [
                self._support_line_domain(),
                [
                    (
                        "contract_id.commercial_partner_id",
                        "=",
                        partner.commercial_partner_id.id,
                    ),
                    ("contract_id.company_id", "=", company.id),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", day),
                ],
            ]
        )
        Line = self.sudo()
        running = Line.search(
            domain + [("date_start", "<=", day)], order="date_start desc", limit=1
        )
        return running or Line.search(domain, order="date_start", limit=1)

    def _support_successor(self):
        return self.successor_contract_line_id.filtered(
            lambda line: not line.is_canceled
        )

    def _support_chain(self):
        """The line and its planned successors, in order."""
        chain = self.browse()
        line = self
        while line and line not in chain:
            chain |= line
            line = line._support_successor()
        return chain

    def _support_notice_delta(self):
        return self.get_relative_delta(
            self.termination_notice_rule_type or "monthly",
            self.termination_notice_interval,
        )

    def _support_term_length(self):
        return self.get_relative_delta(
            self.auto_renew_rule_type or "yearly", self.auto_renew_interval or 1
        )

    def _support_term(self, day=None):
        """First and last day of the term of the line that contains ``day``
        (default today): terms are chained from the line's start."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        start, end = period_containing(
            self.date_start, self._support_term_length(), max(day, self.date_start)
        )
        if self.date_end and end > self.date_end:
            end = self.date_end
        return start, end

    def _support_commitment(self, day=None):
        """Where the support of this (running) line stands on ``day``
        (default today): see ``Commitment``."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        line = self
        seen = self.browse()
        while line not in seen:
            seen |= line
            successor = line._support_successor()
            if not line.date_end:
                # an open-ended line: it runs by terms until it is stopped
                _start, end = line._support_term(day)
                cancel_by = end - line._support_notice_delta()
                if day > cancel_by:
                    end = line._support_term(end + ONE_DAY)[1]
                    cancel_by = end - line._support_notice_delta()
                return Commitment(line, end, cancel_by, line, False)
            notice = line.termination_notice_date
            continues = successor or line.is_auto_renew
            if continues and notice and day > notice:
                if successor:
                    line = successor
                    continue
                date_end = line._get_renewal_new_date_end()
                cancel_by = date_end - line._support_notice_delta()
                return Commitment(line, date_end, cancel_by, line, True)
            next_line = successor or (line if line.is_auto_renew else self.browse())
            cancel_by = notice if next_line else False
            return Commitment(line, line.date_end, cancel_by, next_line, False)
        return Commitment(line, line.date_end, False, self.browse(), False)

    def _support_renew_due(self):
        """Renew what the daily renewal has not renewed yet, so that a change
        made before it ran sees the term the customer is committed to."""
        self.ensure_one()
        for _attempt in range(10):
            commitment = self._support_commitment()
            if not commitment.renew_due:
                return
            commitment.line.sudo().renew()

    def _support_credit(self, last_day):
        """The credit for the unused, already invoiced part of the line if it
        stops after ``last_day`` (0 when nothing is credited)."""
        self.ensure_one()
        if not (
            self.company_id.enable_contract_line_refund_on_stop
            and self.last_date_invoiced
            and self.last_date_invoiced > last_day
            and not float_is_zero(self.price_unit, precision_digits=2)
        ):
            return 0.0
        first_day = max(last_day + ONE_DAY, self.date_start)
        vals = self._prepare_refund_on_stop_line(first_day, self.last_date_invoiced)
        return self.currency_id.round(
            vals["quantity"]
            * vals["price_unit"]
            * (1 - (vals.get("discount") or 0.0) / 100.0)
        )

    @api.model
    def _support_plan(self, partner, product, company=None, start=None):
        """What buying ``product`` means for ``partner`` (see ``SupportChange``);
        ``start``: the first day asked for (default today)."""
        today = fields.Date.context_today(self)
        start = max(start or today, today)
        tier = product.product_tmpl_id.support_tier_id
        current = self._support_current_line(partner, company, today)
        empty = self.browse()
        if not current:
            return SupportChange("new", product, current, empty, start, 0.0, empty)
        if current.product_id == product:
            return SupportChange("same", product, current, empty, start, 0.0, empty)
        commitment = current._support_commitment(today)
        held = current.support_tier_id
        if (tier.sequence, tier.id) > (held.sequence, held.id):
            start = max(start, current.date_start)
            paid_until = current.last_date_invoiced
            if (
                paid_until
                and paid_until >= start
                and not current.company_id.enable_contract_line_refund_on_stop
            ):
                # no credit without OCA's refund on stop: after the paid period
                start = paid_until + ONE_DAY
            return SupportChange(
                "upgrade",
                product,
                current,
                current,
                start,
                current._support_credit(start - ONE_DAY),
                current._support_chain() - current,
            )
        committed = commitment.line
        planned = (committed | commitment.next_line) - current
        if product in planned.product_id:
            line = planned.filtered(lambda line: line.product_id == product)[:1]
            return SupportChange(
                "planned", product, current, empty, line.date_start, 0.0, empty
            )
        return SupportChange(
            "switch" if tier == held else "downgrade",
            product,
            current,
            committed,
            commitment.date_end + ONE_DAY,
            0.0,
            committed._support_chain() - committed,
        )

    @api.model
    def _support_plan_summary(self, plan):
        """One sentence for the customer, the chatter and the cart: what the
        change replaces and when (and the credit of an upgrade)."""
        name = self._support_product_name
        date = format_date(self.env, plan.date_start)
        if plan.kind == "upgrade":
            text = self.env._(
                "Upgrade: replaces %(old)s by %(new)s from %(date)s.",
                old=name(plan.current.product_id),
                new=name(plan.product),
                date=date,
            )
            if plan.credit:
                text += " " + self.env._(
                    "Credit for the unused part of %(old)s: %(credit)s.",
                    old=name(plan.current.product_id),
                    credit=format_amount(
                        self.env, plan.credit, plan.current.currency_id
                    ),
                )
            return text
        if plan.kind == "downgrade":
            return self.env._(
                "Downgrade: replaces %(old)s by %(new)s at the end of the term, "
                "from %(date)s.",
                old=name(plan.replaced.product_id),
                new=name(plan.product),
                date=date,
            )
        if plan.kind == "switch":
            return self.env._(
                "Period switch: replaces %(old)s by %(new)s at the end of the "
                "term, from %(date)s.",
                old=name(plan.replaced.product_id),
                new=name(plan.product),
                date=date,
            )
        if plan.kind == "same":
            return self.env._(
                "%(product)s is the support you already have.",
                product=name(plan.product),
            )
        if plan.kind == "planned":
            return self.env._(
                "%(product)s is already planned from %(date)s.",
                product=name(plan.product),
                date=date,
            )
        return self.env._(
            "%(product)s from %(date)s.", product=name(plan.product), date=date
        )

    @api.model
    def _support_product_name(self, product):
        """A product as customers read it: its name without internal code."""
        return product.with_context(display_default_code=False).display_name

    def _support_price_display(self):
        """The line's price per period, e.g. "CHF 1,920.00 per year"."""
        self.ensure_one()
        return self._support_amount_display(
            self.price_subtotal,
            self.currency_id,
            self.recurring_rule_type,
            self.recurring_interval,
        )

    @api.model
    def _support_amount_display(self, amount, currency, rule_type, interval=1):
        """``amount`` per billing period, e.g. "CHF 80.00 per month"."""
        amount = format_amount(self.env, amount, currency)
        if interval == 1 and rule_type == "yearly":
            return self.env._("%(amount)s per year", amount=amount)
        if interval == 1 and rule_type in ("monthly", "monthlylastday"):
            return self.env._("%(amount)s per month", amount=amount)
        return amount

    @api.model
    def _support_order_change(self, partner, product, company=None):
        """Change ``partner``'s support to ``product`` through a confirmed sale
        order (which replaces the support held, see ``SaleOrder``); returns it."""
        company = company or self.env.company
        current = self._support_current_line(partner, company)
        customer = current.contract_id.partner_id or partner
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    # the salesperson: who makes the change, or for a
                    # customer's own change the one of the contract
                    "user_id": (
                        self.env.user
                        if not self.env.user.share
                        else current.contract_id.user_id or customer.user_id
                    ).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _support_keep(self):
        """Withdraw the cancellation or the planned change of this running
        line: the support renews as it is. Returns the line kept."""
        self.ensure_one()
        self._support_check_running()
        self._support_renew_due()
        commitment = self._support_commitment()
        line = commitment.line.sudo()
        if line.is_auto_renew and not line._support_successor():
            raise UserError(
                self.env._(
                    "This support contract is neither cancelled nor changing: "
                    "it renews on %(date)s.",
                    date=format_date(self.env, commitment.date_end + ONE_DAY),
                )
            )
        (line._support_chain() - line)._support_drop()
        line.write({"is_auto_renew": True, "manual_renew_needed": False})
        self.contract_id._support_post_change(
            self.env._(
                "Kept: %(product)s renews on %(date)s.",
                product=self._support_product_name(line.product_id),
                date=format_date(self.env, line.date_end + ONE_DAY),
            ),
            line.date_end + ONE_DAY,
        )
        return line

    def _support_drop(self):
        """Remove a planned line before it starts (credited in full if it was
        already paid)."""
        for line in self.sorted("date_start", reverse=True):
            line.stop(line.date_start - ONE_DAY, post_message=False)

    def _support_check_running(self):
        """Refuse changes to support that has ended."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if not self or self.is_canceled or (self.date_end and self.date_end < today):
            raise UserError(
                self.env._(
                    "This support contract has ended: there is nothing to change "
                    "any more. Buy a new support tier instead."
                )
            )

    def _support_cancel(self):
        """Cancel the support of this running line: it ends at the end of the
        term (the next term once its notice deadline has passed). Returns the
        last day of support."""
        self.ensure_one()
        self._support_check_running()
        self._support_renew_due()
        commitment = self._support_commitment()
        if not commitment.next_line:
            raise UserError(
                self.env._(
                    "This support contract is already cancelled: it ends on %(date)s.",
                    date=format_date(self.env, commitment.date_end),
                )
            )
        line = commitment.line.sudo()
        (line._support_chain() - line)._support_drop()
        line.stop(commitment.date_end, post_message=False)
        self.contract_id._support_post_change(
            self.env._(
                "Cancelled: %(product)s ends on %(date)s.",
                product=self._support_product_name(line.product_id),
                date=format_date(self.env, commitment.date_end),
            ),
            commitment.date_end,
        )
        return commitment.date_end

    # Renewal reminder

    @api.model
    def _support_reminder_domain(self, today):
        """Support lines whose term goes on (renewal or planned successor) and
        whose notice deadline is within the reminder lead time of their
        company, not yet reminded for this term."""
        domain = expression.AND(
            [
                self._support_line_domain(),
                [
                    ("termination_notice_date", ">=", today),
                    "|",
                    ("is_auto_renew", "=", True),
                    ("successor_contract_line_id", "!=", False),
                ],
            ]
        )
        by_company = []
        for company in self.env["res.company"].sudo().search([]):
            limit = fields.Date.add(today, days=company.support_renewal_reminder_days)
            by_company.append(
                [
                    ("contract_id.company_id", "=", company.id),
                    ("termination_notice_date", "<=", limit),
                ]
            )
        return expression.AND([domain, expression.OR(by_company or [[(0, "=", 1)]])])

    @api.model
    def _cron_support_renewal_reminder(self):
        """Daily: remind customers of the renewal of their support before the
        notice deadline (once per term)."""
        today = fields.Date.context_today(self)
        lines = self.sudo().search(self._support_reminder_domain(today))
        template = self.env.ref(
            "mint_support_contract.mail_template_support_renewal_reminder"
        )
        for line in lines.filtered(
            lambda line: line.support_reminder_date_end != line.date_end
        ):
            line.contract_id.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
            line.support_reminder_date_end = line.date_end

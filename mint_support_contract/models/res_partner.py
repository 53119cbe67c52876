# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .system_fields import strip_system_fields


class ResPartner(models.Model):
    _inherit = "res.partner"

    support_tier_id = fields.Many2one(
        "support.tier",
        compute="_compute_support_tier_id",
        store=True,
        index="btree_not_null",
        ondelete="set null",
        help="Highest tier among the customer's running contracts (support "
        "products, or hosting products that include a tier). Contacts share the "
        "tier of their company.",
    )
    support_account_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        domain=[("share", "=", False)],
        help="Person the customer talks to directly (tiers with direct dialogue).",
    )

    support_credit_left = fields.Float(
        compute="_compute_support_credit_left",
        help="Monthly support credit of the tier not yet used by time logged on "
        "the customer's tickets this month.",
    )
    support_credit_used = fields.Float(compute="_compute_support_credit_left")

    @api.depends("commercial_partner_id")
    def _compute_support_tier_id(self):
        """From the running contract lines, whatever the date of the last
        change: contract changes and the daily cron bring partners here
        through :meth:`_refresh_support_tier`."""
        commercial = self.commercial_partner_id._origin
        best = self._support_tier_by_partner(commercial)
        for partner in self:
            partner.support_tier_id = best.get(partner.commercial_partner_id._origin.id)

    @api.depends("commercial_partner_id.support_tier_id")
    @api.depends_context("company")
    def _compute_support_credit_left(self):
        company = self.env.company
        start = company._support_today().replace(day=1)
        commercial = self.commercial_partner_id
        hours = dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("support_partner_id", "in", commercial.ids),
                    ("ticket_id", "!=", False),
                    ("company_id", "=", company.id),
                    ("date", ">=", start),
                    ("date", "<", start + relativedelta(months=1)),
                ],
                ["support_partner_id"],
                ["unit_amount:sum"],
            )
        )
        for partner in self:
            credit = partner.commercial_partner_id.support_tier_id.credit_hours
            used = min(credit, hours.get(partner.commercial_partner_id, 0.0))
            partner.support_credit_used = used
            partner.support_credit_left = credit - used

    @api.constrains("support_account_manager_id")
    def _check_support_account_manager(self):
        for partner in self:
            manager = partner.support_account_manager_id
            if manager and manager.share:
                raise ValidationError(
                    self.env._(
                        "The account manager of %(partner)s must be an internal "
                        "user, not %(user)s.",
                        partner=partner.display_name,
                        user=manager.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(strip_system_fields(self, vals_list, {"support_tier_id"}))

    def write(self, vals):
        [vals] = strip_system_fields(self, [vals], {"support_tier_id"})
        return super().write(vals)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["support_account_manager_id"]

    @api.model
    def _running_support_line_domain(self, product_tmpls, date_from=None, date_to=None):
        """Contract lines of ``product_tmpls`` running at some time from
        ``date_from`` to ``date_to`` (default: today)."""
        date_from = date_from or fields.Date.context_today(self)
        date_to = date_to or date_from
        return [
            ("contract_id.active", "=", True),
            ("contract_id.contract_type", "=", "sale"),
            ("is_canceled", "=", False),
            ("date_start", "<=", date_to),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date_from),
            ("product_id.product_tmpl_id", "in", product_tmpls.ids),
        ]

    @api.model
    def _support_tier_by_partner(self, partners=None, date_from=None, date_to=None):
        """{commercial partner id: highest tier of its contract lines running
        at some time from ``date_from`` to ``date_to`` (default: today)}, for
        the commercial partners of ``partners`` (default: every customer)."""
        tiers = (
            self.env["support.tier"].sudo().with_context(active_test=True).search([])
        )
        tiers_by_tmpl = defaultdict(lambda: self.env["support.tier"])
        for tier in tiers:
            for tmpl in tier._all_product_tmpls():
                tiers_by_tmpl[tmpl.id] |= tier
        domain = self._running_support_line_domain(
            tiers._all_product_tmpls(), date_from, date_to
        )
        if partners is not None:
            commercial = partners.sudo().commercial_partner_id
            domain.append(("contract_id.commercial_partner_id", "in", commercial.ids))
        best = {}
        for line in self.env["contract.line"].sudo().search(domain):
            partner = line.contract_id.commercial_partner_id
            candidates = tiers_by_tmpl[line.product_id.product_tmpl_id.id].filtered(
                lambda t, line=line: t.company_id == line.contract_id.company_id
            )
            for tier in candidates:
                current = best.get(partner.id)
                if not current or (tier.sequence, tier.id) > (
                    current.sequence,
                    current.id,
                ):
                    best[partner.id] = tier
        return best

    @api.model
    def _refresh_support_tier(self, partners=None):
        """The one place that brings tiers up to date: the customers of
        ``partners`` (None: every customer whose tier may change today) get
        their tier computed anew, with their contacts."""
        Partner = self.sudo().with_context(active_test=False)
        if partners is None:
            holders = Partner.search([("support_tier_id", "!=", False)])
            commercial = holders.commercial_partner_id | Partner.browse(
                self._support_tier_by_partner()
            )
        else:
            commercial = partners.sudo().commercial_partner_id
        if not commercial:
            return
        scope = Partner.search([("commercial_partner_id", "in", commercial.ids)])
        self.env.add_to_compute(self._fields["support_tier_id"], scope)
        # Now, while "today" is the date the refresh is for.
        scope.flush_recordset(["support_tier_id"])

    @api.model
    def _cron_refresh_support_tier(self):
        """Daily: contracts start and end with the date, so do the tiers."""
        self._refresh_support_tier()

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SupportContractCommon


class SupportLifecycleCommon(SupportContractCommon):
    """A salesman, an account manager and a customer with a portal contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="lc_salesman",
            name="Sam Sales",
            email="sam@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="lc_manager",
            name="Anna Manager",
            email="anna@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.customer.write(
            {
                "support_account_manager_id": cls.account_manager.id,
                "email": "it@customer.example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="lc_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )

    @classmethod
    def _sell_as(cls, user, partner, product):
        """``user`` confirms a quotation of ``product`` for ``partner``."""
        order_form = Form(cls.env["sale.order"].with_user(user))
        order_form.partner_id = partner
        with order_form.order_line.new() as line:
            line.product_id = product
        order = order_form.save()
        order.action_confirm()
        return order

    def _wizard(self, action="change", product=None, user=None, partner=None):
        """``user`` (default: the salesman) runs "Change support tier" from
        the customer form."""
        wizard_form = Form(
            self.env["support.tier.change"]
            .with_user(user or self.salesman)
            .with_context(default_partner_id=(partner or self.customer).id)
        )
        wizard_form.action = action
        if product:
            wizard_form.product_id = product
        return wizard_form.save()

    def _moves(self, partner=None):
        """The customer's invoices and credit notes as (date, type, untaxed)."""
        moves = self.env["account.move"].search(
            [
                (
                    "partner_id.commercial_partner_id",
                    "=",
                    (partner or self.customer).id,
                ),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="invoice_date, id",
        )
        return [
            (move.invoice_date, move.move_type, move.amount_untaxed) for move in moves
        ]

    def _run_crons(self):
        """What the scheduler does every day."""
        self.env["contract.line"].cron_renew_contract_line()
        self.env["contract.contract"].cron_recurring_create_invoice()
        self.env["contract.line"]._cron_support_renewal_reminder()
        self.env["res.partner"]._cron_refresh_support_tier()

    def _support_lines(self, partner=None):
        return self.env["contract.line"].search(
            [
                (
                    "contract_id.commercial_partner_id",
                    "=",
                    (partner or self.customer).id,
                ),
                ("product_id.product_tmpl_id.support_tier_id", "!=", False),
            ],
            order="date_start, id",
        )


@tagged("post_install", "-at_install")
class TestSupportYear(SupportLifecycleCommon):
    def test_one_customer_year(self):
        """A year of one customer, every day's scheduled runs included: MINT
        monthly bought, upgraded to MINT+ yearly on day 10 (56.00 credited),
        a downgrade asked, then cancelled: billed 80 - 56 + 1920 and nothing
        twice, with the right tier every day."""
        first_day = date(2027, 4, 1)
        last_day = date(2028, 4, 30)
        actions = {
            date(2027, 4, 1): lambda: self._sell_as(
                self.salesman, self.customer, self.product_mint_monthly
            ),
            date(2027, 4, 10): lambda: self._wizard(
                product=self.product_mint_plus_yearly
            ).action_apply(),
            date(2027, 8, 16): lambda: self._wizard(
                product=self.product_mint_monthly
            ).action_apply(),
            date(2028, 2, 20): lambda: self._wizard(action="cancel").action_apply(),
        }
        tiers = {}
        reminders = {}
        day = first_day
        while day <= last_day:
            with freeze_time(day):
                if day in actions:
                    actions[day]()
                self._run_crons()
                tiers[day] = self.customer.support_tier_id
                contracts = self._support_lines().contract_id
                reminders[day] = contracts.message_ids.filtered(
                    lambda m: "renews on" in (m.subject or "")
                )
            day += timedelta(days=1)

        self.assertEqual(
            self._moves(),
            [
                (date(2027, 4, 1), "out_invoice", 80.0),
                (date(2027, 4, 10), "out_refund", 56.0),
                (date(2027, 4, 10), "out_invoice", 1920.0),
            ],
        )
        # MINT for 9 days of a 30-day month, then a year of MINT+.
        billed = sum(
            amount if move_type == "out_invoice" else -amount
            for _day, move_type, amount in self._moves()
        )
        self.assertAlmostEqual(billed, 80.0 * 9 / 30 + 1920.0)
        self.assertEqual(billed, 1944.0)

        expected = {}
        day = first_day
        while day <= last_day:
            if day < date(2027, 4, 10):
                expected[day] = self.tier_mint
            elif day <= date(2028, 4, 9):
                expected[day] = self.tier_mint_plus
            else:
                expected[day] = self.env["support.tier"]
            day += timedelta(days=1)
        self.assertEqual(tiers, expected)

        mint, plus, planned = self._support_lines()
        self.assertEqual(
            (mint.date_start, mint.date_end, mint.is_canceled),
            (date(2027, 4, 1), date(2027, 4, 9), False),
        )
        self.assertEqual(
            (plus.date_start, plus.date_end, plus.is_auto_renew),
            (date(2027, 4, 10), date(2028, 4, 9), False),
        )
        self.assertEqual(mint.successor_contract_line_id, plus)
        # The downgrade was planned for the end of the term, then dropped by
        # the cancellation.
        self.assertEqual(planned.product_id, self.product_mint_monthly)
        self.assertEqual(planned.date_start, date(2028, 4, 10))
        self.assertTrue(planned.is_canceled)
        self.assertFalse(plus.successor_contract_line_id)

        # One reminder, 30 days before the notice deadline of 9 March 2028,
        # telling what would follow.
        sent = [day for day, messages in reminders.items() if messages]
        self.assertEqual(sent[0], date(2028, 2, 8))
        reminder = reminders[last_day]
        self.assertEqual(len(reminder), 1)
        self.assertIn("MINT Support (monthly)", reminder.body)
        self.assertIn("80.00", reminder.body)
        self.assertIn("03/09/2028", reminder.body)
        self.assertIn(self.customer, reminder.partner_ids)

        # The chatter tells what changed, when and by whom.
        notes = plus.contract_id.message_ids.filtered(
            lambda m: "Support changed by" in (m.body or "")
        )
        self.assertEqual(len(notes), 3)
        self.assertEqual(notes.author_id, self.salesman.partner_id)


@tagged("post_install", "-at_install")
class TestSupportRules(SupportLifecycleCommon):
    def _start(self, product, day="2027-01-01", partner=None):
        """The salesman sells ``product`` on ``day``; the day's runs bill it."""
        with freeze_time(day):
            order = self._sell_as(self.salesman, partner or self.customer, product)
            self._run_crons()
        return order.sudo().order_line.contract_id.contract_line_ids

    def _live(self, *days):
        """The scheduled runs of ``days`` (the days when something is due)."""
        for day in days:
            with freeze_time(day):
                self._run_crons()

    def test_salesman_confirms_tier_quotation(self):
        """A salesman (no rights on contracts) confirms a support quotation:
        the customer gets the contract and the tier."""
        line = self._start(self.product_mint_yearly)
        self.assertEqual(line.product_id, self.product_mint_yearly)
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)

    def test_second_tier_on_quotation_replaces_first(self):
        """Selling MINT+ yearly to a MINT monthly customer replaces MINT instead
        of billing both: one running line, the unused MINT days credited."""
        mint = self._start(self.product_mint_monthly, "2027-04-01")
        with freeze_time("2027-04-10"):
            order = self._sell_as(
                self.salesman, self.customer, self.product_mint_plus_yearly
            )
            self._run_crons()
        plus = order.sudo().order_line.contract_id.contract_line_ids - mint
        self.assertEqual(mint.date_end, date(2027, 4, 9))
        self.assertEqual(plus.date_start, date(2027, 4, 10))
        self.assertEqual(plus.date_end, date(2028, 4, 9))
        self.assertEqual(mint.contract_id, plus.contract_id)
        self.assertEqual(
            self._moves(),
            [
                (date(2027, 4, 1), "out_invoice", 80.0),
                (date(2027, 4, 10), "out_refund", 56.0),
                (date(2027, 4, 10), "out_invoice", 1920.0),
            ],
        )
        with freeze_time("2027-05-01"):
            self._run_crons()
        self.assertEqual(len(self._moves()), 3, "MINT is not billed any more")
        self.assertEqual(self.customer.support_tier_id, self.tier_mint_plus)

    def test_downgrade_at_term_end(self):
        """A downgrade changes nothing until the term ends, then bills the
        lower tier from the next day."""
        plus = self._start(self.product_mint_plus_yearly, "2027-01-01")
        with freeze_time("2027-06-01"):
            self._wizard(product=self.product_mint_yearly).action_apply()
            self._run_crons()
        self.assertEqual(plus.date_end, date(2027, 12, 31))
        self.assertFalse(plus.is_auto_renew)
        mint = plus.successor_contract_line_id
        self.assertEqual(mint.product_id, self.product_mint_yearly)
        self.assertEqual(
            (mint.date_start, mint.date_end), (date(2028, 1, 1), date(2028, 12, 31))
        )
        self._live("2027-12-31", "2028-01-01", "2028-01-02")
        self.assertEqual(
            self._moves(),
            [
                (date(2027, 1, 1), "out_invoice", 1920.0),
                (date(2028, 1, 1), "out_invoice", 960.0),
            ],
        )
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)

    def test_period_switch_at_term_end(self):
        """Monthly to yearly, same tier: monthly invoices until the term ends,
        then one yearly invoice."""
        monthly = self._start(self.product_mint_monthly, "2027-01-01")
        with freeze_time("2027-03-15"):
            wizard = self._wizard(product=self.product_mint_yearly)
            self.assertIn("Period switch", wizard.summary)
            self.assertIn("01/01/2028", wizard.summary)
            wizard.action_apply()
        self._live(*(date(2027, month, 1) for month in range(2, 13)), "2028-01-01")
        moves = self._moves()
        self.assertEqual(len(moves), 13)
        self.assertEqual({amount for _d, _t, amount in moves[:12]}, {80.0})
        self.assertEqual(moves[-1], (date(2028, 1, 1), "out_invoice", 960.0))
        self.assertEqual(monthly.date_end, date(2027, 12, 31))
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)

    def test_cancel_before_notice_ends_at_term_end(self):
        """Cancelled up to the notice deadline (one month before the term
        ends, the deadline day included), the support ends with the term."""
        line = self._start(self.product_mint_yearly, "2027-01-01")
        self.assertEqual(line.termination_notice_date, date(2027, 11, 30))
        self._live("2027-02-01", "2027-11-29", "2027-11-30")
        with freeze_time("2027-11-30"):
            self.assertEqual(line.contract_id.support_cancel_by, date(2027, 11, 30))
            self._wizard(action="cancel").action_apply()
        self.assertEqual(line.date_end, date(2027, 12, 31))
        self._live("2027-12-01", "2027-12-31", "2028-01-01", "2028-01-31")
        self.assertEqual(self._moves(), [(date(2027, 1, 1), "out_invoice", 960.0)])
        self.assertFalse(self.customer.support_tier_id)

    def test_cancel_after_notice_ends_next_term(self):
        """Cancelled after the notice deadline, the support has renewed and
        ends at the end of the next term."""
        line = self._start(self.product_mint_yearly, "2027-01-01")
        self._live("2027-11-30", "2027-12-01")
        self.assertEqual(line.date_end, date(2028, 12, 31), "renewed on 1 December")
        with freeze_time("2027-12-05"):
            self._wizard(action="cancel").action_apply()
        self.assertEqual(line.date_end, date(2028, 12, 31))
        self._live("2028-01-01", "2028-11-30", "2028-12-01", "2029-01-01", "2029-01-02")
        self.assertEqual(
            self._moves(),
            [
                (date(2027, 1, 1), "out_invoice", 960.0),
                (date(2028, 1, 1), "out_invoice", 960.0),
            ],
        )
        self.assertFalse(self.customer.support_tier_id)

    def test_cancel_after_notice_before_the_renewal_ran(self):
        """The day after the deadline, before the renewal has run, a
        cancellation still counts as late: it ends with the next term."""
        line = self._start(self.product_mint_yearly, "2027-01-01")
        with freeze_time("2027-12-01"):
            self.assertEqual(line.date_end, date(2027, 12, 31))
            self.assertEqual(line.contract_id.support_end_date, date(2028, 12, 31))
            self._wizard(action="cancel").action_apply()
        self.assertEqual(line.date_end, date(2028, 12, 31))
        self.assertFalse(line.is_auto_renew)

    def test_renewal_the_day_after_the_deadline(self):
        """Support renews the day after its notice deadline, not on it."""
        line = self._start(self.product_mint_yearly, "2027-01-01")
        self._live("2027-11-30")
        self.assertEqual(line.date_end, date(2027, 12, 31))
        self._live("2027-12-01")
        self.assertEqual(line.date_end, date(2028, 12, 31))

    def test_upgrade_same_day_credits_whole_period(self):
        """Upgraded on the day it was bought (and billed), MINT is credited in
        full and the line is cancelled."""
        mint = self._start(self.product_mint_monthly, "2027-04-01")
        with freeze_time("2027-04-01"):
            self._wizard(product=self.product_mint_plus_monthly).action_apply()
            self._run_crons()
        self.assertTrue(mint.is_canceled)
        self.assertEqual(
            self._moves(),
            [
                (date(2027, 4, 1), "out_invoice", 80.0),
                (date(2027, 4, 1), "out_refund", 80.0),
                (date(2027, 4, 1), "out_invoice", 160.0),
            ],
        )
        self.assertEqual(self.customer.support_tier_id, self.tier_mint_plus)

    def test_upgrade_yearly_credit_by_days(self):
        """A yearly MINT upgraded after 181 days is credited for its 184
        unused days of 365, to the cent."""
        self._start(self.product_mint_yearly, "2027-01-01")
        with freeze_time("2027-07-01"):
            self._wizard(product=self.product_mint_plus_yearly).action_apply()
        refund = self._moves()[1]
        self.assertEqual(refund[:2], (date(2027, 7, 1), "out_refund"))
        self.assertAlmostEqual(refund[2], round(960.0 * 184 / 365, 2))

    def test_upgrade_cancels_planned_switch(self):
        """An upgrade drops a period switch planned for the term end."""
        mint = self._start(self.product_mint_yearly, "2027-01-01")
        with freeze_time("2027-02-10"):
            self._wizard(product=self.product_mint_monthly).action_apply()
        planned = mint.successor_contract_line_id
        self.assertEqual(planned.date_start, date(2028, 1, 1))
        with freeze_time("2027-03-05"):
            self._wizard(product=self.product_mint_plus_yearly).action_apply()
        self.assertTrue(planned.is_canceled)
        self.assertEqual(mint.date_end, date(2027, 3, 4))
        self.assertEqual(
            mint.successor_contract_line_id.product_id, self.product_mint_plus_yearly
        )

    def test_new_change_replaces_planned_change(self):
        """Asking for another change at the term end replaces the one planned."""
        plus = self._start(self.product_mint_plus_monthly, "2027-01-01")
        with freeze_time("2027-02-10"):
            self._wizard(product=self.product_mint_monthly).action_apply()
        planned = plus.successor_contract_line_id
        with freeze_time("2027-02-11"):
            self._wizard(product=self.product_mint_plus_yearly).action_apply()
        self.assertTrue(planned.is_canceled)
        switch = plus.successor_contract_line_id
        self.assertEqual(switch.product_id, self.product_mint_plus_yearly)
        self.assertEqual(switch.date_start, date(2028, 1, 1))
        self.assertEqual(plus.date_end, date(2027, 12, 31))

    def test_upgrade_from_hosting_basis_leaves_hosting(self):
        """A hosting customer (Basis) who buys MINT keeps the hosting contract
        untouched, and falls back to Basis when MINT ends."""
        hosting = self._start(self.product_hosting, "2027-01-01")
        self.assertEqual(self.customer.support_tier_id, self.tier_basis)
        mint = self._start(self.product_mint_yearly, "2027-01-15")
        self.assertEqual(self.customer.support_tier_id, self.tier_mint)
        self.assertEqual(hosting.date_end, date(2027, 12, 31))
        self.assertTrue(hosting.is_auto_renew)
        with freeze_time("2027-02-01"):
            self._wizard(action="cancel").action_apply()
        self.assertEqual(mint.date_end, date(2028, 1, 14))
        self.assertEqual(hosting.date_end, date(2027, 12, 31))
        self._live("2028-01-14", "2028-01-15")
        self.assertEqual(self.customer.support_tier_id, self.tier_basis)

    def test_keep_withdraws_cancellation(self):
        """Keeping a cancelled support makes it renew again."""
        line = self._start(self.product_mint_yearly, "2027-01-01")
        with freeze_time("2027-05-01"):
            self._wizard(action="cancel").action_apply()
            self.assertFalse(line.contract_id.support_renewal_date)
            self._wizard(action="keep").action_apply()
            self.assertTrue(line.is_auto_renew)
            self.assertEqual(line.contract_id.support_renewal_date, date(2028, 1, 1))


@tagged("post_install", "-at_install")
class TestSupportBadInput(SupportLifecycleCommon):
    def test_change_on_ended_contract_refused(self):
        """No change on support that has ended."""
        with freeze_time("2027-01-01"):
            line = (
                self._sell_as(self.salesman, self.customer, self.product_mint_yearly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self._wizard(action="cancel").action_apply()
        with freeze_time("2028-01-05"), self.assertRaisesRegex(UserError, "ended"):
            line.with_user(self.salesman)._support_keep()
        with freeze_time("2028-01-05"), self.assertRaisesRegex(UserError, "no support"):
            self._wizard(action="cancel").action_apply()

    def test_cancel_twice_refused(self):
        """Cancelling cancelled support says when it ends and changes nothing."""
        with freeze_time("2027-01-01"):
            line = (
                self._sell_as(self.salesman, self.customer, self.product_mint_yearly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self._wizard(action="cancel").action_apply()
            messages = len(line.contract_id.message_ids)
            with self.assertRaisesRegex(UserError, "already cancelled"):
                self._wizard(action="cancel").action_apply()
        self.assertEqual(len(line.contract_id.message_ids), messages)

    def test_same_tier_refused(self):
        """Buying or changing to the support one has is refused, nothing sold."""
        with freeze_time("2027-01-01"):
            first = self._sell_as(
                self.salesman, self.customer, self.product_mint_yearly
            )
            with self.assertRaisesRegex(ValidationError, "already have"):
                self._wizard(product=self.product_mint_yearly).action_apply()
            with self.assertRaisesRegex(ValidationError, "already have"):
                self._sell_as(self.salesman, self.customer, self.product_mint_yearly)
        confirmed = self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")]
        )
        self.assertEqual(confirmed, first)
        self.assertEqual(len(self._support_lines()), 1)

    def test_two_tiers_in_one_order_refused(self):
        """One order cannot sell two tiers."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product_mint_monthly.id}),
                        Command.create(
                            {"product_id": self.product_mint_plus_yearly.id}
                        ),
                    ],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "one support tier at a time"):
            order.action_confirm()
        self.assertFalse(self._support_lines())

    def test_quantity_two_refused(self):
        """A tier is sold one at a time, in a quotation or on a contract."""
        with self.assertRaisesRegex(ValidationError, "one at a time"):
            with Form(self.env["sale.order"].with_user(self.salesman)) as order_form:
                order_form.partner_id = self.customer
                with order_form.order_line.new() as line:
                    line.product_id = self.product_mint_monthly
                    line.product_uom_qty = 2
        line = (
            self._sell_as(self.salesman, self.customer, self.product_mint_monthly)
            .sudo()
            .order_line.contract_id.contract_line_ids
        )
        billing = new_test_user(
            self.env, login="lc_billing", groups="account.group_account_manager"
        )
        with self.assertRaisesRegex(ValidationError, "quantity is 1"):
            line.with_user(billing).quantity = 2

    def test_second_running_line_refused(self):
        """A second support line for the same days, made by hand on a
        contract, is refused."""
        line = (
            self._sell_as(self.salesman, self.customer, self.product_mint_monthly)
            .sudo()
            .order_line.contract_id.contract_line_ids
        )
        billing = new_test_user(
            self.env, login="lc_billing2", groups="account.group_account_manager"
        )
        with self.assertRaisesRegex(ValidationError, "one support at a time"):
            self.env["contract.contract"].with_user(billing).create(
                {
                    "name": "Second",
                    "partner_id": self.customer.id,
                    "contract_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_mint_plus_monthly.id,
                                "name": "MINT+",
                                "price_unit": 160.0,
                                "date_start": line.date_start,
                                "recurring_next_date": line.date_start,
                            }
                        )
                    ],
                }
            )

    def test_order_cannot_replace_another_customers_line(self):
        """An order line naming another customer's contract line to replace
        (OCA field, settable over RPC) is refused; that line is untouched."""
        other = self.env["res.partner"].create({"name": "Other AG", "is_company": True})
        foreign = (
            self._sell_as(self.salesman, other, self.product_mint_yearly)
            .sudo()
            .order_line.contract_id.contract_line_ids
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_hosting.id,
                                "contract_line_id": foreign.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "another customer"):
            order.action_confirm()
        self.assertEqual(
            foreign.date_end,
            foreign.date_start.replace(year=foreign.date_start.year + 1)
            - timedelta(days=1),
        )
        self.assertTrue(foreign.is_auto_renew)


@tagged("post_install", "-at_install")
class TestSupportBackend(SupportLifecycleCommon):
    def test_change_from_contract_form(self):
        """A billing user changes the support from the contract form; the
        chatter says what, when and by whom; the customer is told through
        the contract's modifications."""
        billing = new_test_user(
            self.env,
            login="lc_invoicing",
            name="Bea Billing",
            groups="account.group_account_invoice,sales_team.group_sale_salesman",
        )
        with freeze_time("2027-01-01"):
            line = (
                self._sell_as(self.salesman, self.customer, self.product_mint_monthly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
        contract = line.contract_id.with_user(billing)
        with freeze_time("2027-02-15"):
            action = contract.action_support_change()
            self.assertEqual(action["res_model"], "support.tier.change")
            wizard_form = Form(
                self.env["support.tier.change"]
                .with_user(billing)
                .with_context(**action["context"])
            )
            self.assertIn("MINT Support (monthly)", wizard_form.current_description)
            self.assertIn("cancelled by 11/30/2027", wizard_form.current_description)
            wizard_form.product_id = self.product_mint_yearly
            self.assertIn("from 01/01/2028", wizard_form.summary)
            wizard_form.save().action_apply()
        note = contract.message_ids.filtered(
            lambda m: "Support changed by Bea Billing on 02/15/2027" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Period switch", note.body)
        self.assertFalse(note.partner_ids, "no notification for the team's own change")
        modification = contract.sudo().modification_ids.filtered(
            lambda m: "Period switch" in m.description
        )
        self.assertEqual(modification.date, date(2028, 1, 1))

    def test_wizard_only_for_the_sales_team(self):
        """Customers and other users cannot run the change wizard over RPC."""
        helpdesk = new_test_user(
            self.env, login="lc_helpdesk", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        for user in (self.portal_user, helpdesk):
            with self.assertRaises(AccessError):
                self.env["support.tier.change"].with_user(user).create(
                    {"partner_id": self.customer.id, "action": "cancel"}
                )


@tagged("post_install", "-at_install")
class TestRenewalReminder(SupportLifecycleCommon):
    def test_reminder_lead_time_is_a_setting(self):
        """The reminder goes out the set number of days before the notice
        deadline, once, with what renews, its price and the cancel-by date."""
        self.env.company.support_renewal_reminder_days = 10
        with freeze_time("2027-01-01"):
            line = (
                self._sell_as(self.salesman, self.customer, self.product_mint_yearly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
        contract = line.contract_id

        def reminders():
            return contract.message_ids.filtered(
                lambda m: "renews on" in (m.subject or "")
            )

        for day in ("2027-11-19", "2027-11-20", "2027-11-21"):
            with freeze_time(day):
                self._run_crons()
            self.assertEqual(len(reminders()), 0 if day == "2027-11-19" else 1)
        reminder = reminders()
        self.assertEqual(
            reminder.subject, "Your MINT Support (yearly) renews on 01/01/2028"
        )
        self.assertIn("960.00 per year", reminder.body)
        self.assertIn("11/30/2027", reminder.body)
        self.assertEqual(reminder.partner_ids, self.customer)
        self.assertEqual(line.support_reminder_date_end, date(2027, 12, 31))

    def test_no_reminder_for_cancelled_support(self):
        """Cancelled support gets no renewal reminder."""
        with freeze_time("2027-01-01"):
            line = (
                self._sell_as(self.salesman, self.customer, self.product_mint_yearly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self._wizard(action="cancel").action_apply()
        with freeze_time("2027-11-01"):
            self._run_crons()
        self.assertFalse(
            line.contract_id.message_ids.filtered(
                lambda m: "renews on" in (m.subject or "")
            )
        )

    def test_invalid_lead_time_refused(self):
        """A negative or absurd reminder lead time is refused."""
        with self.assertRaisesRegex(ValidationError, "between 0 and 365"):
            self.env.company.support_renewal_reminder_days = -1

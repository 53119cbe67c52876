# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SupportContractCommon


@tagged("post_install", "-at_install")
class TestSupportBilling(SupportContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id = cls.calendar
        cls.service = cls.env.ref(
            "mint_support_contract.product_template_support_service"
        ).product_variant_id
        cls.env.company.support_service_product_id = cls.service
        cls.project = cls.env["project.project"].create(
            {"name": "Support", "allow_timesheets": True}
        )
        cls.team.write({"allow_timesheet": True, "default_project_id": cls.project.id})
        cls.agent = new_test_user(
            cls.env,
            login="billing_agent",
            name="Sam Agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user",
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Sam Agent", "user_id": cls.agent.id}
        )
        cls.accountant = new_test_user(
            cls.env,
            login="billing_accountant",
            groups="base.group_user,account.group_account_invoice,"
            "helpdesk_mgmt.group_helpdesk_user",
        )
        cls.customers = {}
        for tier, product in (
            (cls.tier_basis, cls.product_hosting),
            (cls.tier_mint, cls.product_mint_yearly),
            (cls.tier_mint_plus, cls.product_mint_plus_yearly),
        ):
            partner = cls.env["res.partner"].create(
                {"name": f"{tier.name} Billing AG", "is_company": True}
            )
            with freeze_time("2026-10-01"):
                cls._sell(partner, product)
            cls.customers[tier] = partner

    def _ticket(self, tier, name="Question", partner=None):
        return self.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": "<p>?</p>",
                "team_id": self.team.id,
                "partner_id": (partner or self.customers[tier]).id,
                "project_id": self.project.id,
            }
        )

    def _log(self, ticket, hours, day):
        """The agent logs time on the ticket."""
        return (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Support work",
                    "project_id": self.project.id,
                    "ticket_id": ticket.id,
                    "employee_id": self.employee.id,
                    "unit_amount": hours,
                    "date": day,
                }
            )
        )

    def _bill(self, month=date(2026, 11, 1)):
        return self.env["support.billing"]._run(month)

    def test_credit_first_then_reduced_rate(self):
        """MINT+ uses its hour of credit first, the rest at the reduced rate."""
        first, second = (
            self._ticket(self.tier_mint_plus),
            self._ticket(self.tier_mint_plus),
        )
        self._log(first, 0.5, date(2026, 11, 2))
        self._log(second, 1.0, date(2026, 11, 6))
        billing = self._bill()
        self.assertEqual(billing.partner_id, self.customers[self.tier_mint_plus])
        self.assertEqual(
            (billing.logged_hours, billing.credit_hours, billing.billable_hours),
            (1.5, 1.0, 0.5),
        )
        invoice = billing.invoice_ids
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customers[self.tier_mint_plus])
        product_lines = invoice.invoice_line_ids.filtered("product_id")
        self.assertEqual(len(product_lines), 1, "only the ticket beyond the credit")
        self.assertEqual(product_lines.quantity, 0.5)
        self.assertEqual(product_lines.price_unit, 180.0)
        self.assertEqual(product_lines.discount, 20.0)
        self.assertEqual(invoice.amount_untaxed, 72.0)
        self.assertIn(
            "1.00 h logged, 0.50 h credit applied, 0.50 h billable", product_lines.name
        )

    def test_billing_wizard_bills_an_ended_month_only(self):
        """The "Bill Support Hours" wizard proposes last month and bills it;
        the running month is refused with a clear message and bills nothing."""
        self._log(self._ticket(self.tier_basis), 2.0, date(2026, 11, 2))
        with freeze_time("2026-12-07 09:00:00"):
            wizard = Form(self.env["support.billing.run"].with_user(self.accountant))
            self.assertEqual(wizard.month, date(2026, 11, 1))
            wizard.month = date(2026, 12, 3)
            with self.assertRaisesRegex(UserError, "12/2026"):
                wizard.save().action_run()
            self.assertFalse(self.env["support.billing"].search([]))
            wizard.month = date(2026, 11, 20)
            action = wizard.save().action_run()
        billing = self.env["support.billing"].search(action["domain"])
        self.assertEqual(billing.partner_id, self.customers[self.tier_basis])
        self.assertEqual(billing.billable_hours, 2.0)

    def test_basis_billed_at_standard_rate(self):
        """Basis has no credit and no reduction: every hour at the standard rate."""
        self._log(self._ticket(self.tier_basis), 2.0, date(2026, 11, 10))
        billing = self._bill()
        self.assertEqual(billing.credit_hours, 0.0)
        self.assertEqual(
            billing.invoice_ids.invoice_line_ids.filtered("product_id").discount, 0.0
        )
        self.assertEqual(billing.invoice_ids.amount_untaxed, 360.0)

    def test_mint_reduced_rate_without_credit(self):
        """MINT has no credit but the reduced rate."""
        self._log(self._ticket(self.tier_mint), 1.0, date(2026, 11, 10))
        self.assertEqual(self._bill().invoice_ids.amount_untaxed, 144.0)

    def test_rate_follows_product_price(self):
        """The standard rate is the support product's price, not a literal."""
        self.service.lst_price = 200.0
        self._log(self._ticket(self.tier_basis), 1.0, date(2026, 11, 10))
        self.assertEqual(self._bill().invoice_ids.amount_untaxed, 200.0)

    def test_credit_covering_everything_creates_no_invoice(self):
        """Hours within the credit are recorded as used credit, with no invoice."""
        self._log(self._ticket(self.tier_mint_plus), 0.75, date(2026, 11, 10))
        billing = self._bill()
        self.assertEqual(billing.credit_hours, 0.75)
        self.assertFalse(billing.invoice_ids)

    def test_monthly_run_is_idempotent(self):
        """Running the month twice bills nothing more."""
        self._log(self._ticket(self.tier_basis), 2.0, date(2026, 11, 10))
        self._bill()
        invoices = self.env["account.move"].search_count(
            [("move_type", "=", "out_invoice")]
        )
        self.assertFalse(self._bill())
        self.assertEqual(
            self.env["account.move"].search_count([("move_type", "=", "out_invoice")]),
            invoices,
        )

    def test_credit_not_carried_over(self):
        """Unused credit of October does not add to November's."""
        ticket = self._ticket(self.tier_mint_plus)
        self._log(ticket, 0.25, date(2026, 10, 20))
        self._log(ticket, 1.5, date(2026, 11, 3))
        october = self._bill(date(2026, 10, 1))
        self.assertEqual(october.credit_hours, 0.25)
        november = self._bill()
        self.assertEqual((november.credit_hours, november.billable_hours), (1.0, 0.5))

    def test_full_credit_in_first_month(self):
        """A customer MINT+ since mid-month gets the whole hour (no proration)."""
        customer = self.env["res.partner"].create(
            {"name": "New AG", "is_company": True}
        )
        with freeze_time("2026-11-20"):
            self._sell(customer, self.product_mint_plus_monthly)
        self.assertEqual(customer.support_tier_id, self.tier_mint_plus)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "First question",
                "description": "<p>?</p>",
                "team_id": self.team.id,
                "partner_id": customer.id,
                "project_id": self.project.id,
            }
        )
        self._log(ticket, 1.0, date(2026, 11, 25))
        billing = self._bill()
        self.assertEqual((billing.credit_hours, billing.billable_hours), (1.0, 0.0))

    def test_month_billed_with_its_own_tier(self):
        """A month is billed with the tier of the contracts running in it, not
        with the tier of the day of the run: a MINT+ contract that ended on
        30 November still gives November its credit after the daily refresh
        dropped the tier, and a MINT+ contract from December gives November
        nothing."""
        leaving, joining = self.env["res.partner"].create(
            [
                {"name": "Leaving AG", "is_company": True},
                {"name": "Joining AG", "is_company": True},
            ]
        )
        with freeze_time("2026-10-01"):
            order = self._sell(leaving, self.product_mint_plus_monthly)
        order.order_line.contract_id.contract_line_ids.date_end = date(2026, 11, 30)
        with freeze_time("2026-12-01"):
            self._sell(joining, self.product_mint_plus_monthly)
        for customer in (leaving, joining):
            ticket = self._ticket(self.tier_mint_plus, partner=customer)
            self._log(ticket, 1.0, date(2026, 11, 18))
        with freeze_time("2026-12-01 06:00:00"):
            self.env["res.partner"]._cron_refresh_support_tier()
            self.assertFalse(leaving.support_tier_id)
            self.assertEqual(joining.support_tier_id, self.tier_mint_plus)
            self.env["support.billing"]._cron_bill_previous_month()
        Billing = self.env["support.billing"]
        left = Billing.search([("partner_id", "=", leaving.id)])
        self.assertEqual(left.tier_id, self.tier_mint_plus)
        self.assertEqual((left.credit_hours, left.billable_hours), (1.0, 0.0))
        new = Billing.search([("partner_id", "=", joining.id)])
        self.assertFalse(new.tier_id)
        self.assertEqual((new.credit_hours, new.billable_hours), (0.0, 1.0))
        billed = new.invoice_ids.invoice_line_ids.filtered("product_id")
        self.assertEqual(billed.discount, 0.0, "no reduced rate before MINT+")

    def test_month_boundary_in_zurich(self):
        """At 00:30 on 1 December in Zurich the credit is December's."""
        ticket = self._ticket(self.tier_mint_plus)
        self._log(ticket, 1.0, date(2026, 11, 27))
        customer = self.customers[self.tier_mint_plus]
        with freeze_time("2026-11-30 22:30:00"):  # 23:30 in Zurich
            customer.invalidate_recordset(["support_credit_left"])
            self.assertEqual(customer.support_credit_left, 0.0)
            self.assertEqual(ticket.support_credit_left, 0.0)
        with freeze_time("2026-11-30 23:30:00"):  # 00:30 on 1 December in Zurich
            customer.invalidate_recordset(["support_credit_left"])
            self.assertEqual(customer.support_credit_left, 1.0)
            self.env["support.billing"]._cron_bill_previous_month()
        billing = self.env["support.billing"].search([("partner_id", "=", customer.id)])
        self.assertEqual(billing.month, date(2026, 11, 1))

    def test_credit_left_on_contact_and_ticket(self):
        """Ticket and customer show the credit left this month."""
        ticket = self._ticket(self.tier_mint_plus)
        with freeze_time("2026-11-16 10:00:00"):
            self._log(ticket, 0.25, date(2026, 11, 16))
            self.assertEqual(ticket.support_credit_left, 0.75)
            self.assertEqual(
                self.customers[self.tier_mint_plus].support_credit_used, 0.25
            )

    def test_corrections_net_out(self):
        """+3 h then a -1 h correction in a month of MINT+ (1 h credit) bill
        1 h, not 2 h."""
        ticket = self._ticket(self.tier_mint_plus)
        self._log(ticket, 3.0, date(2026, 11, 10))
        self._log(ticket, -1.0, date(2026, 11, 12))
        billing = self._bill()
        self.assertEqual(
            (billing.logged_hours, billing.credit_hours, billing.billable_hours),
            (2.0, 1.0, 1.0),
        )
        self.assertEqual(billing.invoice_ids.amount_untaxed, 144.0)

    def test_absurd_hours_refused(self):
        """An agent logging 1e9 h, NaN or infinite hours gets a clear message
        and nothing is saved, on a new entry or an existing one."""
        ticket = self._ticket(self.tier_basis)
        line = self._log(ticket, 1.0, date(2026, 11, 10))
        for hours in (1e9, -25, float("nan"), float("inf"), float("-inf")):
            with self.subTest(hours=hours):
                with self.assertRaisesRegex(ValidationError, "at most 24 hours"):
                    with self.env.cr.savepoint():
                        self._log(ticket, hours, date(2026, 11, 11))
                with self.assertRaisesRegex(ValidationError, "at most 24 hours"):
                    with self.env.cr.savepoint():
                        line.with_user(self.agent).unit_amount = hours
        self.assertEqual(line.unit_amount, 1.0)
        self.assertEqual(len(ticket.timesheet_ids), 1)

    def test_billed_entries_are_locked(self):
        """Once billed, an agent can neither change the hours, date or ticket
        of an entry nor delete it (a clear message says to log a correction);
        its description can still be fixed."""
        ticket = self._ticket(self.tier_basis)
        line = self._log(ticket, 2.0, date(2026, 11, 10))
        billing = self._bill()
        as_agent = line.with_user(self.agent)
        for vals in (
            {"unit_amount": 3.0},
            {"date": date(2026, 12, 1)},
            {"ticket_id": self._ticket(self.tier_mint).id},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "Log a correction"):
                    with self.env.cr.savepoint():
                        as_agent.write(vals)
        with self.assertRaisesRegex(UserError, "Log a correction"):
            with self.env.cr.savepoint():
                as_agent.unlink()
        as_agent.name = "Printer driver installed"
        self.assertEqual((line.unit_amount, line.support_billing_id), (2.0, billing))

    def test_agents_cannot_touch_billing_links(self):
        """An agent cannot link an entry to a billing (so that it is never
        billed) nor unlink a billed one, by form, RPC or import."""
        ticket = self._ticket(self.tier_basis)
        billed = self._log(ticket, 2.0, date(2026, 11, 10))
        billing = self._bill()
        line = self._log(ticket, 1.0, date(2026, 11, 20))
        Line = self.env["account.analytic.line"].with_user(self.agent)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.with_user(self.agent).support_billing_id = billing
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            billed.with_user(self.agent).support_billing_id = False
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Line.create(
                {
                    "name": "Hidden",
                    "project_id": self.project.id,
                    "ticket_id": ticket.id,
                    "employee_id": self.employee.id,
                    "unit_amount": 5.0,
                    "date": date(2026, 11, 21),
                    "support_billing_id": billing.id,
                }
            )
        with mute_logger("odoo.sql_db"):
            result = Line.load(
                ["name", "support_billing_id/.id"], [["Imported", str(billing.id)]]
            )
        self.assertFalse(result["ids"])
        self.assertEqual(billed.support_billing_id, billing)
        self.assertFalse(line.support_billing_id)

    def test_late_entries_billed_as_corrections(self):
        """Live October to January with the monthly cron: time logged later
        on a billed month is billed as a correction invoice, a later negative
        correction as a credit note; no hour is billed twice or lost."""
        ticket = self._ticket(self.tier_mint)  # reduced rate: 144 an hour
        Move = self.env["account.move"]
        with freeze_time("2026-11-20 10:00:00"):
            self._log(ticket, 2.0, date(2026, 11, 18))
        with freeze_time("2026-12-01 02:00:00"):
            self.env["support.billing"]._cron_bill_previous_month()
        billing = self.env["support.billing"].search(
            [("partner_id", "=", self.customers[self.tier_mint].id)]
        )
        self.assertEqual(billing.invoice_ids.mapped("amount_untaxed"), [288.0])
        with freeze_time("2026-12-03 10:00:00"):
            self._log(ticket, 1.5, date(2026, 11, 27))  # forgotten
            self._log(ticket, 1.0, date(2026, 12, 2))
        with freeze_time("2027-01-01 02:00:00"):
            self.env["support.billing"]._cron_bill_previous_month()
            self.env["support.billing"]._cron_bill_previous_month()
        moves = Move.search([("support_billing_id", "=", billing.id)], order="id")
        self.assertEqual(
            [(m.move_type, m.amount_untaxed) for m in moves],
            [("out_invoice", 288.0), ("out_invoice", 216.0)],
        )
        self.assertEqual(billing.billable_hours, 3.5)
        with freeze_time("2027-01-05 10:00:00"):
            self._log(ticket, -0.5, date(2026, 11, 27))  # too much logged
        with freeze_time("2027-02-01 02:00:00"):
            self.env["support.billing"]._cron_bill_previous_month()
        moves = Move.search([("support_billing_id", "=", billing.id)], order="id")
        self.assertEqual(
            [(m.move_type, m.amount_untaxed) for m in moves],
            [("out_invoice", 288.0), ("out_invoice", 216.0), ("out_refund", 72.0)],
        )
        self.assertEqual((billing.logged_hours, billing.billable_hours), (3.0, 3.0))
        december = self.env["support.billing"].search(
            [("month", "=", date(2026, 12, 1))]
        )
        self.assertEqual(december.invoice_ids.amount_untaxed, 144.0)

    def test_who_bills(self):
        """Helpdesk managers see the billed months but not the run; invoicing
        users see both and can run it: whoever sees the action can use it."""
        manager = new_test_user(
            self.env,
            login="billing_manager",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
        )
        self._log(self._ticket(self.tier_basis), 2.0, date(2026, 11, 10))
        run_menu = self.env.ref("mint_support_contract.support_billing_run_menu")
        list_menu = self.env.ref("mint_support_contract.support_billing_menu")
        Menu = self.env["ir.ui.menu"]
        for user, can_run in ((manager, False), (self.accountant, True)):
            with self.subTest(user=user.login):
                visible = Menu.with_user(user)._visible_menu_ids()
                self.assertIn(list_menu.id, visible)
                self.assertEqual(run_menu.id in visible, can_run)
                self.assertTrue(
                    self.env["support.billing"].with_user(user).search([]) is not None
                )
        with self.assertRaises(AccessError):
            self.env["support.billing.run"].with_user(manager).create({})
        with freeze_time("2026-12-07 09:00:00"):
            wizard = (
                self.env["support.billing.run"].with_user(self.accountant).create({})
            )
            action = wizard.action_run()
        billing = self.env["support.billing"].search(action["domain"])
        self.assertEqual(billing.invoice_ids.amount_untaxed, 360.0)
        for user in (manager, self.agent, self.accountant):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    billing.with_user(user).write({"billable_hours": 0.0})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    billing.with_user(user).unlink()

    @mute_logger("odoo.sql_db")
    def test_one_billing_per_customer_and_month(self):
        """The database refuses a second billing of a customer's month."""
        self._log(self._ticket(self.tier_basis), 1.0, date(2026, 11, 10))
        billing = self._bill()
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["support.billing"].create(
                {
                    "partner_id": billing.partner_id.id,
                    "company_id": billing.company_id.id,
                    "month": billing.month,
                }
            )

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
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
        cls.employee = cls.env["hr.employee"].create({"name": "Sam Agent"})
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
        return self.env["account.analytic.line"].create(
            {
                "name": "Support work",
                "project_id": self.project.id,
                "ticket_id": ticket.id,
                "employee_id": self.employee.id,
                "unit_amount": hours,
                "date": day,
            }
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
        invoice = billing.invoice_id
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
            wizard = Form(self.env["support.billing.run"])
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
            billing.invoice_id.invoice_line_ids.filtered("product_id").discount, 0.0
        )
        self.assertEqual(billing.invoice_id.amount_untaxed, 360.0)

    def test_mint_reduced_rate_without_credit(self):
        """MINT has no credit but the reduced rate."""
        self._log(self._ticket(self.tier_mint), 1.0, date(2026, 11, 10))
        self.assertEqual(self._bill().invoice_id.amount_untaxed, 144.0)

    def test_rate_follows_product_price(self):
        """The standard rate is the support product's price, not a literal."""
        self.service.lst_price = 200.0
        self._log(self._ticket(self.tier_basis), 1.0, date(2026, 11, 10))
        self.assertEqual(self._bill().invoice_id.amount_untaxed, 200.0)

    def test_credit_covering_everything_creates_no_invoice(self):
        """Hours within the credit are recorded as used credit, with no invoice."""
        self._log(self._ticket(self.tier_mint_plus), 0.75, date(2026, 11, 10))
        billing = self._bill()
        self.assertEqual(billing.credit_hours, 0.75)
        self.assertFalse(billing.invoice_id)

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
        billed = new.invoice_id.invoice_line_ids.filtered("product_id")
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

    def test_edited_line_after_billing_is_flagged(self):
        """A time entry edited after billing is flagged and not billed again."""
        line = self._log(self._ticket(self.tier_basis), 2.0, date(2026, 11, 10))
        billing = self._bill()
        self.assertEqual(line.support_billed_hours, 2.0)
        self.assertFalse(line.support_billing_changed)
        line.unit_amount = 3.0
        self.assertTrue(line.support_billing_changed)
        self.assertEqual(line.support_billed_hours, 2.0)
        self.assertEqual(billing.changed_count, 1)
        self.assertFalse(self._bill())
        self.assertEqual(billing.invoice_id.amount_untaxed, 360.0)

    def test_late_entry_on_billed_month_is_flagged(self):
        """Time logged on a month already billed is flagged for review."""
        ticket = self._ticket(self.tier_basis)
        self._log(ticket, 1.0, date(2026, 11, 10))
        self._bill()
        late = self._log(ticket, 0.5, date(2026, 11, 12))
        self.assertFalse(self._bill())
        self.assertTrue(late.support_billing_changed)
        self.assertFalse(late.support_billing_id)

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

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from datetime import date
from pathlib import Path

from freezegun import freeze_time
from lxml import etree
from psycopg2.extras import Json

from odoo.tests import tagged

from .common import SupportContractCommon
from .test_contract_lifecycle import SupportLifecycleCommon

MIGRATIONS = Path(__file__).parent.parent / "migrations" / "18.0.2.0.0"


def load_migration(name="post-contracts-sla-billing"):
    spec = importlib.util.spec_from_file_location(
        f"support_migration_{name.replace('-', '_')}", MIGRATIONS / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(SupportLifecycleCommon):
    """A database made before 18.0.2.0.0: a customer bought MINT monthly on
    1 April, then MINT+ yearly on 10 April as a second contract; both bill."""

    def _legacy_overlap(self):
        other = self.env["res.partner"].create({"name": "Legacy", "is_company": True})
        with freeze_time("2027-04-01"):
            mint = (
                self._sell_as(self.salesman, self.customer, self.product_mint_monthly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self.env["contract.contract"].cron_recurring_create_invoice()
        with freeze_time("2027-04-10"):
            plus = (
                self._sell_as(self.salesman, other, self.product_mint_plus_yearly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self.env["contract.contract"].cron_recurring_create_invoice()
        # what the old code allowed: the second contract is the customer's too
        self.env.cr.execute(
            "UPDATE contract_contract SET partner_id = %s, commercial_partner_id = %s,"
            " invoice_partner_id = %s WHERE id = %s",
            (self.customer.id, self.customer.id, self.customer.id, plus.contract_id.id),
        )
        self.env.cr.execute(
            "UPDATE account_move SET partner_id = %s, commercial_partner_id = %s"
            " WHERE id IN %s",
            (
                self.customer.id,
                self.customer.id,
                tuple(plus.contract_id._get_related_invoices().ids),
            ),
        )
        self.env.invalidate_all()
        return mint, plus

    def test_upgrade_stops_the_second_support_line(self):
        """Upgrading such a database stops MINT the day before MINT+ started
        and credits what it billed twice; MINT+ goes on."""
        mint, plus = self._legacy_overlap()
        self.env.company.enable_contract_line_refund_on_stop = False
        with freeze_time("2027-04-20"):
            load_migration().migrate(self.env.cr, "18.0.1.0.0")
        self.assertTrue(self.env.company.enable_contract_line_refund_on_stop)
        self.assertEqual(mint.date_end, date(2027, 4, 9))
        self.assertFalse(mint.is_auto_renew)
        self.assertEqual(plus.date_end, date(2028, 4, 9))
        self.assertTrue(plus.is_auto_renew)
        self.assertEqual(
            self._moves(),
            [
                (date(2027, 4, 1), "out_invoice", 80.0),
                (date(2027, 4, 10), "out_invoice", 1920.0),
                (date(2027, 4, 10), "out_refund", 56.0),
            ],
        )
        self.assertIn("One support at a time", mint.contract_id.message_ids[0].body)
        with freeze_time("2027-05-01"):
            self._run_crons()
        self.assertEqual(len(self._moves()), 3, "MINT bills no more")
        self.assertEqual(self.customer.support_tier_id, self.tier_mint_plus)

    def test_later_lower_line_is_removed(self):
        """A lower line that started after the higher one is removed and
        credited in full."""
        other = self.env["res.partner"].create({"name": "Legacy", "is_company": True})
        with freeze_time("2027-04-01"):
            plus = (
                self._sell_as(
                    self.salesman, self.customer, self.product_mint_plus_yearly
                )
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            mint = (
                self._sell_as(self.salesman, other, self.product_mint_monthly)
                .sudo()
                .order_line.contract_id.contract_line_ids
            )
            self.env["contract.contract"].cron_recurring_create_invoice()
        self.env.cr.execute(
            "UPDATE contract_contract SET partner_id = %s, commercial_partner_id = %s"
            " WHERE id = %s",
            (self.customer.id, self.customer.id, mint.contract_id.id),
        )
        self.env.invalidate_all()
        with freeze_time("2027-04-05"):
            load_migration().migrate(self.env.cr, "18.0.1.0.0")
        self.assertTrue(mint.is_canceled)
        self.assertFalse(plus.is_canceled)
        refund = mint.contract_id._get_related_invoices().filtered(
            lambda m: m.move_type == "out_refund"
        )
        self.assertEqual(refund.amount_untaxed, 80.0)


@tagged("post_install", "-at_install")
class TestMigrationBilling(SupportContractCommon):
    """A month billed before 18.0.2.0.0 whose time entry was edited
    afterwards: the old version kept the hours billed beside the entry
    (``support_billed_hours``) and billed nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.support_service_product_id = cls.env.ref(
            "mint_support_contract.product_template_support_service"
        ).product_variant_id
        project = cls.env["project.project"].create(
            {"name": "Support", "allow_timesheets": True}
        )
        cls.team.write({"allow_timesheet": True, "default_project_id": project.id})
        cls._give_tier(cls.customer, cls.tier_mint)
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "<p>?</p>",
                "team_id": cls.team.id,
                "partner_id": cls.customer.id,
                "project_id": project.id,
            }
        )
        cls.entry = cls.env["account.analytic.line"].create(
            {
                "name": "Support work",
                "project_id": project.id,
                "ticket_id": cls.ticket.id,
                "employee_id": cls.env["hr.employee"].create({"name": "Sam"}).id,
                "unit_amount": 2.0,
                "date": date(2026, 10, 6),
            }
        )

    def _old_edit(self, entry, billed, logged):
        """What the old version left: the hours billed in a column of their
        own, the entry edited to ``logged``."""
        self.env.cr.execute(
            "ALTER TABLE account_analytic_line "
            "ADD COLUMN IF NOT EXISTS support_billed_hours float8"
        )
        self.env.cr.execute(
            "UPDATE account_analytic_line SET support_billed_hours = %s,"
            " unit_amount = %s WHERE id = %s",
            (billed, logged, entry.id),
        )
        self.env.invalidate_all()

    def test_entry_without_billed_hours_stays_as_billed(self):
        """An entry billed before the old version kept the hours billed has
        none: it was billed as it is, and the upgrade leaves it so."""
        billing = self.env["support.billing"]._run(date(2026, 10, 1))
        self._old_edit(self.entry, None, 2.0)
        load_migration().split_entries_changed_after_billing(self.env)
        self.assertEqual(self.ticket.timesheet_ids, self.entry)
        self.assertEqual(self.entry.unit_amount, 2.0)
        self.assertEqual(self.entry.support_billing_id, billing)

    def test_edited_entry_becomes_a_correction(self):
        """Upgrading keeps the hours logged, the billed entry gets back the
        hours billed and the change is billed once by the next run."""
        billing = self.env["support.billing"]._run(date(2026, 10, 1))
        invoice = billing.invoice_ids
        self.assertEqual(billing.billable_hours, 2.0)
        self._old_edit(self.entry, 2.0, 3.5)
        load_migration().split_entries_changed_after_billing(self.env)
        self.assertEqual(self.entry.unit_amount, 2.0)
        self.assertEqual(self.entry.support_billing_id, billing)
        self.assertEqual(
            sorted(self.ticket.timesheet_ids.mapped("unit_amount")), [1.5, 2.0]
        )
        correction = self.ticket.timesheet_ids - self.entry
        self.assertFalse(correction.support_billing_id)
        self.assertEqual(correction.date, self.entry.date)
        self.assertIn("2.00 h billed, 3.50 h logged", correction.name)
        self.env["support.billing"]._run(date(2026, 10, 1))
        self.assertEqual(billing.billable_hours, 3.5)
        self.assertEqual(invoice, billing.invoice_ids[0], "the invoice stays")
        self.assertEqual(
            (billing.invoice_ids - invoice)
            .invoice_line_ids.filtered("product_id")
            .quantity,
            1.5,
        )
        self.env["support.billing"]._run(date(2026, 10, 1))
        self.assertEqual(len(billing.invoice_ids), 2, "billed once")

    def test_unchanged_entries_stay(self):
        """Entries billed as they are: nothing to correct."""
        billing = self.env["support.billing"]._run(date(2026, 10, 1))
        self._old_edit(self.entry, 2.0, 2.0)
        load_migration().split_entries_changed_after_billing(self.env)
        self.assertEqual(self.ticket.timesheet_ids, self.entry)
        self.assertEqual(self.entry.support_billing_id, billing)


@tagged("post_install", "-at_install")
class TestMigrationSupportPage(SupportContractCommon):
    """/support edited with the website editor before 18.0.2.0.0: a copy of
    the old template for the website, blocks added above and below the
    table (which was frozen into the copy)."""

    OLD_COPY = """<t t-name="mint_support_contract.support_page">
<t t-call="website.layout"><div id="wrap" class="oe_structure">
<section class="s_text_block"><p>%(above)s</p></section>
<section class="s_support_tiers_page"><div class="container">
<h1>Support contract</h1><table class="frozen"/></div></section>
<section class="s_text_block"><p>%(below)s</p></section>
</div></t></t>"""

    def test_editor_blocks_go_into_the_zones(self):
        """Upgrading keeps what the editor added, above and below the live
        table, in every language of the copy; the frozen table goes."""
        website = self.env["website"].get_current_website()
        page = self.env.ref("mint_support_contract.support_page")
        old_copy = self.env["ir.ui.view"].create(
            {
                "name": page.name,
                "type": "qweb",
                "key": page.key,
                "website_id": website.id,
                "arch": self.OLD_COPY % {"above": "Above", "below": "Below"},
            }
        )
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = %s WHERE id = %s",
            (
                Json(
                    {
                        "en_US": self.OLD_COPY % {"above": "Above", "below": "Below"},
                        "de_CH": self.OLD_COPY % {"above": "Oben", "below": "Unten"},
                    }
                ),
                old_copy.id,
            ),
        )
        self.env.invalidate_all()
        load_migration("post-website")._move_old_page_copies(self.env)
        self.assertFalse(old_copy.exists())
        zones = self.env["ir.ui.view"].search(
            [("inherit_id", "=", page.id), ("website_id", "=", website.id)],
            order="key",
        )
        self.assertEqual(
            zones.mapped("key"),
            [
                f"{page.key}_oe_structure_mint_support_page_1",
                f"{page.key}_oe_structure_mint_support_page_2",
            ],
        )
        self.env.cr.execute(
            "SELECT arch_db FROM ir_ui_view WHERE id = %s", [zones[1].id]
        )
        [below] = self.env.cr.fetchone()
        self.assertIn("Unten", below["de_CH"])
        self.assertIn("Below", below["en_US"])
        arch = page.with_context(website_id=website.id)._get_combined_arch()
        text = etree.tostring(arch, encoding="unicode")
        self.assertNotIn("frozen", text)
        self.assertLess(text.index("Above"), text.index("support_tier_table"))
        self.assertLess(text.index("support_tier_table"), text.index("Below"))
        self.assertIn("s_title", text, "the page's own title stays")
        other = self.env["website"].create({"name": "Other"})
        arch = page.with_context(website_id=other.id)._get_combined_arch()
        self.assertNotIn("Above", etree.tostring(arch, encoding="unicode"))

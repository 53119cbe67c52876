# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SupportContractCommon


@tagged("post_install", "-at_install")
class TestSecurity(SupportContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="sec_portal", groups="base.group_portal"
        )
        cls.public = cls.env.ref("base.public_user")
        cls.salesman = new_test_user(
            cls.env, login="sec_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.sale_manager = new_test_user(
            cls.env, login="sec_sale_manager", groups="sales_team.group_sale_manager"
        )
        cls.helpdesk_user = new_test_user(
            cls.env,
            login="sec_helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="sec_helpdesk_manager",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.hidden = cls.env["support.tier"].create(
            {"name": "Internal", "code": "HIDDEN", "is_published": False}
        )

    def test_portal_and_public_see_published_tiers_only(self):
        """Website visitors and portal users never see unpublished tiers."""
        for user in (self.portal, self.public):
            tiers = self.env["support.tier"].with_user(user).search([])
            self.assertIn(self.tier_mint, tiers)
            self.assertNotIn(self.hidden, tiers)
            with self.assertRaises(AccessError):
                self.hidden.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.tier_mint.with_user(user).write({"name": "Hacked"})

    def test_only_sales_managers_edit_tiers(self):
        """Salesmen and agents read tiers; only sales managers change them."""
        for user in (self.salesman, self.helpdesk_user):
            self.assertTrue(self.tier_mint.with_user(user).read(["name"]))
            with self.assertRaises(AccessError):
                self.tier_mint.with_user(user).write({"response_time": 2})
        self.tier_mint.with_user(self.sale_manager).write({"response_time": 2})
        self.assertEqual(self.tier_mint.response_time, 2)

    def test_portal_has_no_billing_access(self):
        """Customers cannot read the support billing records over RPC."""
        with self.assertRaises(AccessError):
            self.env["support.billing"].with_user(self.portal).search([])

    def test_tiers_are_per_company(self):
        """A tier of one company is invisible in another company."""
        other = self.env["res.company"].create({"name": "Other Support Co"})
        user = new_test_user(
            self.env,
            login="sec_other",
            groups="sales_team.group_sale_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        visible = self.env["support.tier"].with_user(user).search([])
        self.assertFalse(
            visible & (self.tier_basis | self.tier_mint | self.tier_mint_plus)
        )

    def test_portal_rpc_sees_own_company_only(self):
        """Over RPC, a customer reaches its own tickets (with their deadlines)
        and nothing of another customer: tickets, contracts, tier, credit."""
        Partner = self.env["res.partner"]
        alpha = Partner.create({"name": "Alpha AG", "is_company": True})
        beta = Partner.create({"name": "Beta AG", "is_company": True})
        self._give_tier(beta, self.tier_mint_plus)
        self.portal.partner_id.parent_id = alpha
        beta_user = new_test_user(
            self.env, login="sec_portal_beta", groups="base.group_portal"
        )
        beta_user.partner_id.parent_id = beta
        Ticket = self.env["helpdesk.ticket"]
        own = Ticket.create(
            {
                "name": "Alpha",
                "description": "x",
                "partner_id": self.portal.partner_id.id,
            }
        )
        foreign = Ticket.create(
            {"name": "Beta", "description": "x", "partner_id": beta_user.partner_id.id}
        )
        foreign_contract = self.env["contract.contract"].create(
            {"name": "Beta support", "partner_id": beta.id}
        )
        as_alpha = self.portal
        self.assertEqual(Ticket.with_user(as_alpha).search([]), own)
        self.assertTrue(own.with_user(as_alpha).read(["sla_deadline"]))
        with self.assertRaises(AccessError):
            foreign.with_user(as_alpha).read(["name", "sla_deadline"])
        self.assertNotIn(
            foreign_contract,
            self.env["contract.contract"].with_user(as_alpha).search([]),
        )
        with self.assertRaises(AccessError):
            foreign_contract.with_user(as_alpha).read(["name"])
        for field in ("support_tier_id", "support_credit_left"):
            with self.assertRaises(AccessError):
                beta.with_user(as_alpha).read([field])

    def test_portal_customers_never_read_each_others_contract_lines(self):
        """Over RPC a customer reads the lines and modifications of the
        contracts they follow, never another customer's (OCA contract grants
        portal read on them without a rule)."""
        Partner = self.env["res.partner"]
        alpha = Partner.create({"name": "Alpha AG", "is_company": True})
        beta = Partner.create({"name": "Beta AG", "is_company": True})
        self.portal.partner_id.parent_id = alpha
        beta_user = new_test_user(
            self.env, login="sec_portal_beta", groups="base.group_portal"
        )
        beta_user.partner_id.parent_id = beta
        own = self._give_tier(alpha, self.tier_mint)
        own.message_subscribe(self.portal.partner_id.ids)
        foreign = self._give_tier(beta, self.tier_mint_plus)
        foreign.message_subscribe(beta_user.partner_id.ids)
        for contract in own | foreign:
            self.env["contract.modification"].create(
                {"contract_id": contract.id, "date": "2026-11-01", "description": "x"}
            )
        for model, field in (
            ("contract.line", "price_unit"),
            ("contract.modification", "description"),
        ):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.portal)
                rows = Model.search_read([], [field, "contract_id"])
                self.assertEqual({row["contract_id"][0] for row in rows}, {own.id})
                foreign_record = self.env[model].search(
                    [("contract_id", "=", foreign.id)]
                )
                with self.assertRaises(AccessError):
                    foreign_record.with_user(self.portal).read([field])

    def test_nobody_sets_a_customers_tier_by_hand(self):
        """An employee who may create contacts, a sales manager or an admin
        cannot give a customer a tier (and so move every new ticket's
        deadline) by form, RPC or import: tiers come from contracts."""
        contact_editor = new_test_user(
            self.env,
            login="sec_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        for user in (contact_editor, self.sale_manager, self.admin):
            Partner = self.env["res.partner"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.customer.with_user(user).support_tier_id = self.tier_mint_plus
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    Partner.create(
                        {"name": "VIP AG", "support_tier_id": self.tier_mint_plus.id}
                    )
                with mute_logger("odoo.sql_db"):
                    result = Partner.load(
                        ["name", "support_tier_id/.id"],
                        [["Imported AG", str(self.tier_mint_plus.id)]],
                    )
                self.assertFalse(result["ids"])
        self.assertFalse(self.customer.support_tier_id)
        self.assertFalse(
            self.env["res.partner"].search([("name", "in", ("VIP AG", "Imported AG"))])
        )

    def test_every_model_portal_users_read_has_a_portal_rule(self):
        """Every contract, helpdesk or support model portal users may read is
        narrowed by a record rule (a missing rule let customers read each
        other's contract lines), but for public reference data."""
        public_data = {
            # catalogues, settings and reference data, the same for everyone
            "helpdesk.ticket.stage",
            "helpdesk.ticket.category",
            "helpdesk.ticket.channel",
            "helpdesk.ticket.team",
            "helpdesk.ticket.tag",
        }
        portal = self.env.ref("base.group_portal")
        accesses = self.env["ir.model.access"].search(
            [("group_id", "=", portal.id), ("perm_read", "=", True)]
        )
        for access in accesses:
            model = access.model_id
            if not model.model.startswith(("contract.", "helpdesk.", "support.")):
                continue
            if model.model in public_data or self.env[model.model]._abstract:
                continue
            with self.subTest(model=model.model):
                rules = (
                    self.env["ir.rule"]
                    .search(
                        [
                            ("model_id", "=", model.id),
                            ("perm_read", "=", True),
                            "|",
                            ("groups", "=", False),
                            ("groups", "in", portal.ids),
                        ]
                    )
                    .filtered(lambda rule: "company_ids" not in rule.domain_force)
                )
                self.assertTrue(rules, f"no portal rule on {model.model}")

    def test_access_matrix(self):
        """Who may do what, for every kind of user: tiers, billing, tickets'
        SLA fields, contracts and credit. A refused write changes nothing."""
        self.portal.partner_id.parent_id = self.customer
        self._give_tier(self.customer, self.tier_mint_plus)
        foreign = self.env["res.partner"].create(
            {"name": "Foreign AG", "is_company": True}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Slow", "description": "x", "partner_id": foreign.id}
        )
        deadline = ticket.sla_deadline
        own_contract, foreign_contract = self.env["contract.contract"].create(
            [
                # bought in the shop by the portal user: he follows it
                {"name": "Own support", "partner_id": self.portal.partner_id.id},
                {"name": "Foreign support", "partner_id": foreign.id},
            ]
        )
        users = {
            "public": self.public,
            "portal": self.portal,
            "helpdesk user": self.helpdesk_user,
            "helpdesk manager": self.helpdesk_manager,
            "salesman": self.salesman,
            "sales manager": self.sale_manager,
            "admin": self.admin,
        }
        everybody = set(users)
        internal = everybody - {"public", "portal"}
        helpdesk = {"helpdesk user", "helpdesk manager", "admin"}
        checks = {
            "read tiers": (
                everybody,
                lambda env: (
                    env["support.tier"]
                    .browse(self.tier_mint.id)
                    .read(
                        [
                            "name",
                            "response_time",
                            "credit_hours",
                            "reduced_rate_discount",
                        ]
                    )
                ),
            ),
            "change tiers": (
                {"sales manager", "helpdesk manager", "admin"},
                lambda env: (
                    env["support.tier"]
                    .browse(self.tier_mint.id)
                    .write({"credit_hours": 3.0})
                ),
            ),
            "read billing": (
                helpdesk,
                lambda env: env["support.billing"].search([]),
            ),
            "start a billing run": (
                {"admin"},
                lambda env: env["support.billing.run"].create({}),
            ),
            "read a ticket's SLA": (
                helpdesk,
                lambda env: (
                    env["helpdesk.ticket"]
                    .browse(ticket.id)
                    .read(["sla_deadline", "sla_state", "sla_hours_left"])
                ),
            ),
            "move a ticket's deadline": (
                set(),
                lambda env: (
                    env["helpdesk.ticket"]
                    .browse(ticket.id)
                    .write({"sla_deadline": "2030-01-07 08:00:00"})
                ),
            ),
            "read own contracts": (
                {"portal", "admin"},
                lambda env: (
                    env["contract.contract"].browse(own_contract.id).read(["name"])
                ),
            ),
            "read others' contracts": (
                {"admin"},
                lambda env: (
                    env["contract.contract"].browse(foreign_contract.id).read(["name"])
                ),
            ),
            "read own tier and credit": (
                everybody - {"public"},
                lambda env: (
                    env["res.partner"]
                    .browse(self.customer.id)
                    .read(["support_tier_id", "support_credit_left"])
                ),
            ),
            "read others' tier and credit": (
                internal,
                lambda env: (
                    env["res.partner"]
                    .browse(foreign.id)
                    .read(["support_tier_id", "support_credit_left"])
                ),
            ),
        }
        for check, (allowed, operation) in checks.items():
            for label, user in users.items():
                with self.subTest(check=check, user=label):
                    env = self.env(user=user, su=False)
                    if label in allowed:
                        with self.env.cr.savepoint(flush=True) as savepoint:
                            operation(env)
                            savepoint.rollback()
                    else:
                        with self.assertRaises(AccessError):
                            operation(env)
        self.env.invalidate_all()
        self.assertEqual(self.tier_mint.credit_hours, 0.0)
        self.assertEqual(ticket.sla_deadline, deadline)

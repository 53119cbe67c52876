# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form

from odoo.addons.base.tests.common import BaseCommon


def give_tier(env, partner, tier, date_start="2026-01-01"):
    """A running yearly support contract of ``tier`` for ``partner``: the
    only way a customer gets a tier. Returns the contract."""
    product = (tier.product_yearly_id or tier.product_monthly_id).product_variant_id
    return env["contract.contract"].create(
        {
            "name": f"{tier.name} support",
            "partner_id": partner.id,
            "contract_type": "sale",
            "contract_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "name": product.name,
                        "quantity": 1,
                        "price_unit": product.list_price,
                        "uom_id": product.uom_id.id,
                        "date_start": date_start,
                        "recurring_rule_type": "yearly",
                        "recurring_interval": 1,
                    }
                )
            ],
        }
    )


class SupportContractCommon(BaseCommon):
    """The shared world: the shipped tiers and products, a hosting product that
    includes Basis, and a customer company with a contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_basis = cls.env.ref("mint_support_contract.support_tier_basis")
        cls.tier_mint = cls.env.ref("mint_support_contract.support_tier_mint")
        cls.tier_mint_plus = cls.env.ref("mint_support_contract.support_tier_mint_plus")
        ref = cls.env.ref
        cls.product_mint_monthly = ref(
            "mint_support_contract.product_template_support_mint_monthly"
        ).product_variant_id
        cls.product_mint_yearly = ref(
            "mint_support_contract.product_template_support_mint_yearly"
        ).product_variant_id
        cls.product_mint_plus_monthly = ref(
            "mint_support_contract.product_template_support_mint_plus_monthly"
        ).product_variant_id
        cls.product_mint_plus_yearly = ref(
            "mint_support_contract.product_template_support_mint_plus_yearly"
        ).product_variant_id
        cls.product_hosting = cls.env["product.product"].create(
            {
                "name": "Hosting S",
                "type": "service",
                "list_price": 50.0,
                "is_contract": True,
                "recurring_rule_type": "monthly",
                "recurrence_interval": "yearly",
                "recurrence_number": 1,
                "is_auto_renew": True,
            }
        )
        cls.tier_basis.hosting_product_tmpl_ids = cls.product_hosting.product_tmpl_id
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office hours Zurich",
                "tz": "Europe/Zurich",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Support", "resource_calendar_id": cls.calendar.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Test Customer AG", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Petra Test", "parent_id": cls.customer.id}
        )

    @classmethod
    def _give_tier(cls, partner, tier, date_start="2026-01-01"):
        return give_tier(cls.env, partner, tier, date_start)

    @classmethod
    def _sell(cls, partner, *products):
        """Confirm a sale order of ``products`` for ``partner``; returns it."""
        order_form = Form(cls.env["sale.order"])
        order_form.partner_id = partner
        for product in products:
            with order_form.order_line.new() as line:
                line.product_id = product
        order = order_form.save()
        order.action_confirm()
        return order

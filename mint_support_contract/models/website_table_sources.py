# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The support tier comparison shows the tiers, with prices from pricelists
(chosen per country group) and currency rates: any change there renders the
cached comparison table anew."""

from odoo import api, models


class TableSourceMixin(models.AbstractModel):
    _name = "support.table.source.mixin"
    _description = "Data shown in the support tier comparison"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["support.tier"]._website_table_changed()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env["support.tier"]._website_table_changed()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["support.tier"]._website_table_changed()
        return res


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _inherit = ["product.pricelist", "support.table.source.mixin"]


class ProductPricelistItem(models.Model):
    _name = "product.pricelist.item"
    _inherit = ["product.pricelist.item", "support.table.source.mixin"]


class ResCurrencyRate(models.Model):
    _name = "res.currency.rate"
    _inherit = ["res.currency.rate", "support.table.source.mixin"]


class ResCountryGroup(models.Model):
    _name = "res.country.group"
    _inherit = ["res.country.group", "support.table.source.mixin"]

/** @odoo-module **/

import {registry} from "@web/core/registry";
import * as shop from "@website_sale/js/tours/tour_utils";

// A MINT monthly customer upgrades to MINT+ yearly in the shop, then
// cancels it from "My support".
registry.category("web_tour.tours").add("mint_support_upgrade_and_cancel", {
    steps: () => [
        {
            content: "Add MINT+ yearly to the cart",
            trigger: "#product_detail #add_to_cart",
            run: "click",
        },
        shop.goToCart(),
        {
            content: "The cart says what MINT+ replaces, from when, and the credit",
            trigger:
                "#cart_products .o_support_change_note:contains('Upgrade: replaces MINT Support (monthly) by MINT+ Support (yearly)'):contains('Credit for the unused part')",
        },
        shop.goToCheckout(),
        ...shop.payWithDemo(),
        {
            content: "Open My support",
            trigger: ".oe_website_sale_tx_status",
            run: "goToUrl /my/support",
        },
        {
            content: "The tier is MINT+",
            trigger: ".o_support_current_tier:contains('MINT+')",
        },
        {
            content: "The contract reads as the customer knows it, without codes",
            trigger:
                ".o_support_product:contains('MINT+ Support (yearly)'):not(:contains('SUPPORT-'))",
        },
        {
            content: "It renews, unless cancelled by its deadline",
            trigger: ".o_support_contract .o_support_cancel_by",
        },
        {
            content: "Cancel my support",
            trigger: ".o_support_contract button.o_support_cancel",
            run: "click",
        },
        {
            content: "The confirmation tells when the support ends",
            trigger: "#o_support_modal_cancel .o_support_cancel_summary:contains('ends on')",
        },
        {
            content: "Confirm the cancellation",
            trigger: "#o_support_modal_cancel button.o_support_confirm",
            run: "click",
        },
        {
            content: "The cancellation is confirmed",
            trigger: ".o_support_flash.alert-success:contains('cancelled')",
        },
        {
            content: "My support shows the end date",
            trigger: ".o_support_contract .o_support_end_date",
        },
    ],
});

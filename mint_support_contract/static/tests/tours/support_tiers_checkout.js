/** @odoo-module **/

import {registry} from "@web/core/registry";
import * as shop from "@website_sale/js/tours/tour_utils";

// A new customer buys MINT yearly from the support page and pays online.
registry.category("web_tour.tours").add("mint_support_checkout_mint_yearly", {
    url: "/support",
    steps: () => [
        {
            content: "Buy MINT, billed yearly",
            trigger: ".o_support_tiers_table .o_support_tiers_offers td:nth-child(3) a.o_support_buy_yearly",
            run: "click",
        },
        {
            content: "The product page labels the yearly price",
            trigger: "#product_detail .o_support_period_label:contains('/ year')",
        },
        {
            content: "The product page says what MINT includes",
            trigger: ".o_support_tier_includes li[data-row='support_phone']",
        },
        {
            content: "No quantity to choose for a tier",
            trigger: "#product_detail:not(:has(input[name='add_qty'][type='text']))",
        },
        {
            content: "Add the yearly tier to the cart",
            trigger: "#product_detail #add_to_cart",
            run: "click",
        },
        shop.goToCart(),
        {
            content: "The cart labels the yearly price",
            trigger: "#cart_products .o_support_period_label:contains('/ year')",
        },
        {
            content: "The cart line says how it is billed and its term",
            trigger: "#cart_products .o_cart_product:contains('yearly, '):not(:contains('Recurrency'))",
        },
        {
            content: "No quantity to choose in the cart",
            trigger: "#cart_products:not(:has(input.js_quantity[type='text']))",
        },
        shop.goToCheckout(),
        {
            content: "Country",
            trigger: "#o_country_id",
            run: "selectByLabel Switzerland",
        },
        ...[
            ["name", "Gamma GmbH"],
            ["email", "it@gamma.example.com"],
            ["phone", "+41 44 000 00 00"],
            ["street", "Bahnhofstrasse 1"],
            ["city", "Zürich"],
            ["zip", "8001"],
        ].map(([field, value]) => ({
            content: `Address: ${field}`,
            trigger: `form.checkout_autoformat input[name=${field}]`,
            run: `edit ${value}`,
        })),
        {
            content: "Continue checkout",
            trigger: "#save_address",
            run: "click",
        },
        ...shop.payWithDemo(),
    ],
});

/** @odoo-module **/

import {registry} from "@web/core/registry";

// A visitor opens the support offer and sees the current prices.
registry.category("web_tour.tours").add("mint_support_tiers_visitor", {
    url: "/support",
    steps: () => [
        {
            content: "The comparison shows the three tiers",
            trigger: ".o_support_tiers_table th.o_support_tier_MINT_PLUS",
        },
        {
            content: "MINT's yearly price is the product's current price",
            trigger: ".o_support_tiers_table tr[data-row='price_year'] td:contains('1,234')",
        },
        {
            content: "Buy MINT yearly leads to the shop",
            trigger: ".o_support_tier_MINT ~ th, .o_support_buy_yearly:first",
        },
    ],
});

// A MINT customer opens "My support" and sees the MINT channels.
registry.category("web_tour.tours").add("mint_support_portal_mint", {
    url: "/my/support",
    steps: () => [
        {
            content: "The tier is MINT",
            trigger: ".o_support_current_tier:contains('MINT')",
        },
        {
            content: "The support number is offered",
            trigger: ".o_support_channel_support_phone:contains('+41 44 244 72 24')",
        },
        {
            content: "The main number is offered",
            trigger: ".o_support_channel_main_phone:contains('+41 44 244 72 20')",
        },
        {
            content: "No account manager line for MINT",
            trigger: ".o_support_channels:not(:has(.o_support_channel_account_manager))",
        },
    ],
});

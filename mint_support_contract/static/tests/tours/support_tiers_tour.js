/** @odoo-module **/

import {registry} from "@web/core/registry";

// A visitor opens a page holding the comparison and sees today's prices.
registry.category("web_tour.tours").add("mint_support_tiers_visitor", {
    steps: () => [
        {
            content: "The comparison shows the three tiers",
            trigger: ".s_support_tiers .o_support_tiers_table th.o_support_tier_MINT_PLUS",
        },
        {
            content: "MINT's yearly price is the product's price",
            trigger: ".o_support_tiers_table tr[data-row='price_year'] td:nth-child(3):contains('960')",
        },
        {
            content: "Buy MINT yearly leads to the shop",
            trigger: ".o_support_tiers_offers td:nth-child(3) a.o_support_buy_yearly[href^='/shop/']",
        },
    ],
});

// The same visitor comes back after the price of MINT yearly changed.
registry.category("web_tour.tours").add("mint_support_tiers_visitor_new_price", {
    steps: () => [
        {
            content: "MINT's yearly price is the new price",
            trigger: ".s_support_tiers .o_support_tiers_table tr[data-row='price_year'] td:nth-child(3):contains('987')",
        },
        {
            content: "The old price is gone",
            trigger: ".s_support_tiers .o_support_tiers_table:not(:contains('960'))",
        },
    ],
});

// A visitor in Swiss German reads the tiers in German, then the product.
registry.category("web_tour.tours").add("mint_support_tiers_german", {
    steps: () => [
        {
            content: "Response times in German",
            trigger: ".o_support_tiers_table tr[data-row='response'] td:nth-child(3):contains('24 Stunden')",
        },
        {
            content: "Tier description in German",
            trigger: ".o_support_tiers_table .o_support_tier_description:contains('Basisvertrag')",
        },
        {
            content: "Buy MINT yearly",
            trigger: ".o_support_tiers_offers td:nth-child(3) a.o_support_buy_yearly:contains('Jährlich kaufen')",
            run: "click",
        },
        {
            content: "The product's name is German",
            trigger: "#product_detail h1:contains('MINT-Support (jährlich)')",
        },
        {
            content: "What MINT includes, in German",
            trigger: ".o_support_tier_includes li[data-row='response']:contains('24 Stunden')",
        },
        {
            content: "The price is per year",
            trigger: "#product_detail .o_support_period_label:contains('/ Jahr')",
        },
    ],
});

// On a phone: one card per tier, with tappable call and e-mail links.
registry.category("web_tour.tours").add("mint_support_tiers_phone", {
    steps: () => [
        {
            content: "The table is hidden, the tiers are cards",
            trigger: ".o_support_tiers_cards .o_support_tier_card.o_support_tier_MINT_PLUS:visible",
        },
        {
            content: "The desktop table is not shown",
            trigger: ".o_support_tiers:not(:has(.o_support_tiers_table:visible))",
        },
        {
            content: "Call links are tappable, 44 px high, on one line",
            trigger: ".o_support_tier_card.o_support_tier_MINT a[href='tel:+41442447224']:visible",
            run() {
                const links = document.querySelectorAll(
                    ".o_support_tier_card a[href^='tel:'], .o_support_tier_card a[href^='mailto:']"
                );
                if (!links.length) {
                    throw new Error("no call or e-mail link in the cards");
                }
                for (const link of links) {
                    const box = link.getBoundingClientRect();
                    if (box.height < 44 || box.width < 44) {
                        throw new Error(`${link.href} is ${box.width}x${box.height} px`);
                    }
                    if (link.getClientRects().length !== 1) {
                        throw new Error(`${link.href} wraps`);
                    }
                }
                const buy = document.querySelector(".o_support_tier_card .o_support_buy");
                if (buy.getBoundingClientRect().height < 44) {
                    throw new Error("the buy button is less than 44 px high");
                }
            },
        },
        {
            content: "The e-mail link writes to support",
            trigger: ".o_support_tier_card a[href='mailto:support@mint-system.ch']:visible",
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

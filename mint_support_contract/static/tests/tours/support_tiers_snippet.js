/** @odoo-module **/

import {insertSnippet, registerWebsitePreviewTour} from "@website/js/tours/tour_utils";

// An editor drops the comparison on the homepage and saves it.
registerWebsitePreviewTour(
    "mint_support_tiers_snippet",
    {url: "/", edition: true},
    () => [
        ...insertSnippet({
            id: "s_support_tiers",
            name: "Support Tiers",
            groupName: "Content",
        }),
        {
            content: "The dropped snippet holds the live table",
            trigger: ":iframe .s_support_tiers .o_support_tiers_table th.o_support_tier_MINT",
        },
        {
            content: "The snippet is in place",
            trigger: "#oe_snippets:not(:has(.o_we_ongoing_insertion))",
        },
        {
            content: "Save the page",
            trigger: "button[data-action=save]:enabled",
            // The simulated pointer sequence of run: "click" never returns on
            // this button in headless Chromium 156; a plain click saves.
            run() {
                this.anchor.click();
            },
        },
        {
            content: "The editor is closed",
            trigger: "body:not(.editor_has_snippets):not(.o_website_navbar_hide)",
        },
        {
            content: "The saved page shows the table",
            trigger: ":iframe body:not(.editor_enable) .s_support_tiers tr[data-row='price_year']",
        },
    ]
);

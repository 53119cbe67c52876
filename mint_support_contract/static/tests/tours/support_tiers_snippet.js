/** @odoo-module **/

import {insertSnippet, registerWebsitePreviewTour} from "@website/js/tours/tour_utils";

const option = "we-customizeblock-option.snippet-option-SupportTiers";

/**
 * A click on the editor's controls. The simulated pointer sequence of
 * run: "click" never returns on them in headless Chromium 156 (the browser
 * of the tests); the plain click the controls listen to does the same.
 */
function click(content, trigger) {
    return {
        content,
        trigger,
        run() {
            this.anchor.click();
        },
    };
}

// An editor drops the comparison on the homepage, sets its options, saves.
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
            content: "The dropped snippet shows the live table",
            trigger: ":iframe .s_support_tiers .o_support_tiers_table th.o_support_tier_MINT",
        },
        {
            content: "The table cannot be edited as text",
            trigger: ":iframe .s_support_tiers .s_dynamic_snippet_content.o_not_editable",
        },
        click("Select the snippet to see its options", ":iframe .s_support_tiers h2"),
        click("Open the period list", `${option} we-select[data-name=period_opt] we-toggler`),
        click("Buy monthly first", `${option} we-select[data-name=period_opt] we-button:contains(Monthly)`),
        {
            content: "Monthly is now bought first",
            trigger: ":iframe .s_support_tiers[data-period='monthly'] .o_support_tiers_offers td:nth-child(3) a.o_support_buy:first-of-type.o_support_buy_monthly",
        },
        click("Open the tier list", `${option} we-select[data-name=recommended_opt] we-toggler`),
        click("Highlight MINT+", `${option} we-select[data-name=recommended_opt] we-button:contains(MINT+)`),
        {
            content: "MINT+ is highlighted",
            trigger: ":iframe .s_support_tiers th.o_support_tier_MINT_PLUS.o_support_tier_recommended .o_support_tier_badge",
        },
        click("Open the hidden rows", `${option} we-collapse we-toggler`),
        click("Hide the credit", `${option} we-button[data-name=hide_credit_opt] we-checkbox`),
        {
            content: "The credit row is gone",
            trigger: ":iframe .s_support_tiers.s_support_tiers_hide_credit .o_support_tiers_table:not(:has(tr[data-row='credit']))",
        },
        {
            content: "The snippet is in place",
            trigger: "#oe_snippets:not(:has(.o_we_ongoing_insertion))",
        },
        click("Save the page", "button[data-action=save]:enabled"),
        {
            content: "The editor is closed",
            trigger: "body:not(.editor_has_snippets):not(.o_website_navbar_hide)",
        },
        {
            content: "The saved page shows the table again, with its options",
            trigger: ":iframe body:not(.editor_enable) .s_support_tiers .o_support_tiers_table:not(:has(tr[data-row='credit'])) th.o_support_tier_recommended",
        },
    ]
);

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "MINT Support Contracts",
    "summary": "Support tiers Basis, MINT and MINT+ sold as subscriptions, "
    "with response-time SLAs in the helpdesk",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "website": "https://www.mint-system.ch",
    "author": "Mint System GmbH",
    "license": "AGPL-3",
    "depends": [
        "website_sale",
        "product_contract",
        "helpdesk_mgmt",
        "helpdesk_mgmt_timesheet",
    ],
    "data": [
        "security/mint_support_contract_security.xml",
        "security/ir.model.access.csv",
        "data/res_company_data.xml",
        "data/support_tier_data.xml",
        "data/product_data.xml",
        "data/ir_cron_data.xml",
        "data/helpdesk_data.xml",
        "data/support_billing_data.xml",
        "views/support_tier_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_portal_templates.xml",
        "views/support_billing_views.xml",
        "views/support_tier_templates.xml",
        "data/website_data.xml",
        "views/website_sale_templates.xml",
        "views/snippets/s_support_tiers.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_users_portal_demo.xml",
        "demo/contract_demo.xml",
        "demo/helpdesk_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "mint_support_contract/static/src/snippets/s_support_tiers/000.scss",
            "mint_support_contract/static/src/snippets/s_support_tiers/000.js",
        ],
        "website.assets_wysiwyg": [
            "mint_support_contract/static/src/snippets/s_support_tiers/options.js",
        ],
        "web.assets_tests": [
            "mint_support_contract/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": True,
}

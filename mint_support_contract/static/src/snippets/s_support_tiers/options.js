/** @odoo-module **/

import options from "@web_editor/js/editor/snippets.options";

/**
 * Options of the support tier comparison: the "Highlight" list offers the
 * published tiers, stored by code in data-recommended.
 */
options.registry.SupportTiers = options.Class.extend({
    /**
     * @override
     */
    init() {
        this._super(...arguments);
        this.orm = this.bindService("orm");
    },
    /**
     * @override
     */
    async willStart() {
        const _super = this._super.bind(this);
        this.tiers = await this.orm.searchRead(
            "support.tier",
            [["is_published", "=", true]],
            ["name", "code"]
        );
        return _super(...arguments);
    },
    /**
     * @override
     */
    async _renderCustomXML(uiFragment) {
        const selectEl = uiFragment.querySelector("we-select[data-name='recommended_opt']");
        for (const tier of this.tiers) {
            const buttonEl = document.createElement("we-button");
            buttonEl.dataset.selectDataAttribute = tier.code;
            buttonEl.textContent = tier.name;
            selectEl.appendChild(buttonEl);
        }
    },
});

/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import {rpc} from "@web/core/network/rpc";
import DynamicSnippet from "@website/snippets/s_dynamic_snippet/000";

const HIDE_PREFIX = "s_support_tiers_hide_";

/**
 * The support tier comparison dropped on a page: the page holds only the
 * snippet's frame and options; the table comes from the server, rendered
 * for this visitor by the same template as /support. Odoo's dynamic snippet
 * puts it into `.dynamic_snippet_template` and empties that again when the
 * editor stops the widget before saving the page.
 */
const SupportTiers = DynamicSnippet.extend({
    selector: ".s_support_tiers",

    /**
     * @override
     */
    _isConfigComplete() {
        return true;
    },
    /**
     * @override
     */
    async _fetchData() {
        const dataset = this.el.dataset;
        const html = await rpc("/support/table", {
            period: dataset.period || "yearly",
            hidden_rows: [...this.el.classList]
                .filter((name) => name.startsWith(HIDE_PREFIX))
                .map((name) => name.slice(HIDE_PREFIX.length)),
            recommended: dataset.recommended || false,
        });
        this.data = html ? [html] : [];
    },
    /**
     * @override
     */
    _prepareContent() {
        this.renderedContent = this.data.join("");
    },
});

publicWidget.registry.supportTiers = SupportTiers;

export default SupportTiers;

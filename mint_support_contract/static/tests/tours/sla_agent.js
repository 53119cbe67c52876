/** @odoo-module **/

import {registry} from "@web/core/registry";

// An agent opens all tickets: the ticket to answer next comes first, in the
// list and on the kanban board, with its time left in words and colour.
registry.category("web_tour.tours").add("mint_support_sla_agent", {
    steps: () => [
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The overdue ticket comes first, red, with the time overdue",
            trigger:
                ".o_data_row:first:has(.o_data_cell:contains('Overdue printer')):has(.o_sla_deadline .text-bg-danger:contains('overdue'))",
        },
        {
            content: "Then the MINT+ ticket, due in hours",
            trigger:
                ".o_data_row:eq(1):has(.o_data_cell:contains('MINT+ export')):has(.o_sla_deadline:contains('in '))",
        },
        {
            content: "The deadline shows without seconds",
            trigger: ".o_data_row:eq(1) .o_sla_deadline .text-muted:not(:contains(':00:00'))",
        },
        {
            content: "A ticket without SLA shows no badge",
            trigger: ".o_data_row:has(.o_data_cell:contains('No contract')):not(:has(.o_sla_deadline))",
        },
        {
            content: "Switch to the kanban board",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The overdue ticket leads its column",
            trigger:
                ".o_kanban_group:first .o_kanban_record:first:contains('Overdue printer'):has(.o_sla_deadline .text-bg-danger)",
        },
        {
            content: "Followed by the MINT+ ticket",
            trigger: ".o_kanban_group:first .o_kanban_record:eq(1):contains('MINT+ export')",
        },
    ],
});

/** @odoo-module **/
// Copyright 2026 Mint System GmbH
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, onWillUnmount, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatPercentage} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

const {DateTime} = luxon;

/**
 * Time to (or past) a deadline in plain words: "2 d 3 h", "3 h 10 min", "25 min".
 *
 * @param {Number} minutes
 * @returns {String}
 */
export function formatSlaDuration(minutes) {
    const total = Math.max(Math.round(Math.abs(minutes)), 1);
    const days = Math.floor(total / 1440);
    const hours = Math.floor((total % 1440) / 60);
    const rest = total % 60;
    if (days) {
        return hours ? _t("%(days)s d %(hours)s h", {days, hours}) : _t("%s d", days);
    }
    if (hours) {
        return rest ? _t("%(hours)s h %(minutes)s min", {hours, minutes: rest}) : _t("%s h", hours);
    }
    return _t("%s min", rest);
}

/**
 * The response deadline of a ticket as an agent reads it: the live state in
 * colour and the time left in words (kept up to date every half minute),
 * with the deadline (no seconds, the user's time zone) beside or in its tooltip.
 */
export class SlaDeadlineField extends Component {
    static template = "mint_support_contract.SlaDeadlineField";
    static props = {
        ...standardFieldProps,
        showDate: {type: Boolean, optional: true},
    };

    setup() {
        this.clock = useState({now: DateTime.now()});
        const timer = setInterval(() => (this.clock.now = DateTime.now()), 30000);
        onWillUnmount(() => clearInterval(timer));
    }

    get deadline() {
        return this.props.record.data[this.props.name];
    }

    /** The state now: the server's, moved on by the clock for open tickets. */
    get state() {
        const data = this.props.record.data;
        const state = data.sla_state;
        if (!this.deadline || !["ongoing", "at_risk", "breached"].includes(state)) {
            return state;
        }
        if (data.sla_outcome) {
            return data.sla_outcome;
        }
        if (this.deadline < this.clock.now) {
            return "breached";
        }
        if (data.sla_risk_date && data.sla_risk_date <= this.clock.now) {
            return "at_risk";
        }
        return "ongoing";
    }

    /** "Mon, Nov 30, 08:00" / "Mo., 30. Nov., 08:00": short, in the user's zone. */
    get formattedDeadline() {
        return this.deadline.setZone("default").toLocaleString({
            weekday: "short",
            day: "numeric",
            month: "short",
            hour: "2-digit",
            minute: "2-digit",
        });
    }

    get info() {
        const state = this.state;
        if (!this.deadline || !state) {
            return null;
        }
        const minutes = this.deadline.diff(this.clock.now, "minutes").minutes;
        const answered = Boolean(this.props.record.data.sla_first_response_date);
        const classes = {
            ongoing: "text-bg-success",
            at_risk: "text-bg-warning",
            breached: "text-bg-danger",
            paused: "text-bg-secondary",
            met: "text-bg-light text-success",
            cancelled: "text-bg-light text-muted",
        };
        let label = "";
        if (state === "ongoing" || state === "at_risk") {
            label = _t("in %s", formatSlaDuration(minutes));
        } else if (state === "breached" && !answered) {
            label = _t("overdue %s", formatSlaDuration(minutes));
        } else {
            label = {
                paused: _t("paused"),
                met: _t("met"),
                breached: _t("breached"),
                cancelled: _t("cancelled"),
            }[state];
        }
        return {
            label,
            className: classes[state],
            title: _t("Respond by %s", this.formattedDeadline),
        };
    }
}

export const slaDeadlineField = {
    component: SlaDeadlineField,
    displayName: _t("SLA deadline"),
    supportedTypes: ["datetime"],
    fieldDependencies: [
        {name: "sla_state", type: "selection"},
        {name: "sla_outcome", type: "selection"},
        {name: "sla_risk_date", type: "datetime"},
        {name: "sla_first_response_date", type: "datetime"},
    ],
    extractProps: ({options}) => ({showDate: !options.no_date}),
    listViewWidth: [230, 260],
};

registry.category("fields").add("sla_deadline", slaDeadlineField);

/**
 * The met rate of SLA Analysis: empty where no SLA was decided yet, rather
 * than a misleading 0%.
 *
 * @param {Number|false|null} value
 * @param {Object} options
 * @returns {String}
 */
export function formatSlaRate(value, options) {
    return value === false || value === null || value === undefined
        ? ""
        : formatPercentage(value, options);
}
registry.category("formatters").add("sla_rate", formatSlaRate);

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models

# How far ahead the first fetch of working intervals looks; it grows when a
# deadline falls beyond it (long holidays, large targets), up to LIMIT.
HORIZON = timedelta(days=31)
LIMIT = timedelta(days=800)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        if {"attendance_ids", "tz", "leave_ids", "global_leave_ids"} & set(vals):
            self.env["helpdesk.ticket"]._sla_calendar_changed(self)
        return res

    def _sla_intervals(self, start, end):
        """Working intervals of this calendar (leaves and public holidays
        deducted) from the day before ``start`` to ``end``, as sorted naive
        UTC ``(start, stop)`` pairs (see :mod:`.working_time`)."""
        self.ensure_one()
        utc = pytz.utc
        start = datetime.combine(start.date(), time.min) - timedelta(days=1)
        intervals = self._work_intervals_batch(utc.localize(start), utc.localize(end))
        return [
            (
                begin.astimezone(utc).replace(tzinfo=None),
                stop.astimezone(utc).replace(tzinfo=None),
            )
            for begin, stop, _meta in intervals[False]
            if stop > begin
        ]

    def _sla_solve(self, requests):
        """``function(intervals)`` for each ``(start, function)`` of
        ``requests``, on working intervals fetched once for all of them from
        the earliest start; fetched anew over a longer period for the
        requests that need more (their ``function`` returns None)."""
        self.ensure_one()
        results = [None] * len(requests)
        todo = list(range(len(requests)))
        horizon = HORIZON
        while todo:
            starts = [requests[index][0] for index in todo]
            intervals = self._sla_intervals(min(starts), max(starts) + horizon)
            for index in todo:
                results[index] = requests[index][1](intervals)
            todo = [index for index in todo if results[index] is None]
            if horizon >= LIMIT:
                break
            horizon *= 2
        return results

    def _sla_tz(self):
        return pytz.timezone(self.tz or "UTC")


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env["helpdesk.ticket"]._sla_calendar_changed(attendances.calendar_id)
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        self.env["helpdesk.ticket"]._sla_calendar_changed(calendars | self.calendar_id)
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        self.env["helpdesk.ticket"]._sla_calendar_changed(calendars)
        return res


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _sla_calendars(self):
        """Calendars whose tickets a public holiday or company closure (a
        leave without resource) moves: its own, or those of its company (of
        every company) when it names no calendar."""
        global_leaves = self.filtered(lambda leave: not leave.resource_id)
        calendars = global_leaves.calendar_id
        without = global_leaves.filtered(lambda leave: not leave.calendar_id)
        if without:
            Calendar = (
                self.env["resource.calendar"].sudo().with_context(active_test=False)
            )
            domain = []
            if all(without.company_id):
                domain = [("company_id", "in", [False, *without.company_id.ids])]
            calendars |= Calendar.search(domain)
        return calendars

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["helpdesk.ticket"]._sla_calendar_changed(leaves._sla_calendars())
        return leaves

    def write(self, vals):
        calendars = self._sla_calendars()
        res = super().write(vals)
        self.env["helpdesk.ticket"]._sla_calendar_changed(
            calendars | self._sla_calendars()
        )
        return res

    def unlink(self):
        calendars = self._sla_calendars()
        res = super().unlink()
        self.env["helpdesk.ticket"]._sla_calendar_changed(calendars)
        return res

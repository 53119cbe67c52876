# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_right
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models

# How far ahead the first fetch of working intervals looks; it is extended
# when a deadline falls beyond it (long holidays, large targets).
HORIZON = timedelta(days=31)


class WorkingTime:
    """The working intervals of one calendar over a period, fetched once, on
    which any number of SLA computations run without further queries.

    All datetimes in and out are naive UTC, as Odoo stores them.
    """

    def __init__(self, calendar, start, end):
        self.calendar = calendar
        self.tz = pytz.timezone(calendar.tz or "UTC")
        self.start = start
        self.end = start
        self.intervals = []
        self.stops = []
        self._extend(end)

    def _extend(self, end):
        utc = pytz.utc
        intervals = self.calendar._work_intervals_batch(
            utc.localize(self.end), utc.localize(end)
        )[False]
        for begin, stop, _meta in intervals:
            begin = begin.astimezone(utc).replace(tzinfo=None)
            stop = stop.astimezone(utc).replace(tzinfo=None)
            if stop > begin:
                self.intervals.append((begin, stop))
                self.stops.append(stop)
        self.end = end

    def _iter_from(self, moment):
        """Working intervals (clipped) from ``moment`` on, fetching more
        as needed. Stops after a year without work (an empty calendar)."""
        index = bisect_right(self.stops, moment)
        limit = moment + timedelta(days=366)
        while True:
            while index < len(self.intervals):
                begin, stop = self.intervals[index]
                index += 1
                if stop > moment:
                    yield max(begin, moment), stop
            if self.end >= limit:
                return
            self._extend(max(self.end, moment) + HORIZON)

    def next_working_moment(self, moment):
        for begin, _stop in self._iter_from(moment):
            return begin
        return None

    def add_hours(self, moment, hours):
        """The moment ``hours`` working hours after ``moment``."""
        remaining = timedelta(hours=hours)
        for begin, stop in self._iter_from(moment):
            if remaining <= stop - begin:
                return begin + remaining
            remaining -= stop - begin
        return None

    def add_days(self, moment, days):
        """Same time of day on the ``days``-th next working day (in the
        calendar's time zone), counted from the next working moment. On a
        shorter target day the deadline is that day's end of work."""
        start = self.next_working_moment(moment)
        if start is None:
            return None
        local_start = pytz.utc.localize(start).astimezone(self.tz)
        start_day = local_start.date()
        days_by_date = {}
        for begin, stop in self._iter_from(start):
            day = pytz.utc.localize(begin).astimezone(self.tz).date()
            if day == start_day:
                continue
            days_by_date.setdefault(day, []).append((begin, stop))
            if len(days_by_date) > days:
                break
        if len(days_by_date) < days:
            return None
        target_day = sorted(days_by_date)[days - 1]
        day_intervals = days_by_date[target_day]
        wanted = self.tz.localize(datetime.combine(target_day, local_start.time()))
        wanted = wanted.astimezone(pytz.utc).replace(tzinfo=None)
        return min(max(wanted, day_intervals[0][0]), day_intervals[-1][1])

    def hours_between(self, begin, end):
        """Working hours between two moments (0 when ``end`` <= ``begin``)."""
        total = timedelta()
        if end <= begin:
            return 0.0
        for start, stop in self._iter_from(begin):
            if start >= end:
                break
            total += min(stop, end) - start
        return total.total_seconds() / 3600


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        if {"attendance_ids", "tz", "leave_ids"} & set(vals):
            self.env["helpdesk.ticket"]._sla_recompute_for_calendars(self)
        return res

    def _sla_working_time(self, start, end=None):
        """A :class:`WorkingTime` of this calendar from ``start`` (naive UTC)."""
        self.ensure_one()
        start = datetime.combine(start.date(), time.min) - timedelta(days=1)
        return WorkingTime(self, start, end or start + HORIZON)


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(
            attendances.calendar_id
        )
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(
            calendars | self.calendar_id
        )
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(calendars)
        return res


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _sla_calendars(self):
        """Calendars whose tickets a public holiday or company closure (a
        leave without resource) moves: its own, or all when it names none."""
        global_leaves = self.filtered(lambda leave: not leave.resource_id)
        calendars = global_leaves.calendar_id
        if any(not leave.calendar_id for leave in global_leaves):
            calendars |= self.env["resource.calendar"].search([])
        return calendars

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(
            leaves._sla_calendars()
        )
        return leaves

    def write(self, vals):
        calendars = self._sla_calendars()
        res = super().write(vals)
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(
            calendars | self._sla_calendars()
        )
        return res

    def unlink(self):
        calendars = self._sla_calendars()
        res = super().unlink()
        self.env["helpdesk.ticket"]._sla_recompute_for_calendars(calendars)
        return res

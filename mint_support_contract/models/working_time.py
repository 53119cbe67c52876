# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Working-time maths for response deadlines.

Every function works on the working intervals of one calendar as
``resource.calendar._work_intervals_batch`` gives them (working hours minus
leaves and public holidays, computed by Odoo), turned into a sorted list of
disjoint ``(start, stop)`` pairs of naive UTC datetimes. The caller fetches
the intervals once for a whole batch of tickets; nothing here touches the
database.

A function that would need working time beyond the last interval returns
``None``: the caller fetches a longer period and asks again.
"""

from bisect import bisect_right
from datetime import datetime, timedelta

import pytz


def _from(intervals, moment):
    """The intervals from ``moment`` on, the first one clipped to start there."""
    index = bisect_right(intervals, moment, key=lambda interval: interval[1])
    for start, stop in intervals[index:]:
        yield max(start, moment), stop


def next_working_moment(intervals, moment):
    """The first working moment at or after ``moment``."""
    for start, _stop in _from(intervals, moment):
        return start
    return None


def add_hours(intervals, moment, hours):
    """The moment ``hours`` working hours after ``moment``."""
    remaining = timedelta(hours=hours)
    for start, stop in _from(intervals, moment):
        if remaining <= stop - start:
            return start + remaining
        remaining -= stop - start
    return None


def hours_between(intervals, begin, end):
    """Working hours from ``begin`` to ``end`` (0 when ``end`` <= ``begin``).
    The intervals must cover the period."""
    total = timedelta()
    for start, stop in _from(intervals, begin):
        if start >= end:
            break
        total += min(stop, end) - start
    return total.total_seconds() / 3600


def add_working_days(intervals, moment, days, tz):
    """The same time of day (in ``tz``, the calendar's time zone) on the
    ``days``-th working day after the one of the next working moment. On a
    target day that ends earlier, or starts later, the deadline is that day's
    end, or start, of work."""
    start = next_working_moment(intervals, moment)
    if start is None:
        return None
    local_start = pytz.utc.localize(start).astimezone(tz)
    by_day = {}
    for begin, stop in _from(intervals, start):
        day = pytz.utc.localize(begin).astimezone(tz).date()
        if day == local_start.date():
            continue
        if day not in by_day and len(by_day) == days:
            break
        by_day.setdefault(day, []).append((begin, stop))
    else:
        return None  # the intervals end before the target day is complete
    target = sorted(by_day)[days - 1]
    wanted = tz.localize(datetime.combine(target, local_start.time()))
    wanted = wanted.astimezone(pytz.utc).replace(tzinfo=None)
    return min(max(wanted, by_day[target][0][0]), by_day[target][-1][1])


def response_deadline(intervals, start, target, unit, tz, risk_share, paused_hours):
    """``(deadline, at_risk_from)`` of a response promised ``target`` working
    hours (``unit`` "hours") or days ("days") after ``start``, moved on by
    ``paused_hours``; at risk once less than ``risk_share`` (0..1) of the
    target is left. ``None`` when the intervals end too early."""
    begin = next_working_moment(intervals, start)
    if begin is None:
        return None
    if unit == "hours":
        deadline = add_hours(intervals, begin, target)
    else:
        deadline = add_working_days(intervals, begin, int(target), tz)
    if deadline is None:
        return None
    target_hours = hours_between(intervals, begin, deadline)
    risk = add_hours(intervals, begin, target_hours * (1 - risk_share))
    if paused_hours:
        deadline = add_hours(intervals, deadline, paused_hours)
        risk = add_hours(intervals, risk, paused_hours)
    if deadline is None or risk is None:
        return None
    return deadline, risk

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Date arithmetic of support terms and credits that Odoo and OCA lack.

Periods are chained as OCA ``contract`` chains the periods it invoices: each
one starts the day after the previous one ends and lasts ``length`` (a
``relativedelta``), so that 31 January plus one month ends on 27 February.
"""

from dateutil.relativedelta import relativedelta

ONE_DAY = relativedelta(days=1)


def chained_periods(start, length):
    """Consecutive periods ``(first day, last day)`` from ``start`` on."""
    while True:
        end = start + length - ONE_DAY
        yield start, end
        start = end + ONE_DAY


def period_containing(start, length, day):
    """The period of the chain from ``start`` that contains ``day`` (the first
    one when ``day`` comes before ``start``)."""
    for period_start, period_end in chained_periods(start, length):
        if period_end >= day:
            return period_start, period_end


def unused_share(start, length, first_day, last_day):
    """How many periods of a line billed every ``length`` from ``start`` lie
    from ``first_day`` to ``last_day`` (both included), each period prorated
    by its own number of days: 21 days of a 30-day month are 0.7."""
    share = 0.0
    if first_day > last_day:
        return share
    for period_start, period_end in chained_periods(start, length):
        if period_start > last_day:
            break
        low, high = max(period_start, first_day), min(period_end, last_day)
        if low <= high:
            share += ((high - low).days + 1) / ((period_end - period_start).days + 1)
    return share

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

import pytz

from odoo.tests import BaseCase

from ..models import working_time

ZURICH = pytz.timezone("Europe/Zurich")


def day(date, *hours):
    """Working intervals of one day, in UTC, from (from, to) hour pairs."""
    return [
        (datetime(*date, start), datetime(*date, stop))
        for start, stop in zip(hours[::2], hours[1::2], strict=True)
    ]


# Office hours 08-12 and 13-17 in Zurich (UTC+1): 07-11 and 12-16 UTC.
# Friday 20 November 2026, then Monday 23 to Wednesday 25 (a short day).
WEEK = [
    *day((2026, 11, 20), 7, 11, 12, 16),
    *day((2026, 11, 23), 7, 11, 12, 16),
    *day((2026, 11, 24), 7, 11, 12, 16),
    *day((2026, 11, 25), 7, 11),
]


class TestWorkingTime(BaseCase):
    def test_next_working_moment(self):
        """Outside office hours the clock starts at the next opening."""
        self.assertEqual(
            working_time.next_working_moment(WEEK, datetime(2026, 11, 20, 17, 0)),
            datetime(2026, 11, 23, 7, 0),
        )
        self.assertEqual(
            working_time.next_working_moment(WEEK, datetime(2026, 11, 20, 9, 30)),
            datetime(2026, 11, 20, 9, 30),
        )
        self.assertIsNone(
            working_time.next_working_moment(WEEK, datetime(2026, 11, 26))
        )

    def test_add_hours_skips_lunch_and_weekend(self):
        """4 working hours from Friday 16:00 local end on Monday 11:00 local."""
        self.assertEqual(
            working_time.add_hours(WEEK, datetime(2026, 11, 20, 15, 0), 4),
            datetime(2026, 11, 23, 10, 0),
        )
        self.assertEqual(
            working_time.add_hours(WEEK, datetime(2026, 11, 23, 10, 0), 1.5),
            datetime(2026, 11, 23, 12, 30),
        )
        self.assertIsNone(working_time.add_hours(WEEK, datetime(2026, 11, 25, 7, 0), 5))

    def test_hours_between(self):
        """Working hours between two moments; none backwards."""
        self.assertEqual(
            working_time.hours_between(
                WEEK, datetime(2026, 11, 20, 15, 0), datetime(2026, 11, 23, 12, 30)
            ),
            5.5,
        )
        self.assertEqual(
            working_time.hours_between(
                WEEK, datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 8, 0)
            ),
            0.0,
        )

    def test_add_working_days_same_time_or_end_of_a_short_day(self):
        """Same time on the Nth next working day; a shorter day ends at its
        close; None while the intervals cannot tell the target day is
        complete (the caller fetches more)."""
        friday_16 = datetime(2026, 11, 20, 15, 0)
        thursday = day((2026, 11, 26), 7, 11, 12, 16)
        self.assertEqual(
            working_time.add_working_days(WEEK, friday_16, 1, ZURICH),
            datetime(2026, 11, 23, 15, 0),
        )
        self.assertIsNone(working_time.add_working_days(WEEK, friday_16, 3, ZURICH))
        self.assertEqual(
            working_time.add_working_days(WEEK + thursday, friday_16, 3, ZURICH),
            datetime(2026, 11, 25, 11, 0),
        )

    def test_response_deadline_with_risk_and_pause(self):
        """Deadline and at-risk moment (the last quarter of the target), both
        moved on by the paused working time."""
        start = datetime(2026, 11, 23, 7, 0)
        self.assertEqual(
            working_time.response_deadline(WEEK, start, 4, "hours", ZURICH, 0.25, 0),
            (datetime(2026, 11, 23, 11, 0), datetime(2026, 11, 23, 10, 0)),
        )
        self.assertEqual(
            working_time.response_deadline(WEEK, start, 4, "hours", ZURICH, 0.25, 2),
            (datetime(2026, 11, 23, 14, 0), datetime(2026, 11, 23, 13, 0)),
        )
        self.assertIsNone(
            working_time.response_deadline(WEEK, start, 3, "days", ZURICH, 0.25, 0)
        )

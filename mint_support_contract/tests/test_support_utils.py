# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests.common import BaseCase

from ..models.support_utils import chained_periods, period_containing, unused_share

MONTH = relativedelta(months=1)
YEAR = relativedelta(years=1)


class TestSupportUtils(BaseCase):
    def test_periods_chain_like_oca(self):
        """Monthly periods from 31 January chain as OCA invoices them."""
        periods = chained_periods(date(2027, 1, 31), MONTH)
        self.assertEqual(
            [next(periods) for _i in range(3)],
            [
                (date(2027, 1, 31), date(2027, 2, 27)),
                (date(2027, 2, 28), date(2027, 3, 27)),
                (date(2027, 3, 28), date(2027, 4, 27)),
            ],
        )

    def test_period_containing(self):
        """The term of a day: the yearly period of the chain that holds it."""
        start = date(2027, 4, 10)
        self.assertEqual(
            period_containing(start, YEAR, date(2028, 6, 1)),
            (date(2028, 4, 10), date(2029, 4, 9)),
        )
        self.assertEqual(
            period_containing(start, YEAR, date(2028, 4, 9)),
            (date(2027, 4, 10), date(2028, 4, 9)),
        )

    def test_unused_share_of_a_month(self):
        """21 unused days of a 30-day month are 0.7 of it (the issue's 56.00)."""
        share = unused_share(
            date(2027, 4, 1), MONTH, date(2027, 4, 10), date(2027, 4, 30)
        )
        self.assertAlmostEqual(share, 0.7)
        self.assertAlmostEqual(80 * share, 56.0)

    def test_unused_share_single_day_and_several_periods(self):
        """One day counts (OCA drops it); a span over two periods adds both
        shares, each by its own length."""
        self.assertAlmostEqual(
            unused_share(date(2027, 4, 1), MONTH, date(2027, 4, 30), date(2027, 4, 30)),
            1 / 30,
        )
        self.assertAlmostEqual(
            unused_share(date(2027, 4, 1), MONTH, date(2027, 4, 10), date(2027, 5, 31)),
            21 / 30 + 1,
        )
        self.assertEqual(
            unused_share(date(2027, 4, 1), MONTH, date(2027, 5, 1), date(2027, 4, 30)),
            0.0,
        )

    def test_unused_share_of_a_leap_year(self):
        """A yearly period is prorated by its own 366 days."""
        share = unused_share(
            date(2028, 1, 1), YEAR, date(2028, 7, 1), date(2028, 12, 31)
        )
        self.assertAlmostEqual(share, 184 / 366)

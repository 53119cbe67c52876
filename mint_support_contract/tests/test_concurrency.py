# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import MagicMock

from psycopg2.extensions import TransactionRollbackError

from odoo.tests import BaseCase

from ..models.concurrency import run_again_on_conflict


class TestRunAgainOnConflict(BaseCase):
    """A scheduled job that lost a race to another worker starts again on
    fresh data instead of failing until its next interval."""

    def test_runs_again_after_a_conflict(self):
        env = MagicMock()
        results = iter([TransactionRollbackError(), TransactionRollbackError(), 3])

        def job():
            result = next(results)
            if isinstance(result, Exception):
                raise result
            return result

        self.assertEqual(run_again_on_conflict(env, job), 3)
        self.assertEqual(env.cr.rollback.call_count, 2)
        self.assertEqual(env.transaction.reset.call_count, 2)
        env.flush_all.assert_called_once()

    def test_gives_up_after_odoos_number_of_tries(self):
        env = MagicMock()

        def job():
            raise TransactionRollbackError()

        with self.assertRaises(TransactionRollbackError):
            run_again_on_conflict(env, job)
        self.assertEqual(env.cr.rollback.call_count, 4)

    def test_other_errors_are_not_retried(self):
        env = MagicMock()
        job = MagicMock(side_effect=ValueError("bad"))
        with self.assertRaises(ValueError):
            run_again_on_conflict(env, job)
        env.cr.rollback.assert_not_called()

# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled jobs that meet other workers and servers.

Odoo runs an HTTP request again when its transaction loses a race with
another one (a serialization failure or a deadlock: ``odoo.service.model.
retrying``), but a scheduled job that loses one fails and waits for its next
interval: a month for the support billing. The addon's jobs are idempotent,
so they start again on fresh data instead, as a request would.
"""

import logging

from psycopg2.extensions import TransactionRollbackError

from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE

_logger = logging.getLogger(__name__)


def run_again_on_conflict(env, job):
    """``job()``, flushed; when another transaction changed the same rows
    first, the transaction is rolled back and ``job()`` runs again on what
    that one committed. Only for scheduled jobs: everything the transaction
    did before is rolled back too."""
    for attempt in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
        try:
            result = job()
            env.flush_all()
            return result
        except TransactionRollbackError as error:
            if attempt == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                raise
            _logger.info(
                "%s met a concurrent update (%s), running it again",
                getattr(job, "__qualname__", job),
                error.pgcode,
            )
            env.cr.rollback()
            env.transaction.reset()

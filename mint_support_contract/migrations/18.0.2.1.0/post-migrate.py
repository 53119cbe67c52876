# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade to 18.0.2.1.0.

The escalation's to-dos have their own activity type now, one per person and
ticket. The open ones of earlier versions (plain to-dos the escalation made,
their summary starting with "SLA ") take the new type; where a person got one
for "at risk" and one for "breached", the newer one stays, so the first
response or the closing of the ticket ends them as it ends new ones.
"""

import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    sla = env.ref("mint_support_contract.mail_activity_type_sla_response")
    if not todo:
        return
    activities = env["mail.activity"].search(
        [
            ("res_model", "=", "helpdesk.ticket"),
            ("activity_type_id", "=", todo.id),
            ("automated", "=", True),
            ("summary", "=like", "SLA %"),
        ],
        order="id desc",
    )
    newest = defaultdict(lambda: env["mail.activity"])
    for activity in activities:
        newest[activity.res_id, activity.user_id] |= activity
    kept = env["mail.activity"].browse([acts[0].id for acts in newest.values()])
    superseded = activities - kept
    kept.write({"activity_type_id": sla.id})
    superseded.unlink()
    _logger.info(
        "SLA to-dos: %d moved to their own type, %d superseded ones removed",
        len(kept),
        len(superseded),
    )

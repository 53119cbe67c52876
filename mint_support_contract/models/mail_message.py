# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _sla_counts_as_response(self):
        """A public reply (not an internal note, not an e-mail that came in,
        not an automated message) posted by the internal user who is logged
        in, as themselves, answers the customer."""
        self.ensure_one()
        user = self.env.user
        return (
            self.message_type == "comment"
            and not self.is_internal
            and not self.subtype_id.internal
            and self.env.uid != SUPERUSER_ID
            and not user.share
            and self.author_id == user.partner_id
        )

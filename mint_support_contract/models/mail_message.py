# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _sla_counts_as_response(self):
        """A public message (e-mail or portal reply, not an internal note) by
        an internal user answers the customer."""
        self.ensure_one()
        return (
            self.message_type in ("comment", "email")
            and not self.is_internal
            and not self.subtype_id.internal
            and any(not user.share for user in self.author_id.user_ids)
        )

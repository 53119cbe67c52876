# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class SupportHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close one of the caller's own tickets, by POST with a CSRF token:
        helpdesk_mgmt's route closed any ticket by id, from a plain link."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(ticket_id or 0))
            ticket.check_access("read")
            ticket = ticket.exists()
        except (AccessError, MissingError, ValueError):
            ticket = None
        if not ticket:
            raise NotFound()
        stage = request.env["helpdesk.ticket.stage"].browse(int(stage_id or 0))
        stage = stage.exists()
        applicable = ticket.sudo().team_id._get_applicable_stages()
        if stage.close_from_portal and stage in applicable:
            ticket.sudo().stage_id = stage
        return request.redirect(f"/my/ticket/{ticket.id}")

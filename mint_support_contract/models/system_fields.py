# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields only the addon sets (SLA facts, customers' tiers, billing links).

The mail gateway and many internal paths run as superuser, so ``env.su``
alone does not tell who asked: values for such fields that come in as
superuser (an e-mail's custom values, an import run by a cron) are dropped,
and a user asking for them gets an error. The addon writes them past the
models' ``write`` (``super(<its class>, records.sudo()).write(...)``)."""

import logging

from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


def strip_system_fields(model, vals_list, names):
    """``vals_list`` without the keys of ``names``; AccessError when a user
    (not the superuser) asked for any of them."""
    asked = set().union(*(names.intersection(vals) for vals in vals_list))
    if not asked:
        return vals_list
    if not model.env.su:
        raise AccessError(
            model.env._(
                "%(fields)s of %(model)s: kept by Odoo, they cannot be set by "
                "hand, by import or by RPC.",
                fields=", ".join(
                    model._fields[name]._description_string(model.env)
                    for name in sorted(asked)
                ),
                model=model._description,
            )
        )
    _logger.info("%s: ignored values for %s", model._name, ", ".join(sorted(asked)))
    return [{k: v for k, v in vals.items() if k not in asked} for vals in vals_list]

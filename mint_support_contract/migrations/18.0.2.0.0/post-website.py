# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From the table spliced into pages to a dynamic snippet.

- Website copies of the old /support template, made when an editor changed
  it, are removed: the page has a new template.
- Pages saved with the old comparison snippet kept a rendered (stale) table
  in ``.s_support_tiers_body``: its place becomes the dynamic snippet's empty
  content, which the snippet's public widget fills for each visitor.
- The tier products get the tier images shipped with the addon, unless they
  have an image already.
"""

import base64
import logging

from lxml import etree
from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

HAS_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' %s ')"
SNIPPET = f"//section[{HAS_CLASS % 's_support_tiers'}]"
OLD_BODY = f".//div[{HAS_CLASS % 's_support_tiers_body'}]"
IMAGES = {
    "product_template_support_basis": "basis",
    "product_template_support_mint_monthly": "mint",
    "product_template_support_mint_yearly": "mint",
    "product_template_support_mint_plus_monthly": "mint_plus",
    "product_template_support_mint_plus_yearly": "mint_plus",
}


def _dynamic_snippet(arch):
    """``arch`` with every old comparison snippet made a dynamic one, or
    None when it holds none."""
    root = etree.fromstring(arch)
    changed = False
    for section in root.xpath(SNIPPET):
        for body in section.xpath(OLD_BODY):
            content = etree.Element(
                "div",
                {
                    "class": "s_dynamic_snippet_content oe_unremovable "
                    "oe_unmovable o_not_editable"
                },
            )
            etree.SubElement(content, "div", {"class": "dynamic_snippet_template"})
            content.tail = body.tail
            body.getparent().replace(body, content)
            changed = True
        classes = section.get("class", "").split()
        if "s_dynamic" not in classes:
            section.set("class", " ".join([*classes, "s_dynamic"]))
            changed = True
    return etree.tostring(root, encoding="unicode") if changed else None


def _migrate_pages(cr):
    cr.execute(
        "SELECT id, arch_db FROM ir_ui_view WHERE arch_db::text LIKE %s",
        ["%s_support_tiers_body%"],
    )
    for view_id, arch_db in cr.fetchall():
        new = {}
        for lang, arch in arch_db.items():
            migrated = arch and _dynamic_snippet(arch)
            new[lang] = migrated or arch
        if new != arch_db:
            cr.execute(
                "UPDATE ir_ui_view SET arch_db = %s WHERE id = %s", [Json(new), view_id]
            )
            _logger.info("support tier comparison made dynamic in view %s", view_id)


def _drop_old_page_copies(cr):
    """Website copies of the old /support template (made when an editor
    changed it) hold its old markup without the table: the page is now
    rendered from the new template, with zones for what editors add."""
    cr.execute(
        "DELETE FROM ir_ui_view WHERE key = %s AND website_id IS NOT NULL RETURNING id",
        ["mint_support_contract.support_page"],
    )
    for (view_id,) in cr.fetchall():
        _logger.warning(
            "Old website copy %s of the /support template removed: add what "
            "editors had added there again, in the zones around the table.",
            view_id,
        )


def _set_images(env):
    for xmlid, key in IMAGES.items():
        template = env.ref(f"mint_support_contract.{xmlid}", raise_if_not_found=False)
        if template and not template.image_1920:
            path = f"mint_support_contract/static/src/img/support_tier_{key}.png"
            with file_open(path, "rb") as image:
                template.image_1920 = base64.b64encode(image.read())


def migrate(cr, version):
    _migrate_pages(cr)
    _drop_old_page_copies(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    _set_images(env)

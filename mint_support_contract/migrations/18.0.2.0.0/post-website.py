# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From the table spliced into pages to a dynamic snippet.

- Website copies of the old /support template, made when an editor changed
  it, are replaced: the page has a new template, with zones for editors
  above and below the table. The blocks an editor had added above or below
  the old table go into these zones (as the editor saves a zone: a view of
  the website inheriting the page's, in every language of the copy); the
  copy, which also held a table frozen when it was saved, is removed.
- Pages saved with the old comparison snippet kept a rendered (stale) table
  in ``.s_support_tiers_body``: its place becomes the dynamic snippet's empty
  content, which the snippet's public widget fills for each visitor.
- The tier products get the tier images shipped with the addon, unless they
  have an image already.
"""

import base64
import copy
import logging

from lxml import etree
from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

HAS_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' %s ')"
SNIPPET = f"//section[{HAS_CLASS % 's_support_tiers'}]"
OLD_BODY = f".//div[{HAS_CLASS % 's_support_tiers_body'}]"
OLD_PAGE_SECTION = f"./section[{HAS_CLASS % 's_support_tiers_page'}]"
PAGE = "mint_support_contract.support_page"
# The zones of the /support page above and below the table.
ZONES = ("oe_structure_mint_support_page_1", "oe_structure_mint_support_page_2")
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


def _editor_blocks(arch):
    """(blocks above, blocks below) the old comparison section in a website
    copy of the old /support template: what an editor added there."""
    root = etree.fromstring(arch)
    wraps = root.xpath("//div[@id='wrap']")
    if not wraps:
        return [], []
    blocks = [child for child in wraps[0] if isinstance(child.tag, str)]
    table = wraps[0].xpath(OLD_PAGE_SECTION)
    if not table:
        return [], blocks
    index = blocks.index(table[0])
    return blocks[:index], blocks[index + 1 :]


def _zone_arch(zone, blocks):
    """The arch of a view filling ``zone`` of the page with ``blocks``, as
    the website editor saves a zone (``ir.ui.view.save_oe_structure``)."""
    arch = etree.Element("data")
    xpath = etree.SubElement(
        arch,
        "xpath",
        expr=f"//*[hasclass('oe_structure')][@id='{zone}']",
        position="replace",
    )
    structure = etree.SubElement(xpath, "div", {"class": "oe_structure", "id": zone})
    for block in blocks:
        structure.append(copy.deepcopy(block))
    return etree.tostring(arch, encoding="unicode")


def _move_old_page_copies(env):
    """Website copies of the old /support template (made when an editor
    changed it) are replaced by views of the new page's zones holding the
    blocks the editor had added."""
    cr = env.cr
    cr.execute(
        "SELECT id, website_id, arch_db FROM ir_ui_view"
        " WHERE key = %s AND website_id IS NOT NULL ORDER BY id",
        [PAGE],
    )
    copies = cr.fetchall()
    if not copies:
        return
    page = env.ref(PAGE)
    cr.execute("SELECT arch_db FROM ir_ui_view WHERE id = %s", [page.id])
    default_above = {
        lang: etree.fromstring(arch).xpath(f"//*[@id='{ZONES[0]}']/*")
        for lang, arch in cr.fetchone()[0].items()
    }
    for view_id, website_id, arch_db in copies:
        archs = {zone: {} for zone in ZONES}
        for lang, arch in arch_db.items():
            above, below = _editor_blocks(arch)
            if above:
                defaults = default_above.get(lang, default_above["en_US"])
                archs[ZONES[0]][lang] = _zone_arch(ZONES[0], [*above, *defaults])
            if below:
                archs[ZONES[1]][lang] = _zone_arch(ZONES[1], below)
        cr.execute("DELETE FROM ir_ui_view WHERE id = %s", [view_id])
        for zone, zone_archs in archs.items():
            if not zone_archs:
                continue
            source = zone_archs.get("en_US") or next(iter(zone_archs.values()))
            zone_archs.setdefault("en_US", source)
            view = env["ir.ui.view"].create(
                {
                    "name": f"{page.name} ({zone})",
                    "key": f"{page.key}_{zone}",
                    "inherit_id": page.id,
                    "mode": "extension",
                    "type": "qweb",
                    "website_id": website_id,
                    "arch": source,
                }
            )
            cr.execute(
                "UPDATE ir_ui_view SET arch_db = %s WHERE id = %s",
                [Json(zone_archs), view.id],
            )
            view.invalidate_recordset(["arch_db"])
            _logger.info(
                "Website %s: the blocks an editor added to /support moved to "
                "its zone %s (view %s)",
                website_id,
                zone,
                view.id,
            )
        _logger.info("Old website copy %s of the /support template removed", view_id)


def _set_images(env):
    for xmlid, key in IMAGES.items():
        template = env.ref(f"mint_support_contract.{xmlid}", raise_if_not_found=False)
        if template and not template.image_1920:
            path = f"mint_support_contract/static/src/img/support_tier_{key}.png"
            with file_open(path, "rb") as image:
                template.image_1920 = base64.b64encode(image.read())


def migrate(cr, version):
    _migrate_pages(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    _move_old_page_copies(env)
    _set_images(env)

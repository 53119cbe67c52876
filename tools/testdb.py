#!/usr/bin/env python3
"""click-odoo-initdb, with the web assets compiled into each new template.

    python3 tools/testdb.py -c odoo.cfg -n DATABASE -m MODULES [initdb options]

Takes the options of click-odoo-initdb (click-odoo-contrib), which creates
DATABASE as a copy of a cached template database with MODULES installed,
building the template first when none matches: templates are named
``<cache-prefix>-<last use>-<hash>``, the hash covering every file of MODULES
and of the modules they depend on (Odoo's, OCA's), and the five most recently
used are kept.

One step is added before a new template is stored: the asset bundles the
browser tests load are compiled into it. Each browser test runs in a
transaction that is rolled back, so without them every tour would compile
them again, in every run. A bundle's version covers its files' paths and
modification times: copies of the template serve the compiled bundles to the
checkout that built it (a bundle that does not match is compiled as before).
"""

import click_odoo
from click_odoo_contrib import initdb

# The bundles a browser test of the website, the shop, the portal or the
# website editor loads in Odoo 18, with the website's asset parameters
# (/web/assets/<website id>/...) or the backend's (/web/assets/...).
FRONTEND_BUNDLES = (
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.__assets_tests_call__",
    "website.assets_all_wysiwyg",
)
BACKEND_BUNDLES = (
    "web.assets_web",
    "web.assets_web_print",
    "web.assets_tests",
    "web._assets_jquery",
    "website.backend_assets_all_wysiwyg",
    "bus.websocket_worker_assets",
)


def compile_assets(env):
    qweb = env["ir.qweb"]
    bundles = [(name, {"website_id": False}) for name in BACKEND_BUNDLES]
    if "website" in env:
        for website in env["website"].search([]):
            params = {"website_id": website.id}
            bundles += [(name, params) for name in FRONTEND_BUNDLES]
    for name, params in bundles:
        bundle = qweb._get_asset_bundle(name, assets_params=params)
        bundle.js()
        bundle.css()


_odoo_createdb = initdb.odoo_createdb


def odoo_createdb(dbname, *args, **kwargs):
    _odoo_createdb(dbname, *args, **kwargs)
    # In the database, like the attachments of the install (a template's copy
    # has no file store).
    with initdb._patch_ir_attachment_store(True):
        with click_odoo.OdooEnvironment(database=dbname) as env:
            compile_assets(env)


initdb.odoo_createdb = odoo_createdb

if __name__ == "__main__":
    initdb.main()

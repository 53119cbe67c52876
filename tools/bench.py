#!/usr/bin/env python3
"""Benchmarks of mint_support_contract against plain Odoo/OCA, measured in one run.

Builds (or reuses) two databases without demo data:

- ``<prefix>_plain``: the addon's dependencies only (shop, contracts,
  helpdesk with timesheets): plain Odoo/OCA behaviour;
- ``<prefix>_addon``: the same plus mint_support_contract.

and prints, for each measure, the figures of both and their ratio. All writes
are rolled back; the databases can be reused by the next run (``--keep``) or
are dropped at the end.

    python3 tools/bench.py [--tickets 2000] [--recompute 10000] [--port 8079] [--keep]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

from odoo_env import addons_path

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAIN_MODULES = "website_sale,product_contract,helpdesk_mgmt_timesheet"
ADDON_MODULES = "mint_support_contract"


def odoo_bin(*args):
    cmd = [sys.executable, "-m", "odoo", f"--addons-path={addons_path()}", *args]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def db_exists(name):
    query = f"select 1 from pg_database where datname='{name}'"
    out = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", query],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def ensure_db(name, modules):
    if db_exists(name):
        return
    print(f"building database {name} ({modules}) ...", flush=True)
    odoo_bin("-d", name, "-i", modules, "--without-demo=all", "--stop-after-init")


@contextmanager
def environment(db):
    import odoo
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()


@contextmanager
def measure(env, result):
    """Wall time and SQL queries of the block, into ``result``."""
    env.flush_all()
    start_queries = env.cr.sql_log_count
    start = time.perf_counter()
    yield
    env.flush_all()
    result["seconds"] = time.perf_counter() - start
    result["queries"] = env.cr.sql_log_count - start_queries


def world(env, with_addon):
    """A team with office hours and 100 customers (tiered when the addon is in)."""
    calendar = env.ref("resource.resource_calendar_std")
    team_vals = {"name": "Bench support"}
    if with_addon:
        team_vals["resource_calendar_id"] = calendar.id
    team = env["helpdesk.ticket.team"].create(team_vals)
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i}", "is_company": True} for i in range(100)]
    )
    if with_addon:
        from odoo import Command

        # Tiers come from contracts: a yearly contract of each tier in turn.
        products = [
            env.ref(
                f"mint_support_contract.product_template_support_{code}"
            ).product_variant_id
            for code in ("basis", "mint_yearly", "mint_plus_yearly")
        ]
        env["contract.contract"].create(
            [
                {
                    "name": f"Bench support {index}",
                    "partner_id": partner.id,
                    "contract_line_ids": [
                        Command.create(
                            {
                                "product_id": products[index % 3].id,
                                "name": products[index % 3].name,
                                "quantity": 1,
                                "price_unit": products[index % 3].list_price,
                                "date_start": "2020-01-01",
                                "recurring_rule_type": "yearly",
                                "recurring_interval": 1,
                            }
                        )
                    ],
                }
                for index, partner in enumerate(partners)
            ]
        )
    return team, partners, calendar


def create_tickets(env, team, partners, count, batch):
    tickets = env["helpdesk.ticket"]
    for offset in range(0, count, batch):
        tickets |= env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Bench ticket {offset + i}",
                    "description": "<p>Bench</p>",
                    "team_id": team.id,
                    "partner_id": partners[(offset + i) % len(partners)].id,
                }
                for i in range(min(batch, count - offset))
            ]
        )
    return tickets


def bench_create(db, with_addon, count):
    result = {}
    with environment(db) as env:
        team, partners, _calendar = world(env, with_addon)
        with measure(env, result):
            create_tickets(env, team, partners, count, 100)
    return result


def bench_recompute(db, count):
    result = {}
    with environment(db) as env:
        team, partners, calendar = world(env, True)
        create_tickets(env, team, partners, count, 500)
        env.flush_all()
        with measure(env, result):
            env["resource.calendar.leaves"].create(
                {
                    "name": "Bench holiday",
                    "calendar_id": calendar.id,
                    "date_from": "2030-01-01 00:00:00",
                    "date_to": "2030-01-01 23:59:59",
                }
            )
        result["tickets"] = env["helpdesk.ticket"].search_count(
            [("team_id", "=", team.id), ("sla_deadline", "!=", False)]
        )
    return result


LIST_SPEC = {
    "number": {},
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}},
    "stage_id": {"fields": {"display_name": {}}},
    "priority": {},
    "create_date": {},
}
# What the SLA badge of the agents' list reads, the live state included.
SLA_SPEC = {
    "sla_tier_id": {"fields": {"display_name": {}}},
    "sla_deadline": {},
    "sla_state": {},
    "sla_outcome": {},
    "sla_risk_date": {},
    "sla_first_response_date": {},
}
LIST_ORDER = "sla_due_date, priority desc, number desc, id desc"


def bench_list(db, with_sla):
    result = {}
    spec = dict(LIST_SPEC, **SLA_SPEC) if with_sla else LIST_SPEC
    with environment(db) as env:
        team, partners, _calendar = world(env, True)
        create_tickets(env, team, partners, 200, 100)
        env.invalidate_all()
        with measure(env, result):
            env["helpdesk.ticket"].web_search_read(
                [("stage_id.closed", "=", False)], spec, limit=80, order=LIST_ORDER
            )
    return result


def bench_filter(db, count):
    """Filter ``count`` open tickets by live SLA state: one query each."""
    results = {}
    with environment(db) as env:
        team, partners, _calendar = world(env, True)
        create_tickets(env, team, partners, count, 500)
        env.invalidate_all()
        for state in ("at_risk", "breached"):
            result = results[state] = {}
            with measure(env, result):
                result["found"] = env["helpdesk.ticket"].search_count(
                    [("team_id", "=", team.id), ("sla_state", "=", state)]
                )
    return results


PAGE_ARCH = """<t t-name="%(key)s"><t t-call="website.layout"><div id="wrap">
%(body)s</div></t></t>"""
# The comparison snippet as the editor saves it: its frame and options.
SNIPPET_FRAME = """<section class="s_support_tiers s_dynamic pt48 pb48"
 data-snippet="s_support_tiers" data-period="yearly"><div class="container">
<h2>Support contract</h2><div class="s_dynamic_snippet_content o_not_editable">
<div class="dynamic_snippet_template"/></div></div></section>"""


def create_page(env, url, body, key):
    """A published page of the current website at ``url`` holding ``body``."""
    return env["website.page"].create(
        {
            "name": url,
            "url": url,
            "website_id": env["website"].get_current_website().id,
            "is_published": True,
            "type": "qweb",
            "key": key,
            "arch": PAGE_ARCH % {"key": key, "body": body},
        }
    )


BENCH_PAGES = {
    "/bench-snippet": SNIPPET_FRAME,
    "/bench-static": '<t t-call="website.s_comparisons"/>',
}
# werkzeug's access log ends with: <queries> <query time> <remaining time>
ACCESS_LOG = re.compile(r'"(?:GET|POST) (\S+) HTTP/1.1" 200 - (\d+) ')


class PageServer:
    """A real Odoo server on ``db`` and what it logged for each request."""

    def __init__(self, db, port=8079):
        self.db, self.base = db, f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile("r", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                f"--addons-path={addons_path()}",
                "-d",
                db,
                f"--db-filter=^{db}$",
                f"--http-port={port}",
                "--http-interface=127.0.0.1",
                "--max-cron-threads=0",
                "--log-handler=werkzeug:INFO",
                f"--logfile={self.log.name}",
            ]
        )
        import requests

        self.session = requests.Session()
        for _attempt in range(120):
            try:
                self.session.get(f"{self.base}/web/webclient/version_info", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.5)

    def request(self, target):
        """GET a path, or POST a JSON-RPC call when ``target`` is (path, params)."""
        if isinstance(target, str):
            response = self.session.get(self.base + target, timeout=60)
        else:
            path, params = target
            body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            response = self.session.post(self.base + path, json=body, timeout=60)
        response.raise_for_status()
        if not isinstance(target, str) and "error" in response.json():
            raise RuntimeError(response.json()["error"])
        return response

    def measure(self, targets, count):
        """{name: (median seconds, queries of the last request)}: the targets
        requested in turn, so that none gets the server colder or busier;
        the median per request resists stray pauses."""
        times = {name: [] for name in targets}
        for _warm in range(3):
            for target in targets.values():
                self.request(target)
        for _i in range(count):
            for name, target in targets.items():
                start = time.perf_counter()
                self.request(target)
                times[name].append(time.perf_counter() - start)
        time.sleep(0.5)
        queries = {}
        with open(self.log.name, encoding="utf-8") as log:
            for line in log:
                match = ACCESS_LOG.search(line)
                if match:
                    queries[match.group(1)] = int(match.group(2))
        open(self.log.name, "w").close()  # noqa: SIM115
        path = {name: t if isinstance(t, str) else t[0] for name, t in targets.items()}
        return {
            name: (statistics.median(spent), queries.get(path[name]))
            for name, spent in times.items()
        }

    def close(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def bench_web(db, count, extra_tiers, port):
    """The website measures (4, 5 and 6 of the report), on a real server."""
    import odoo

    remove_bench_records(db)
    with environment(db) as env:
        for url, body in BENCH_PAGES.items():
            create_page(env, url, body, f"mint_bench.{url[1:]}")
        # Odoo's products snippet shows as many products as the comparison.
        env["product.template"].create(
            [
                {
                    "name": f"Bench product {i}",
                    "list_price": 10 + i,
                    "is_published": True,
                }
                for i in range(16)
            ]
        )
        products_filter = env.ref("website_sale.dynamic_filter_newest_products").id
        env.cr.commit()
    odoo.sql_db.close_all()

    def products_shown(env):
        tiers = env["support.tier"].search([("is_published", "=", True)])
        return len(tiers.product_tmpl_ids)

    def targets(products):
        return {
            "support": "/support",
            "snippet page": "/bench-snippet",
            "static page": "/bench-static",
            "snippet data": ("/support/table", {"period": "yearly"}),
            "products data": (
                "/website/snippet/filters",
                {
                    "filter_id": products_filter,
                    "template_key": "website_sale.dynamic_filter_template_"
                    "product_product_borderless_1",
                    "limit": min(products, 16),
                    "search_domain": [],
                },
            ),
        }

    server = PageServer(db, port)
    results = []
    try:
        for step in range(2):
            if step:
                with environment(db) as env:
                    tier = env.ref("mint_support_contract.support_tier_mint")
                    for i in range(extra_tiers):
                        copy = tier.copy(
                            {
                                "code": f"BENCH{i}",
                                "name": f"Bench {i}",
                                "is_published": True,
                            }
                        )
                        tier.product_tmpl_ids.copy(
                            {"support_tier_id": copy.id, "is_published": True}
                        )
                    env.cr.commit()
                odoo.sql_db.close_all()
            with environment(db) as env:
                products = products_shown(env)
            results.append((products, server.measure(targets(products), count)))
        results.append(bench_price_change(db, server))
    finally:
        server.close()
        remove_bench_records(db)
    return results


def bench_price_change(db, server, visitors=4):
    """Visitors load /support and the snippet's data while a price change
    is written and committed; the first requests after the commit must
    show the new price. Returns (requests during the change, whether /support
    and the snippet's data showed the new price at once)."""
    import threading

    import odoo

    stop = threading.Event()
    served = []

    def visit():
        while not stop.is_set():
            server.request("/support")
            server.request(("/support/table", {}))
            served.append(1)

    with environment(db) as env:
        product = env.ref("mint_support_contract.product_template_support_mint_yearly")
        old_price = product.list_price
    odoo.sql_db.close_all()
    new_price = old_price + 111
    threads = [threading.Thread(target=visit) for _i in range(visitors)]
    for thread in threads:
        thread.start()
    try:
        from odoo.modules.registry import Registry

        with Registry(db).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            product = env.ref(
                "mint_support_contract.product_template_support_mint_yearly"
            )
            product.list_price = new_price
            env.flush_all()
            time.sleep(1.5)  # visitors keep loading the page meanwhile
            cr.commit()
        during = len(served)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    shown = f"{new_price:,.0f}"
    page = shown in server.request("/support").text
    data = shown in server.request(("/support/table", {})).json()["result"]
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("mint_support_contract.product_template_support_mint_yearly").write(
            {"list_price": old_price}
        )
    odoo.sql_db.close_all()
    return during, page and data


def remove_bench_records(db):
    """Remove what bench_web committed (also after an interrupted run)."""
    import odoo

    with environment(db) as env:
        env["website.page"].search([("url", "in", list(BENCH_PAGES))]).unlink()
        tiers = env["support.tier"].search([("code", "=like", "BENCH%")])
        tiers.product_tmpl_ids.unlink()
        tiers.unlink()
        env["product.template"].search([("name", "=like", "Bench product %")]).unlink()
        env.cr.commit()
    odoo.sql_db.close_all()


def ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="mint_bench")
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--recompute", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--port", type=int, default=8079, help="of the page server (default 8079)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--only",
        choices=["helpdesk", "website"],
        help="run only the helpdesk measures (1-3) or the website ones (4-6)",
    )
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path()}", "--log-level=warn"])
    plain_db, addon_db = f"{args.prefix}_plain", f"{args.prefix}_addon"
    if args.only != "website":
        ensure_db(plain_db, PLAIN_MODULES)
    ensure_db(addon_db, ADDON_MODULES)
    try:
        if args.only != "website":
            bench_helpdesk(args, plain_db, addon_db)
        if args.only != "helpdesk":
            bench_website(args, addon_db)
    finally:
        odoo.sql_db.close_all()
        if not args.keep:
            for name in (plain_db, addon_db):
                subprocess.run(["dropdb", "--if-exists", name], check=False)


def bench_helpdesk(args, plain_db, addon_db):
    """Measures 1 to 4: ticket creation, SLA recompute, ticket list, filters."""
    n = args.tickets
    print(f"\n1. creating {n} tickets in batches of 100")
    plain = bench_create(plain_db, False, n)
    addon = bench_create(addon_db, True, n)
    for label, res in (("plain helpdesk_mgmt", plain), ("with the addon", addon)):
        print(
            f"   {label:20} {res['seconds']:.2f} s, "
            f"{res['queries'] / n:.2f} queries/ticket"
        )
    print(
        f"   ratio: time {ratio(addon['seconds'], plain['seconds'])} "
        f"(target <= 1.15x), queries {ratio(addon['queries'], plain['queries'])}"
    )

    print(f"\n2. SLA recompute of {args.recompute} open tickets after a new holiday")
    res = bench_recompute(addon_db, args.recompute)
    print(
        f"   {res['seconds']:.2f} s (target < 10 s), {res['queries']} queries, "
        f"{res['tickets']} tickets with a deadline"
    )

    print("\n3. ticket list web_search_read, 80 rows")
    without = bench_list(addon_db, False)
    with_sla = bench_list(addon_db, True)
    for label, res in (
        ("without SLA fields", without),
        ("with SLA fields", with_sla),
    ):
        print(f"   {label:19} {res['queries']} queries, {res['seconds'] * 1000:.1f} ms")
    print(
        f"   extra queries: {with_sla['queries'] - without['queries']} "
        f"(target <= 2), time {ratio(with_sla['seconds'], without['seconds'])}"
    )

    print(f"\n4. filtering {args.recompute} open tickets by live SLA state")
    for state, res in bench_filter(addon_db, args.recompute).items():
        print(
            f"   {state:9} {res['queries']} SQL queries (target 1), "
            f"{res['seconds'] * 1000:.1f} ms, {res['found']} found"
        )


def bench_website(args, addon_db):
    """Measures 5 to 7: the comparison's pages, its data, a price change."""
    extra = 6
    print(
        f"\n5. pages, median of {args.requests} requests each, taken in turn: "
        "/support and a page with the comparison snippet vs the same page with "
        "Odoo's static comparison snippet"
    )
    (products3, web3), (products9, web9), (during, fresh) = bench_web(
        addon_db, args.requests, extra, args.port
    )
    for label, web in (("3 tiers", web3), (f"{3 + extra} tiers", web9)):
        static = web["static page"]
        for name in ("support", "snippet page"):
            seconds, queries = web[name]
            print(
                f"   {label:8} {name:12} {seconds * 1000:6.1f} ms, "
                f"{queries} queries; "
                f"static {static[0] * 1000:.1f} ms, {static[1]} queries; "
                f"ratio {ratio(seconds, static[0])} (target <= 1.2x)"
            )
    print(
        "\n6. the snippet's data request vs Odoo's dynamic products snippet "
        "request for as many products"
    )
    for label, products, web in (
        ("3 tiers", products3, web3),
        (f"{3 + extra} tiers", products9, web9),
    ):
        ours, odoos = web["snippet data"], web["products data"]
        print(
            f"   {label:8} ({products} products, Odoo's limited to 16): "
            f"snippet {ours[0] * 1000:.1f} ms, {ours[1]} queries; "
            f"products {odoos[0] * 1000:.1f} ms, {odoos[1]} queries; "
            f"ratio {ratio(ours[0], odoos[0])} (target <= 1x)"
        )
    print("\n7. a price change while visitors load /support and the snippet")
    print(
        f"   {during} requests served during the change; the first after the "
        f"commit show the new price: {'yes' if fresh else 'NO'} (target: yes)"
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmarks of mint_support_contract against plain Odoo/OCA, measured in one run.

Builds (or reuses) two databases without demo data:

- ``<prefix>_plain``: the addon's dependencies only (shop, contracts,
  helpdesk with timesheets): plain Odoo/OCA behaviour;
- ``<prefix>_addon``: the same plus mint_support_contract.

and prints, for each measure, the figures of both and their ratio. All writes
are rolled back; the databases can be reused by the next run (``--keep``) or
are dropped at the end.

    python3 tools/bench.py [--tickets 2000] [--recompute 10000] [--keep]
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
SUPPORT_SECTION = """<section class="s_support_tiers" data-snippet="s_support_tiers"
 data-period="yearly"><div class="container"><div class="s_support_tiers_body"/></div>
</section>"""
# werkzeug's access log ends with: <queries> <query time> <remaining time>
ACCESS_LOG = re.compile(r'"GET (/bench-[a-z]+) HTTP/1.1" 200 - (\d+) ')


def bench_pages(db, requests_per_page, extra_tiers):
    """Time and queries per request of a page with the live comparison vs the
    same page with Odoo's static comparison snippet, served by a real server;
    then again with ``extra_tiers`` more published tiers."""
    import requests

    import odoo

    pages = {
        "/bench-live": SUPPORT_SECTION,
        "/bench-static": '<t t-call="website.s_comparisons"/>',
    }
    remove_bench_pages(db, list(pages))
    with environment(db) as env:
        for url, body in pages.items():
            env["website.page"].create(
                {
                    "name": url,
                    "url": url,
                    "website_id": env["website"].get_current_website().id,
                    "is_published": True,
                    "type": "qweb",
                    "key": f"mint_bench.{url[1:]}",
                    "arch": PAGE_ARCH % {"key": f"mint_bench.{url[1:]}", "body": body},
                }
            )
        env.cr.commit()
    odoo.sql_db.close_all()
    port = 8079
    with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
        server = subprocess.Popen(
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
                f"--logfile={log.name}",
            ]
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _attempt in range(120):
                try:
                    requests.get(f"{base}/web/webclient/version_info", timeout=30)
                    break
                except requests.RequestException:
                    time.sleep(0.5)

            def serve():
                # Both pages in turn, so that neither gets the server colder
                # or busier; the median per request resists stray pauses.
                times = {url: [] for url in pages}
                for _warm in range(3):
                    for url in pages:
                        requests.get(base + url, timeout=60).raise_for_status()
                for _i in range(requests_per_page):
                    for url in pages:
                        start = time.perf_counter()
                        requests.get(base + url, timeout=60).raise_for_status()
                        times[url].append(time.perf_counter() - start)
                times = {url: statistics.median(spent) for url, spent in times.items()}
                time.sleep(0.5)
                queries = {}
                for line in open(log.name, encoding="utf-8"):
                    match = ACCESS_LOG.search(line)
                    if match:
                        queries[match.group(1)] = int(match.group(2))
                open(log.name, "w").close()
                return {url: (times[url], queries.get(url)) for url in pages}

            results = [serve()]
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
            results.append(serve())
        finally:
            server.terminate()
            server.wait(30)
            remove_bench_pages(db, list(pages))
    return results


def remove_bench_pages(db, urls):
    """Remove what bench_pages committed (also after an interrupted run)."""
    import odoo

    with environment(db) as env:
        env["website.page"].search([("url", "in", urls)]).unlink()
        tiers = env["support.tier"].search([("code", "=like", "BENCH%")])
        tiers.product_tmpl_ids.unlink()
        tiers.unlink()
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
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path()}", "--log-level=warn"])
    plain_db, addon_db = f"{args.prefix}_plain", f"{args.prefix}_addon"
    ensure_db(plain_db, PLAIN_MODULES)
    ensure_db(addon_db, ADDON_MODULES)
    try:
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

        print(
            f"\n2. SLA recompute of {args.recompute} open tickets after a new holiday"
        )
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
            print(
                f"   {label:19} {res['queries']} queries, "
                f"{res['seconds'] * 1000:.1f} ms"
            )
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

        extra = 6
        print(
            f"\n5. page with the live comparison vs Odoo's static comparison snippet, "
            f"median of {args.requests} requests each, taken in turn"
        )
        for label, res in zip(
            ("3 tiers", f"{3 + extra} tiers"),
            bench_pages(addon_db, args.requests, extra),
            strict=True,
        ):
            live, static = res["/bench-live"], res["/bench-static"]
            print(
                f"   {label:8} live {live[0] * 1000:.1f} ms, {live[1]} queries; "
                f"static {static[0] * 1000:.1f} ms, {static[1]} queries; "
                f"ratio {ratio(live[0], static[0])} (target <= 1.2x)"
            )
    finally:
        odoo.sql_db.close_all()
        if not args.keep:
            for name in (plain_db, addon_db):
                subprocess.run(["dropdb", "--if-exists", name], check=False)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Load tests of mint_support_contract on Odoo's multi-process server.

    python3 tools/load.py [--time 90] [--users 30] [--compare-time 90] [--keep]
    python3 tools/load.py --servers 2     # two servers, one database
    python3 tools/load.py --faults        # killed servers, a database restart

Everything runs on this machine, on a PostgreSQL cluster of its own
(``mintload``, port 5544, created on first use) so that the fault scenario can
restart it without touching the machine's main cluster. Servers are started
with ``deploy/odoo.conf`` (4 workers, 1 cron process each), overriding only
ports, database and folders. The databases are copies of cached templates
(click-odoo-initdb, demo data): ``plain`` holds the addon's dependencies,
``addon`` the addon too; each is seeded with customers with portal logins
and tiers, agents, open tickets of every SLA state and last month's time
entries. The addon's database gets the load with the operator's jobs, then
the comparison: the same users load it and the plain database in turns.

The load is locust, headless (tools/locustfile.py, in a virtualenv of its own:
its gevent is newer than Odoo's). After the run it prints per route the
requests per second, p50, p95 and errors, then checks in the database that
nothing was lost or done twice, and the targets; exits non-zero when one
fails.
"""

import argparse
import csv
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import datetime, timedelta

from bench import BENCH_PAGES, SNIPPET_FRAME, create_page
from odoo_env import addons_path, odoo_bin

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "mint_support_contract"
# The activity type of the escalation's to-dos.
SLA_TODO = f"{ADDON}.mail_activity_type_sla_response"
CLUSTER = "mintload"
PG_PORT = int(os.environ.get("LOAD_PG_PORT", "5544"))
VENV = os.environ.get("LOAD_VENV", "/opt/mint-load-venv")
PASSWORD = "load-test-password"
MARK = "[load]"
LOG_RECORD = re.compile(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} )")
CONFLICTS = ("could not serialize access", "deadlock detected")


def sh(*cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def as_root(*cmd):
    # pg_createcluster and pg_ctlcluster: run by root, they act as postgres.
    return sh(*([] if os.geteuid() == 0 else ["sudo"]), *cmd, capture_output=True)


def as_postgres(*cmd):
    prefix = (
        ["runuser", "-u", "postgres", "--"]
        if os.geteuid() == 0
        else ["sudo", "-u", "postgres"]
    )
    return sh(*prefix, *cmd, capture_output=True).stdout


# The machine: a PostgreSQL cluster, locust, the databases


def pg_version():
    return sh("pg_lsclusters", "-h", capture_output=True).stdout.split()[0]


def cluster_status():
    for line in sh("pg_lsclusters", "-h", capture_output=True).stdout.splitlines():
        version, name, port, status = line.split()[:4]
        if name == CLUSTER:
            return status
    return None


def ensure_cluster():
    if shutil.which("pg_createcluster") is None:
        sys.exit("ERROR: make load needs Debian's postgresql-common (pg_createcluster)")
    if cluster_status() is None:
        print(f"==> creating the PostgreSQL cluster {CLUSTER} on port {PG_PORT}")
        as_root(
            "pg_createcluster", pg_version(), CLUSTER, "-p", str(PG_PORT),
            "-o", "max_connections=300",
            "--", "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
    if cluster_status() != "online":
        as_root("pg_ctlcluster", pg_version(), CLUSTER, "start")
    user = os.environ.get("USER") or sh("id", "-un", capture_output=True).stdout.strip()
    exists = as_postgres(
        "psql", "-p", str(PG_PORT), "-d", "postgres", "-tAc",
        f"select 1 from pg_roles where rolname='{user}'",
    )  # fmt: skip
    if not exists.strip():
        as_postgres(
            "psql", "-p", str(PG_PORT), "-d", "postgres", "-c",
            f'CREATE ROLE "{user}" SUPERUSER LOGIN',
        )  # fmt: skip


def restart_cluster():
    as_root("pg_ctlcluster", pg_version(), CLUSTER, "restart", "-m", "fast")


def ensure_locust():
    locust = os.path.join(VENV, "bin", "locust")
    if not os.path.exists(locust):
        print(f"==> installing locust into {VENV}")
        sh(sys.executable, "-m", "venv", VENV)
        sh(
            os.path.join(VENV, "bin", "pip"), "install", "-q",
            "-r", os.path.join(HERE, "tools", "load-requirements.txt"),
        )  # fmt: skip
    return locust


class Machine:
    """The configuration of this run: a data folder shared by its servers,
    the databases it made (dropped when it closes, the folder removed)."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="mintload-")
        self.databases = []
        self.data_dir = os.path.join(self.work, "data")
        self.config = os.path.join(self.work, "odoo.cfg")
        with open(self.config, "w") as config:
            config.write(
                "[options]\n"
                f"addons_path = {addons_path()}\n"
                f"db_port = {PG_PORT}\n"
                f"data_dir = {self.data_dir}\n"
            )

    def new_database(self, name, modules):
        """A copy of the cached template with ``modules`` and demo data."""
        self.drop_database(name)
        self.databases.append(name)
        print(f"==> database {name} ({modules}; built once, then copied)", flush=True)
        sh(
            sys.executable, os.path.join(HERE, "tools", "testdb.py"),
            "-c", self.config, "-n", name, "-m", modules,
            "--cache-prefix", "mintload",
        )  # fmt: skip

    def settle(self, name):
        """After the seed, as a database lived in is: its statistics fresh and
        its writes on disk, not left to autovacuum's analyze and a checkpoint
        during the measure (which would fall on one database and not the
        other)."""
        sh("vacuumdb", "-p", str(PG_PORT), "--analyze-only", "--quiet", name)
        sh("psql", "-p", str(PG_PORT), "-q", "-d", name, "-c", "CHECKPOINT")

    def drop_database(self, name):
        sh("dropdb", "-p", str(PG_PORT), "--if-exists", "--force", name)

    def close(self):
        for name in self.databases:
            self.drop_database(name)
        shutil.rmtree(self.work, ignore_errors=True)


def plain_modules():
    import ast

    with open(os.path.join(HERE, ADDON, "__manifest__.py")) as manifest:
        return ",".join(ast.literal_eval(manifest.read())["depends"])


@contextmanager
def environment(machine, db):
    """An Odoo environment (superuser) on ``db``, committed at the end."""
    import odoo
    from odoo.tools import config

    if config.rcfile != machine.config:  # Odoo's configuration parses once
        config.parse_config(["-c", machine.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry.new(db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})


# The world the users act in


def seed(env, plain, customers=40, tickets=300):
    """Customers with portal logins (and tiers), agents, an integration user,
    an accountant, open tickets created over the last working days (so that
    they are on track, at risk or breached), last month's time entries, a page
    with the comparison snippet. Returns what locust needs to know."""
    from freezegun import freeze_time

    from odoo import Command, fields

    Users = env["res.users"].with_context(no_reset_password=True)
    now = fields.Datetime.now()
    company = env.company
    calendar = company.resource_calendar_id
    calendar.tz = "Europe/Zurich"
    project = env["project.project"].create(
        {"name": "Load support", "allow_timesheets": True}
    )
    team_vals = {
        "name": "Load support",
        "allow_timesheet": True,
        "default_project_id": project.id,
    }
    if not plain:  # office hours of the response deadlines
        team_vals["resource_calendar_id"] = calendar.id
    team = env["helpdesk.ticket.team"].create(team_vals)

    def user(login, groups, **vals):
        groups = [env.ref(xmlid).id for xmlid in groups]
        if "partner_id" not in vals:
            vals["name"] = login
        created = Users.create(
            {
                "login": login,
                "password": PASSWORD,
                "groups_id": [Command.set(groups)],
                **vals,
            }
        )
        # As after a first login: two first logins of one user at the same
        # moment race to create these, and one fails (Odoo's own race).
        env["res.users.settings"]._find_or_create_for_user(created)
        return created

    staff = ["base.group_user", "helpdesk_mgmt.group_helpdesk_user"]
    agents = [
        user(f"load.agent{i}", [*staff, "hr_timesheet.group_hr_timesheet_user"])
        for i in range(6)
    ]
    for agent in agents:
        env["hr.employee"].create({"name": agent.name, "user_id": agent.id})
    # The leader is notified of unassigned tickets due.
    team.write(
        {"user_ids": [Command.set([a.id for a in agents])], "user_id": agents[0].id}
    )
    integration = user("load.integration", staff)
    accountant = user("load.accountant", [*staff, "account.group_account_invoice"])

    # A third of the customers without a paid tier, a third with MINT, a
    # third with MINT+, bought as customers buy them: a confirmed order.
    products = [False]
    if not plain:
        products += [
            env.ref(f"{ADDON}.{xmlid}").product_variant_id
            for xmlid in (
                "product_template_support_mint_yearly",
                "product_template_support_mint_plus_yearly",
            )
        ]
    orders = env["sale.order"]
    customer_users = []
    for i in range(customers):
        partner = env["res.partner"].create(
            {"name": f"Load Customer {i} AG", "is_company": True}
        )
        contact = env["res.partner"].create(
            {
                "name": f"Contact {i}",
                "parent_id": partner.id,
                "email": f"load.customer{i}@example.com",
            }
        )
        portal = user(f"load.customer{i}", ["base.group_portal"], partner_id=contact.id)
        product = products[i % len(products)]
        if i % 3 == 2 and not plain:  # MINT+: direct dialogue, notified too
            partner.support_account_manager_id = agents[1]
        if product:
            orders |= env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
        customer_users.append((portal, contact))
    orders.action_confirm()

    Ticket = env["helpdesk.ticket"]

    def open_tickets(contacts, name, when):
        # freezegun: the SLA starts at ``when`` (few batches: each freeze
        # walks every loaded module).
        with freeze_time(when):
            return Ticket.create(
                [
                    {
                        "name": f"{name} {contact.name}",
                        "description": "<p>Help.</p>",
                        "team_id": team.id,
                        "partner_id": contact.id,
                        "project_id": project.id,
                    }
                    for contact in contacts
                ]
            )

    # Open tickets created over the last five days, in 25 batches.
    contacts = [contact for _portal, contact in customer_users]
    opened = Ticket.browse()
    for batch in range(25):
        when = now - timedelta(minutes=24 * 60 * 5 * batch // 25)
        opened |= open_tickets(
            [contacts[(batch * 12 + i) % customers] for i in range(tickets // 25)],
            "Open question",
            when,
        )
    # Last month's time entries, to be billed during the load.
    last_month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    lines = []
    for day in range(20):
        date = datetime.combine(last_month + timedelta(days=day), datetime.min.time())
        worked = open_tickets(
            contacts[day::20], "Last month", date + timedelta(hours=9)
        )
        for i, ticket in enumerate(worked):
            agent = agents[(day + i) % len(agents)]
            lines += [(agent, ticket, hours, date.date()) for hours in (1.5, 0.75)]
    for agent, ticket, hours, date in lines:
        env["account.analytic.line"].with_user(agent).create(
            {
                "name": "Support work",
                "project_id": project.id,
                "ticket_id": ticket.id,
                "unit_amount": hours,
                "date": date,
            }
        )
    # One ticket answered by nobody during the load: the operator watches its
    # deadline when a holiday is added.
    watched = open_tickets([contacts[1]], "Watched", now)
    if not plain:  # acknowledged when they came in, as in a live database
        queued = Ticket.search([("sla_acknowledge_due", "!=", False)])
        queued._sla_write({"sla_acknowledge_due": False, "sla_acknowledged": True})

    world = {
        "db": env.cr.dbname,
        "plain": plain,
        "kind": "plain" if plain else "addon",
        "mark": MARK,
        "admin": {"login": "admin", "password": "admin", "uid": 2},
        "agents": [{"login": a.login, "password": PASSWORD} for a in agents],
        "integration": {"login": integration.login, "password": PASSWORD},
        "accountant": {"login": accountant.login, "password": PASSWORD},
        "customers": [
            {
                "login": portal.login,
                "password": PASSWORD,
                "partner_id": contact.id,
                "name": contact.name,
                "email": contact.email,
            }
            for portal, contact in customer_users
        ],
        "team_id": team.id,
        "calendar_id": calendar.id,
        "answer_tickets": opened[: tickets // 5].ids,
        "open_tickets": opened.ids,
        "watched_ticket": watched.id,
        "last_month": str(last_month),
    }
    seed_pages(env, plain)
    world["snippet_url"] = "/support-snippet"
    # The scheduled jobs run when the load makes them due, not when the
    # template's old dates say.
    env["ir.cron"].search([]).write({"nextcall": now + timedelta(days=1)})
    if not plain:
        world.update(
            manager_uid=agents[1].id,
            escalation_cron_id=env.ref(f"{ADDON}.ir_cron_sla_escalate").id,
            billing_cron_id=env.ref(f"{ADDON}.ir_cron_support_billing").id,
            price_product_id=env.ref(
                f"{ADDON}.product_template_support_mint_monthly"
            ).id,
        )
    return world


def seed_pages(env, plain):
    """The page with the comparison snippet; on the plain database, /support
    and that page hold Odoo's static comparison block instead."""
    static = BENCH_PAGES["/bench-static"]
    pages = {"/support-snippet": static if plain else SNIPPET_FRAME}
    if plain:
        pages["/support"] = static
    for url, body in pages.items():
        key = "website.load" + url.replace("/", "_").replace("-", "_")
        create_page(env, url, body, key)


# Servers


class Server:
    """``odoo`` with deploy/odoo.conf on ``port``, its log in a file."""

    def __init__(self, machine, db, port):
        self.machine, self.db, self.port = machine, db, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = os.path.join(machine.work, f"odoo-{port}.log")
        # What the processes print beside their log (warnings, the traceback
        # of an interrupted process): to the log's file too.
        self.output = open(self.log, "a")  # noqa: SIM115
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                odoo_bin(),
                "-c",
                os.path.join(HERE, "deploy", "odoo.conf"),
                f"--addons-path={addons_path()}",
                "-d",
                self.db,
                f"--db-filter=^{self.db}$",
                f"--http-port={self.port}",
                f"--gevent-port={self.port + 1}",
                f"--data-dir={self.machine.data_dir}",
                f"--db_port={PG_PORT}",
                f"--logfile={self.log}",
            ],  # fmt: skip
            start_new_session=True,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            # Odoo's option: an admin's change of a job's next call wakes the
            # cron workers, as it would be set in production.
            env={**os.environ, "ODOO_NOTIFY_CRON_CHANGES": "1"},
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/web/login", timeout=30):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(1)
        sys.exit(f"ERROR: the server on :{self.port} did not start (see {self.log})")

    def warm_up(self, paths):
        """Every worker loads the registry and the pages once before the run."""
        for _round in range(6):
            for path in paths:
                try:
                    with urllib.request.urlopen(self.url + path, timeout=60):
                        pass
                except OSError:
                    pass

    def kill(self):
        """As a crash or an operator's kill -9 does: at once, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        # As an operator stops Odoo: the main process alone, which stops its
        # workers and kills its websocket process itself (that process logs a
        # KeyboardInterrupt as an ERROR when it gets the signal too).
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()

    def errors(self):
        """(errors, conflicts) logged: a transaction that lost a race to
        another (PostgreSQL: could not serialize, deadlock) is logged by Odoo
        as a bad query, then the request or job runs again: a conflict."""
        with open(self.log, errors="replace") as log:
            records = LOG_RECORD.split(log.read())
        errors, conflicts = [], 0
        for record in records:
            if " ERROR " not in record[:120] and " CRITICAL " not in record[:120]:
                continue
            if "bad query" in record and any(text in record for text in CONFLICTS):
                conflicts += 1
            else:
                errors.append(record.splitlines()[0][:300])
        return errors, conflicts


# The load


def run_locust(machine, world, servers, duration, users, name, history=False):
    locust = ensure_locust()
    world = {**world, "hosts": [s.url for s in servers], "duration": duration}
    world_file = os.path.join(machine.work, f"{name}-world.json")
    out_file = os.path.join(machine.work, f"{name}-out.json")
    prefix = os.path.join(machine.work, name)
    with open(world_file, "w") as out:
        json.dump(world, out)
    print(
        f"==> {name}: {users} users for {duration} s on "
        + ", ".join(s.url for s in servers),
        flush=True,
    )
    command = [
        locust, "-f", os.path.join(HERE, "tools", "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{duration}s",
        "--csv", prefix, "--only-summary", "--stop-timeout", "60", "--reset-stats",
        "--loglevel", "ERROR", "--host", servers[0].url,
    ]  # fmt: skip
    if history:
        command.append("--csv-full-history")
    subprocess.run(
        command,
        env={**os.environ, "LOAD_WORLD": world_file, "LOAD_OUT": out_file},
        stdout=subprocess.DEVNULL,
        check=False,
    )
    if not os.path.exists(prefix + "_stats.csv"):
        sys.exit(f"ERROR: locust did not run ({' '.join(command)})")
    with open(prefix + "_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    with open(out_file) as out:
        done = json.load(out)
    history_rows = []
    if history:
        with open(prefix + "_stats_history.csv") as stats:
            history_rows = [
                r for r in csv.DictReader(stats) if r["Name"] == "Aggregated"
            ]
    return rows, done, history_rows


def print_routes(title, rows):
    print(f"\n{title}")
    columns = ("requests", "req/s", "p50 ms", "p95 ms", "errors")
    print(f"  {'route':<42} " + " ".join(f"{c:>8}" for c in columns))
    for name, row in sorted(rows.items(), key=lambda item: item[0] == "Aggregated"):
        print(
            f"  {name[:42]:<42} {row['Request Count']:>8} "
            f"{float(row['Requests/s']):>8.1f} {row['50%']:>8} {row['95%']:>8} "
            f"{row['Failure Count']:>8}"
        )


def p95(rows, name):
    return float(rows[name]["95%"]) if name in rows else float("nan")


def percentile(samples, share):
    """The nearest-rank percentile of ``samples`` (nan when there are none)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(math.ceil(share / 100 * len(ordered)) - 1, 0)]


def p95_ratio(ours, theirs, rounds=2000):
    """The ratio of the p95s of two samples of response times, and the range
    90 % of bootstrap resamples fall in: how far one run can be trusted."""
    ratio = percentile(ours, 95) / percentile(theirs, 95)
    draw = random.Random(15)  # the same range for the same samples
    resampled = sorted(
        percentile(draw.choices(ours, k=len(ours)), 95)
        / percentile(draw.choices(theirs, k=len(theirs)), 95)
        for _round in range(rounds)
    )
    return ratio, resampled[rounds // 20], resampled[rounds - rounds // 20 - 1]


class Verdict:
    """Named checks, printed as they come, counted at the end."""

    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(
            f"  [{'ok' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail else "")
        )
        return ok


# What must hold after a run


def check_effects(env, world, done, since, check):
    """Nothing lost, nothing done twice: tickets, answers, escalations, bills."""
    check_tickets(env, done, check)
    check_answers(env, done, since, check)
    if not done["escalations"]:
        check("the escalation ran during the load", False)
    else:
        last = max(datetime.fromisoformat(t) for t in done["escalations"])
        check_escalations(env, world, last, check)
    check_billing(env, world, check)


def check_tickets(env, done, check):
    Ticket = env["helpdesk.ticket"].with_context(active_test=False)
    created = Ticket.browse(done["created"]).exists()
    check(
        "every ticket created over RPC or by mail exists",
        len(created) == len(set(done["created"])),
        f"{len(created)} of {len(set(done['created']))}",
    )

    def expected(ticket):
        # The customer's tier (of the ticket's company), else the company's
        # default tier (Basis): the rule of the readme.
        tier = ticket.partner_id.commercial_partner_id.support_tier_id
        if tier and tier.company_id == ticket.company_id:
            return tier
        return ticket.company_id.support_default_tier_id

    wrong = created.filtered(
        lambda t: (
            t.sla_tier_id != expected(t) or bool(t.sla_deadline) != bool(expected(t))
        )
    )
    paid = created.filtered(
        lambda t: t.partner_id.commercial_partner_id.support_tier_id
    )
    check(
        "every created ticket got its customer's tier (or the default), a deadline",
        bool(paid) and not wrong,
        f"{len(created) - len(wrong)} of {len(created)}, {len(paid)} with a paid tier"
        + (f", wrong: {wrong.ids[:10]}" if wrong else ""),
    )
    # The acknowledgement, queued by the request and sent by a cron worker:
    # once per ticket, or still queued when the servers stopped.
    sent = {
        row["res_id"]: row["res_id_count"]
        for row in env["mail.message"].read_group(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", created.ids),
                ("message_type", "=", "auto_comment"),
                ("author_id", "in", created.company_id.partner_id.ids),
            ],
            ["res_id"],
            ["res_id"],
        )
    }
    twice = [ticket_id for ticket_id, count in sent.items() if count > 1]
    lost = created.filtered(
        lambda t: t.sla_deadline and t.id not in sent and not t.sla_acknowledge_due
    )
    queued = created.filtered("sla_acknowledge_due")
    check(
        "every created ticket acknowledged once (or still queued at the end)",
        bool(sent) and not twice and not lost,
        f"{len(sent)} acknowledged, {len(queued)} still queued"
        + (f", twice: {twice[:10]}" if twice else "")
        + (f", never: {lost.ids[:10]}" if lost else ""),
    )


def check_answers(env, done, since, check):
    """Each answer posted is there, the first one set the first response,
    later ones did not move it."""
    from odoo.tools import SQL

    Ticket = env["helpdesk.ticket"]
    answered = Ticket.browse(sorted(set(done["answered"])))
    agents = env["res.users"].search([("login", "like", "load.agent%")]).partner_id
    env.cr.execute(
        SQL(
            """SELECT res_id, count(*), min(date) FROM mail_message
                WHERE model = 'helpdesk.ticket' AND res_id IN %s AND author_id IN %s
                  AND message_type = 'comment' AND date >= %s
                GROUP BY res_id""",
            tuple(answered.ids) or (0,),
            tuple(agents.ids) or (0,),
            since,
        )
    )
    posted = {res_id: (count, first) for res_id, count, first in env.cr.fetchall()}
    expected = {t: done["answered"].count(t) for t in answered.ids}
    lost = [t for t, count in expected.items() if posted.get(t, (0,))[0] != count]
    check(
        "every answer posted is on its ticket",
        not lost,
        f"{sum(expected.values())} answers on {len(expected)} tickets"
        + (f", counts differ on {lost[:10]}" if lost else ""),
    )
    moved = [
        t.id
        for t in answered
        if t.id in posted
        and (
            not t.sla_first_response_date
            or abs((t.sla_first_response_date - posted[t.id][1]).total_seconds()) > 2
        )
    ]
    twice = sum(1 for count in expected.values() if count > 1)
    check(
        "the first answer set the first response, once",
        not moved,
        f"{len(answered)} tickets, {twice} answered more than once"
        + (f", wrong on {moved[:10]}" if moved else ""),
    )


def check_escalations(env, world, last, check):
    """Every ticket due when the escalation ran at ``last`` was notified, no
    ticket twice for the same state, no notification without its state."""
    from odoo.tools import SQL

    Ticket = env["helpdesk.ticket"]
    team = ("team_id", "=", world["team_id"])
    due = Ticket.search(
        [
            team,
            ("sla_tier_id", "!=", False),
            ("sla_first_response_date", "=", False),
            ("sla_pause_start", "=", False),
            ("stage_id.closed", "=", False),
            ("sla_risk_date", "<=", last),
            ("create_date", "<=", last),
        ]
    )
    tickets = SQL("SELECT id FROM helpdesk_ticket WHERE team_id = %s", world["team_id"])
    # What the users were told: Odoo's notification of an activity assigned,
    # its subject quoting the to-do's summary ("SLA At Risk: respond by ...").
    env.cr.execute(
        SQL(
            """SELECT m.res_id, substring(m.subject from 'SLA ([^:]+):'),
                      rel.res_partner_id, count(*)
                 FROM mail_message m
                 JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = m.id
                WHERE m.model = 'helpdesk.ticket'
                  AND m.message_type = 'user_notification'
                  AND m.subject LIKE %s AND m.res_id IN (%s)
                GROUP BY 1, 2, 3""",
            "%SLA %",
            tickets,
        )
    )
    notifications = env.cr.fetchall()
    notified = {res_id for res_id, _state, _partner, _count in notifications}
    # What they have to do: one to-do per person and ticket.
    sla = env.ref(SLA_TODO)
    env.cr.execute(
        SQL(
            """SELECT res_id, user_id, count(*) FROM mail_activity
                WHERE res_model = 'helpdesk.ticket' AND activity_type_id = %s
                  AND res_id IN (%s)
                GROUP BY 1, 2""",
            sla.id,
            tickets,
        )
    )
    todos = env.cr.fetchall()
    with_todo = {res_id for res_id, _user, _count in todos}
    missing = due.filtered(
        lambda t: not (t.id in notified and t.id in with_todo and t.sla_notified_state)
    )
    check(
        "every ticket due at the last escalation run was notified, with a to-do",
        bool(due) and not missing,
        f"{len(due)} tickets"
        + (f", not notified: {missing.ids[:10]}" if missing else ""),
    )
    orphans = Ticket.search([team, ("sla_notified_state", "!=", False)]).filtered(
        lambda t: t.id not in notified
    )
    check(
        "no ticket marked notified without its notification",
        not orphans,
        f"{len(orphans)} marked without one: {orphans.ids[:10]}" if orphans else "",
    )
    managed = Ticket.search([team, ("sla_tier_id.channel_account_manager", "=", True)])
    to_manager = {res_id for res_id, user, _c in todos if user == world["manager_uid"]}
    missed = due.filtered(lambda t: t in managed and t.id not in to_manager)
    check(
        "the account manager of a MINT+ customer was notified too",
        bool(due & managed) and not missed,
        f"{len(due & managed)} tickets"
        + (f", not: {missed.ids[:10]}" if missed else ""),
    )
    doubled = [
        (res_id, state, p) for res_id, state, p, count in notifications if count > 1
    ]
    check(
        "no ticket was notified twice for the same state",
        not doubled,
        f"{len(notifications)} notifications"
        + (f", twice: {doubled[:10]}" if doubled else ""),
    )
    two = [(res_id, user) for res_id, user, count in todos if count > 1]
    check(
        "one to-do per person and ticket",
        not two,
        f"{len(todos)} to-dos" + (f", two: {two[:10]}" if two else ""),
    )


def check_billing(env, world, check):
    """Last month billed, every customer once, every bill as its hours."""
    month = datetime.fromisoformat(world["last_month"]).date()
    lines = env["account.analytic.line"].search(
        [
            ("ticket_id", "!=", False),
            ("support_partner_id", "!=", False),
            ("date", ">=", month),
            ("date", "<", (month + timedelta(days=32)).replace(day=1)),
        ]
    )
    billings = env["support.billing"].search([("month", "=", month)])
    check(
        "every time entry of last month was billed",
        bool(lines) and all(lines.mapped("support_billing_id")),
        f"{len(lines)} entries, {len(lines.filtered('support_billing_id'))} billed",
    )
    per_partner = {}
    for billing in billings:
        per_partner.setdefault(billing.partner_id, []).append(billing)
    twice = [p.name for p, bills in per_partner.items() if len(bills) > 1]
    wrong = []
    for billing in billings:
        logged = sum(
            lines.filtered(lambda e, b=billing: e.support_billing_id == b).mapped(
                "unit_amount"
            )
        )
        invoices = billing.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        refunds = billing.invoice_ids - invoices
        quantity = sum(
            invoices.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ).mapped("quantity")
        )
        if (
            abs(logged - billing.logged_hours) > 0.01
            or refunds
            or len(invoices) != (1 if billing.billable_hours else 0)
            or abs(quantity - billing.billable_hours) > 0.01
        ):
            wrong.append(billing.partner_id.name)
    check(
        "no customer was billed twice, every bill matches its hours",
        bool(billings) and not twice and not wrong,
        f"{len(billings)} customers billed, {len(billings.invoice_ids)} invoices"
        + (f", twice: {twice[:5]}" if twice else "")
        + (f", wrong: {wrong[:5]}" if wrong else ""),
    )


def check_crons_ran(env, world, since, check):
    """The cron workers ran the jobs made due during the load (beside the
    same jobs run by hand and the wizards)."""
    for key in ("billing_cron_id", "escalation_cron_id"):
        cron = env["ir.cron"].browse(world[key])
        check(
            f"a cron worker ran '{cron.name}' during the load",
            bool(cron.lastcall and cron.lastcall >= since),
            f"last run {cron.lastcall}",
        )


def check_run(check, rows, done, servers):
    errors = done["server_errors"]
    check("no 5xx answer", not errors, f"{len(errors)}: {errors[:5]}" if errors else "")
    failures = done["failures"]
    check("no failed request", not failures, str(failures[:5]) if failures else "")
    logged, conflicts = [], 0
    for server in servers:
        errors, retried = server.errors()
        logged += errors
        conflicts += retried
    check(
        "no error in the servers' logs",
        not logged,
        "\n      ".join(logged[:5])
        if logged
        else f"{conflicts} concurrent updates run again (logged as bad queries)",
    )


def agents_list(env):
    """The open tickets in the order of the agents' list (its view's default
    order, else the model's): the rows an agent sees first come first."""
    Tickets = env["helpdesk.ticket"]
    arch = Tickets.get_views([(False, "list")])["views"]["list"]["arch"]
    order = ET.fromstring(arch).get("default_order") or None
    return Tickets.search([("stage_id.closed", "=", False)], order=order)


def ticket_activities(env):
    """The activities on the addon's open tickets (the escalation's to-dos),
    by the place of their ticket in the agents' list: (row, user, summary)."""
    row = {ticket.id: i for i, ticket in enumerate(agents_list(env))}
    return [
        (row[activity.res_id], activity.user_id.login, activity.summary)
        for activity in env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", list(row))]
        )
    ]


def add_activities(env, activities):
    """The same activities on the same rows of the plain database's list, as
    agents without the addon schedule follow-ups by hand. The list reads each
    row's activities, so it is compared on the same data: the addon lists the
    tickets due next first, and those carry the escalation's to-dos."""
    tickets = agents_list(env)
    Users = env["res.users"].with_context(active_test=False)
    users = {user.login: user for user in Users.search([])}
    for i, login, summary in activities:
        if i < len(tickets):
            tickets[i].activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=users[login].id,
            )


def scenario_load(machine, args):
    check = Verdict()
    db = "mintload_addon"
    machine.new_database(db, ADDON)
    with environment(machine, db) as env:
        world = seed(env, plain=False)
        env.cr.commit()
        since = env.cr.now()
    machine.settle(db)
    servers = [Server(machine, db, args.port + 10 * i) for i in range(args.servers)]
    compared = None
    try:
        for server in servers:
            server.warm_up(["/web/login", "/shop", "/support", "/support-snippet"])
        rows, done, _history = run_locust(
            machine, world, servers, args.time, args.users, "addon"
        )
        print_routes(f"the addon, {len(servers)} server(s) x 4 workers", rows)
        print("\nchecks")
        check_run(check, rows, done, servers)
        with environment(machine, db) as env:
            check_effects(env, world, done, since, check)
            activities = ticket_activities(env)
            check_crons_ran(env, world, since, check)
        for name, ok, detail in done["checks"]:
            check(name, ok, detail)
        if args.servers > 1:
            check(
                "the cross-server checks ran",
                len(done["checks"]) == 2,
                f"{len(done['checks'])} of 2",
            )
        if args.servers == 1 and args.compare_time:
            machine.settle(db)
            compared = compare(machine, args, world, servers[0], activities, check)
    finally:
        for server in servers:
            server.stop()

    print("\ntargets (p95 in the steady part of the run)")
    pages = (
        "GET /support",
        "GET page with snippet",
        "POST /support/table (snippet data)",
    )
    for steady in ("", ", steady"):
        shop = p95(rows, "GET /shop" + steady)
        for name in pages:
            ours = p95(rows, name + steady)
            text = f"p95 of {name} no worse than p95 of /shop"
            detail = f"{ours:.0f} ms vs {shop:.0f} ms"
            if steady:
                check(text, ours <= shop, detail)
            else:
                print(f"  [info] {text} while the jobs run: {detail}")
    if compared:
        turns, list_ms = compared
        shop = "GET /shop, steady"
        print(
            "  [info] Odoo's /shop p50 in the comparison, the addon's turns vs "
            f"plain's: {turns[shop + ' [addon]']['50%']} ms vs "
            f"{turns[shop + ' [plain]']['50%']} ms (the same page)"
        )
        ratio, low, high = p95_ratio(list_ms["addon"], list_ms["plain"])
        check(
            "agents' ticket list p95 no worse than 1.2x plain",
            ratio <= 1.2,
            f"{percentile(list_ms['addon'], 95):.0f} ms vs "
            f"{percentile(list_ms['plain'], 95):.0f} ms: {ratio:.2f}x "
            f"({len(list_ms['addon'])} and {len(list_ms['plain'])} requests; "
            f"90 % of resamples between {low:.2f}x and {high:.2f}x)",
        )
    return check


def compare(machine, args, world, server, activities, check):
    """The same load on the addon's database (served by ``server``) and on
    plain Odoo/OCA's, in turns of a tenth of the run by the same users: a
    change of the machine's speed weighs on both alike. The plain database
    gets the addon's to-dos on the same rows of its list. Returns the rows of
    the run and the agents' list's response times by database."""
    db = "mintload_plain"
    machine.new_database(db, plain_modules())
    with environment(machine, db) as env:
        plain = seed(env, plain=True)
        add_activities(env, activities)
        env.cr.commit()
    machine.settle(db)
    other = Server(machine, db, args.port + 50)
    try:
        other.warm_up(["/web/login", "/shop"])
        sides = [
            {**world, "hosts": [server.url], "operator": False},
            {**plain, "hosts": [other.url]},
        ]
        rows, done, _history = run_locust(
            machine,
            {**sides[0], "sides": sides},
            [server, other],
            args.compare_time,
            args.users,
            "compare",
        )
    finally:
        other.stop()
    print_routes(
        "the addon and plain Odoo/OCA (its dependencies) in turns, "
        "1 server x 4 workers each",
        rows,
    )
    print("\nchecks (comparison)")
    check_run(check, rows, done, [other])
    return rows, done["list_ms"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--time", type=int, default=90, help="seconds of load (on each database)"
    )
    parser.add_argument(
        "--compare-time",
        type=int,
        default=None,
        help="seconds of the comparison with plain Odoo/OCA, the two databases "
        "loaded in turns (default: --time; 0: none)",
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--port", type=int, default=8269)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases and the servers' logs"
    )
    args = parser.parse_args()
    if args.compare_time is None:
        args.compare_time = args.time
    started = time.monotonic()
    ensure_cluster()
    ensure_locust()
    machine = Machine()
    try:
        if args.faults:
            from load_faults import scenario_faults

            check = scenario_faults(machine, args)
        else:
            check = scenario_load(machine, args)
    finally:
        if args.keep:
            print(f"\nthe servers' logs are in {machine.work}")
        else:
            machine.close()
    minutes = (time.monotonic() - started) / 60
    print(f"\n{check.passed} passed, {check.failed} failed  ({minutes:.1f} min)")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())

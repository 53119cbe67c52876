"""The users of `make load` (tools/load.py), for locust run headless.

Not imported by Odoo: it runs in locust's own virtualenv and reaches the
servers over HTTP only, as browsers, the web client and the mail gateway do.
tools/load.py writes the world it seeded into the JSON file named by
``LOAD_WORLD`` (logins, ticket ids, the hosts of the servers) and reads back
what the users did from ``LOAD_OUT`` (JSON written when the run stops). A
world with ``sides`` is a comparison: two databases (the addon's and plain
Odoo/OCA's), each with its servers, loaded in turns by the same users, so that
whatever the machine does meanwhile weighs on both alike; every request's
name then tells its database ("[addon]", "[plain]").

- visitors: /support, a page with the comparison snippet and the snippet's
  data request, /shop (the addon's pages are left out on the plain database);
- portal customers: /my/support, /my/tickets;
- agents: the helpdesk ticket list and form over JSON-RPC as the web client
  asks for them (fields of the list and form views), and answers in the chatter;
- integrations: tickets created over JSON-RPC and through the mail gateway
  (``mail.thread.message_process`` over XML-RPC, as odoo-mailgate.py does);
- one operator: the escalation cron run by hand and by the cron workers, the
  support billing of last month from every server at once, and, with two
  servers, a price change and a public holiday made on one server and read on
  the other.
"""

import itertools
import json
import os
import random
import threading
import time
import uuid
import xml.etree.ElementTree as ET
import xmlrpc.client
from datetime import datetime, timezone

import gevent
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

WORLD = json.load(open(os.environ["LOAD_WORLD"]))  # noqa: SIM115
HOSTS = WORLD["hosts"]
SIDES = WORLD.get("sides") or [WORLD]
TURNS = 10  # of a comparison: the first two (users starting) not measured
MARK = WORLD["mark"]  # in the name of every ticket the load creates
OUT = {
    "created": [],  # ticket ids created over RPC or by mail
    "answered": [],  # ticket ids answered (once per answer)
    "escalations": [],  # UTC start of each manual escalation run that ran
    "server_errors": [],  # (name, status) of 5xx answers
    "failures": [],  # (name, error) of every failed request
    "checks": [],  # [name, passed, detail] of the two-server checks
    # Response times of the agents' list in the steady part, by database.
    "list_ms": {side["kind"]: [] for side in SIDES},
}
_lock = threading.Lock()
TIMEOUT = 60  # seconds: a request still unanswered then is a failure
_mails = itertools.count()


def record(key, value):
    with _lock:
        OUT[key].append(value)


def suffix(world):
    """What the names of a database's requests end with in a comparison."""
    return f" [{world['kind']}]" if len(SIDES) > 1 else ""


LISTS = {f"RPC ticket list, steady{suffix(side)}": side["kind"] for side in SIDES}


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


@events.request.add_listener
def _requests(name, response, exception, **kwargs):
    # Failures counted over the whole run: locust's statistics restart once
    # every user is started (--reset-stats), so that logins do not weigh on
    # the figures. The agents' list kept sample by sample, for its p95 and
    # how far that p95 can be trusted.
    if exception is not None:
        record("failures", (name, str(exception)[:200]))
    if response is not None and getattr(response, "status_code", 0) >= 500:
        record("server_errors", (name, response.status_code))
    if name in LISTS and exception is None:
        with _lock:
            OUT["list_ms"][LISTS[name]].append(kwargs["response_time"])


# The operator's jobs (escalation by hand, the billing wizard, the crons they
# make due) run first, from 10 % of the run until they are done; then the
# pages and the agents' list are measured apart ("steady", never before 40 %
# of the run) under the steady load of visitors, customers and agents: the
# load a plain database gets too. A comparison has no operator; it is
# measured from its third turn on.
STARTED = [time.monotonic()]
OPERATOR_DONE = [False]


@events.test_start.add_listener
def _started(**kwargs):
    STARTED[0] = time.monotonic()


def turn():
    """The index of the turn the run is in: a tenth of its duration each."""
    return int((time.monotonic() - STARTED[0]) * TURNS / WORLD["duration"])


def steady(name):
    """``name``, told apart once the operator and the jobs it started are
    done, and not before 40 % of the run; in a comparison, from its third
    turn of ten on (the first two see the users log in to both databases)."""
    start = 2 / TURNS if len(SIDES) > 1 else 0.4
    if time.monotonic() < STARTED[0] + WORLD["duration"] * start or not (
        OPERATOR_DONE[0] or WORLD["plain"] or not WORLD.get("operator", True)
    ):
        return name
    return f"{name}, steady"


@events.test_stop.add_listener
def _write_out(**kwargs):
    with open(os.environ["LOAD_OUT"], "w") as out:
        json.dump(OUT, out, default=str)


class RpcError(Exception):
    pass


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = TIMEOUT
        return connection


class Odoo:
    """Calls to one server of a database (``world``) in one session (cookies)
    of locust's HTTP client; the names of its requests end with ``suffix``."""

    def __init__(self, client, world=WORLD, suffix=""):
        self.client = client
        self.world = world
        self.suffix = suffix
        self.context = {}

    def get(self, path, name):
        return self.client.get(path, name=name + self.suffix, timeout=TIMEOUT)

    def rpc(self, route, params, name, accept=()):
        """A JSON-RPC call: an answer carrying an error fails, unless its
        message contains one of ``accept``."""
        body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        with self.client.post(
            route,
            json=body,
            name=name + self.suffix,
            catch_response=True,
            timeout=TIMEOUT,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                raise RpcError(name)
            error = r.json().get("error")
            if error:
                message = error.get("data", {}).get("message") or str(error)
                if any(text in message for text in accept):
                    r.success()
                    return None
                r.failure(message[:200])
                raise RpcError(message)
            return r.json()["result"]

    def call(self, model, method, args, kwargs=None, name=None, accept=()):
        kwargs = {"context": self.context, **(kwargs or {})}
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
            name or f"RPC {model}.{method}",
            accept,
        )

    def login(self, who):
        result = self.rpc(
            "/web/session/authenticate",
            {
                "db": self.world["db"],
                "login": who["login"],
                "password": who["password"],
            },
            "login",
        )
        self.context = result["user_context"]
        return self


class OdooUser(HttpUser):
    """A user of each database under load, in a session of its own on one of
    its servers (picked at random, as a proxy would); it acts on the database
    whose turn it is."""

    abstract = True
    host = HOSTS[0]

    def on_start(self):
        self.sides = []
        for world in SIDES:
            client = self.client
            if self.sides:
                client = HttpSession(
                    base_url=world["hosts"][0],
                    request_event=self.environment.events.request,
                    user=self,
                )
            client.base_url = random.choice(world["hosts"])
            side = Odoo(client, world, suffix(world))
            self.sides.append(side)
            self.arrive(side)

    def arrive(self, side):
        """What the user does first on each database."""

    @property
    def side(self):
        return self.sides[turn() % len(self.sides)]


class Visitor(OdooUser):
    """An anonymous visitor of the website."""

    weight = 8
    wait_time = between(0.5, 2)

    @task
    def shop(self):
        self.side.get("/shop", steady("GET /shop"))

    # On the plain database, /support and the snippet page are pages with
    # Odoo's static comparison block, for the same load.
    @task
    def support(self):
        self.side.get("/support", steady("GET /support"))

    @task
    def snippet_page(self):
        side = self.side
        side.get(side.world["snippet_url"], steady("GET page with snippet"))
        if side.world["plain"]:
            return
        # The page holds the snippet's frame; the browser then asks for the
        # table, as the snippet's public widget does.
        side.rpc(
            "/support/table",
            {"period": "yearly", "hidden_rows": [], "recommended": None},
            steady("POST /support/table (snippet data)"),
        )


class PortalCustomer(OdooUser):
    """A customer logged in to the portal."""

    weight = 5
    wait_time = between(2, 5)

    def arrive(self, side):
        side.login(random.choice(side.world["customers"]))

    @task
    def my_support(self):
        side = self.side
        if side.world["plain"]:  # no "My support" without the addon: the portal
            side.get("/my", "GET /my (plain)")
        else:
            side.get("/my/support", "GET /my/support")

    @task
    def my_tickets(self):
        self.side.get("/my/tickets", "GET /my/tickets")


# Fields a widget of the views reads beside its own (its fieldDependencies):
# mint_support_contract/static/src/sla_deadline_field/sla_deadline_field.js.
WIDGET_FIELDS = {
    "sla_deadline": (
        "sla_state",
        "sla_outcome",
        "sla_risk_date",
        "sla_first_response_date",
    ),
}


def view_specification(arch, fields):
    """The fields the web client reads for a view: each field of the arch
    and those its widgets need, relational ones with their display name."""
    spec = {}
    for node in ET.fromstring(arch).iter("field"):
        for name in (node.get("name"), *WIDGET_FIELDS.get(node.get("widget"), ())):
            if name not in fields or name in spec:
                continue
            if fields[name]["type"] in ("many2one", "many2many", "one2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
    return spec


class Agent(OdooUser):
    """A helpdesk agent in the web client: the ticket list, a ticket, an
    answer in the chatter."""

    weight = 6
    wait_time = between(1, 4)

    def arrive(self, side):
        side.login(random.choice(side.world["agents"]))
        views = side.call(
            "helpdesk.ticket",
            "get_views",
            [[[False, "list"], [False, "form"]]],
            {"options": {}},
            name="RPC ticket views",
        )
        fields = views["models"]["helpdesk.ticket"]["fields"]
        arch = views["views"]["list"]["arch"]
        side.list_spec = view_specification(arch, fields)
        side.list_order = ET.fromstring(arch).get("default_order") or ""
        side.form_spec = view_specification(views["views"]["form"]["arch"], fields)
        side.tickets = []

    @task(3)
    def ticket_list(self, side=None):
        # The list as the Helpdesk menu opens it (and as the breadcrumb back
        # from a ticket reloads it): open tickets, in the view's default
        # order.
        side = side or self.side
        result = side.call(
            "helpdesk.ticket",
            "web_search_read",
            [],
            {
                "domain": [["stage_id.closed", "=", False]],
                "specification": side.list_spec,
                "order": side.list_order,
                "offset": 0,
                "limit": 80,
            },
            name=steady("RPC ticket list"),
        )
        side.tickets = [row["id"] for row in result["records"]]

    @task(2)
    def ticket_open(self):
        side = self.side
        if side.tickets:
            side.call(
                "helpdesk.ticket",
                "web_read",
                [[random.choice(side.tickets)]],
                {"specification": side.form_spec},
                name="RPC ticket open",
            )
            self.ticket_list(side)  # back to the list

    @task(1)
    def answer(self):
        # Answers go to the tickets set aside for them (some get several).
        side = self.side
        ticket = random.choice(side.world["answer_tickets"])
        side.rpc(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": ticket,
                "post_data": {
                    "body": "We are looking into it.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "partner_ids": [],
                },
                "context": side.context,
            },
            "POST /mail/message/post (answer)",
        )
        record("answered", ticket)
        self.ticket_list(side)  # back to the list


class Integration(OdooUser):
    """Tickets arriving: created over JSON-RPC by an integration user, and
    through the mail gateway. (In a comparison, the tickets of both databases
    are recorded as created: not checked.)"""

    weight = 2
    wait_time = between(2, 6)

    def arrive(self, side):
        side.login(side.world["integration"])

    @task
    def create_by_rpc(self):
        side = self.side
        customer = random.choice(side.world["customers"])
        ticket = side.call(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": f"{MARK} RPC question",
                    "description": "<p>Our invoices do not print.</p>",
                    "partner_id": customer["partner_id"],
                    "team_id": side.world["team_id"],
                }
            ],
            name="RPC ticket create",
        )
        record("created", ticket)

    @task
    def create_by_mail(self):
        side = self.side
        customer = random.choice(side.world["customers"])
        mail = (
            f"From: {customer['name']} <{customer['email']}>\r\n"
            "To: support@example.com\r\n"
            f"Subject: {MARK} mail question {next(_mails)}\r\n"
            f"Message-Id: <load-{uuid.uuid4().hex}@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "The report does not open.\r\n"
        )
        admin = side.world["admin"]
        start = time.perf_counter()
        exception, ticket = None, None
        try:
            proxy = xmlrpc.client.ServerProxy(
                f"{side.client.base_url}/xmlrpc/2/object", transport=TimeoutTransport()
            )
            ticket = proxy.execute_kw(
                side.world["db"],
                admin["uid"],
                admin["password"],
                "mail.thread",
                "message_process",
                ["helpdesk.ticket", mail],
            )
        except Exception as error:
            exception = error
            if "500" in str(error):
                record("server_errors", ("mail gateway ticket", 500))
        self.environment.events.request.fire(
            request_type="XML-RPC",
            name="mail gateway ticket" + side.suffix,
            response_time=(time.perf_counter() - start) * 1000,
            response_length=0,
            exception=exception,
            context={},
            response=None,
        )
        if ticket:
            record("created", ticket)


class Operator(OdooUser):
    """The administrator and the accountant, once per run: the crons and the
    billing during the load, and the checks across servers."""

    fixed_count = 1
    wait_time = between(1, 1)
    # Another server (or its cron worker) is running the same job.
    ALREADY = ("currently being executed", "cannot be modified right now")

    def on_start(self):
        self.started = time.monotonic()
        self.sessions = {}

    def on(self, host, who):
        """``who`` logged in on ``host``, in a session of its own."""
        key = (host, who["login"])
        if key not in self.sessions:
            client = HttpSession(
                base_url=host, request_event=self.environment.events.request, user=self
            )
            self.sessions[key] = Odoo(client).login(who)
        return self.sessions[key]

    def wait_until(self, share):
        left = self.started + share * WORLD["duration"] - time.monotonic()
        if left > 0:
            time.sleep(left)

    def in_parallel(self, action):
        """``action`` on every server at the same moment."""
        gevent.joinall([gevent.spawn(action, host) for host in HOSTS])

    def escalate_by_hand(self, host):
        started = utcnow()
        done = self.on(host, WORLD["admin"]).call(
            "ir.cron",
            "method_direct_trigger",
            [[WORLD["escalation_cron_id"]]],
            name="cron: escalation run by hand",
            accept=self.ALREADY,
        )
        if done:
            record("escalations", started.isoformat())

    def bill(self, host):
        odoo = self.on(host, WORLD["accountant"])
        wizard = odoo.call(
            "support.billing.run",
            "create",
            [{"month": WORLD["last_month"]}],
            name="billing: open the wizard",
        )
        odoo.call(
            "support.billing.run",
            "action_run",
            [[wizard]],
            name="billing: run",
        )

    CRONS = ("escalation_cron_id", "billing_cron_id")

    def crons_due_now(self, host):
        """What an admin does to have the cron workers run the jobs now (the
        servers run with ODOO_NOTIFY_CRON_CHANGES: the write wakes them)."""
        self.due_at = utcnow().strftime("%Y-%m-%d %H:%M:%S")
        self.on(host, WORLD["admin"]).call(
            "ir.cron",
            "write",
            [[WORLD[key] for key in self.CRONS], {"nextcall": self.due_at}],
            name="cron: make due now",
            accept=self.ALREADY,
        )

    def wait_for_crons(self, host, timeout=60):
        """Until the cron workers have run the jobs made due."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            crons = self.on(host, WORLD["admin"]).call(
                "ir.cron",
                "web_read",
                [[WORLD[key] for key in self.CRONS]],
                {"specification": {"lastcall": {}}},
                name="cron: read last run",
            )
            if all((c["lastcall"] or "") >= self.due_at for c in crons):
                return
            time.sleep(1)

    def price_change_seen_elsewhere(self):
        """Visitors of the other server see a new price at once: its
        workers' cached tables are filled first."""
        first, other = HOSTS[0], HOSTS[-1]
        visitor = HttpSession(
            base_url=other, request_event=self.environment.events.request, user=self
        )

        def pages():
            return [
                visitor.get("/support?period=monthly", name="GET /support").text
                for _i in range(8)
            ]

        pages()
        price = round(random.uniform(81, 99), 2)
        self.on(first, WORLD["admin"]).call(
            "product.template",
            "write",
            [[WORLD["price_product_id"]], {"list_price": price}],
            name="admin: change a tier's price",
        )
        shown = f"{price:,.2f}".replace(",", "'")
        seen = sum(shown in page for page in pages())
        record(
            "checks",
            [
                "a price changed on one server shows on the other at once",
                seen == 8,
                f"{price:.2f} set on {first}: {seen} of 8 pages on {other} show it",
            ],
        )

    def holiday_seen_elsewhere(self):
        first, other = HOSTS[0], HOSTS[-1]
        ticket = WORLD["watched_ticket"]

        def deadline():
            return self.on(other, WORLD["admin"]).call(
                "helpdesk.ticket",
                "web_read",
                [[ticket]],
                {"specification": {"sla_deadline": {}}},
                name="admin: read a deadline",
            )[0]["sla_deadline"]

        before = deadline()
        # Closed from now to the deadline: the working time left moves it.
        start = utcnow().replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")
        self.on(first, WORLD["admin"]).call(
            "resource.calendar.leaves",
            "create",
            [
                {
                    "name": "Load test holiday",
                    "calendar_id": WORLD["calendar_id"],
                    "date_from": start,
                    "date_to": before,
                }
            ],
            name="admin: add a public holiday",
        )
        after = deadline()
        record(
            "checks",
            [
                "a holiday added on one server moves deadlines seen on the other",
                bool(before and after and after > before),
                f"ticket {ticket}: deadline {before} -> {after}",
            ],
        )

    @task
    def operate(self):
        if not WORLD["plain"] and WORLD.get("operator", True):
            try:
                self.wait_until(0.1)
                self.in_parallel(self.escalate_by_hand)
                self.wait_until(0.2)
                # The billing cron and the wizard on every server at once.
                self.crons_due_now(HOSTS[-1])
                self.in_parallel(self.bill)
                if len(HOSTS) > 1:
                    self.price_change_seen_elsewhere()
                    self.holiday_seen_elsewhere()
                self.wait_for_crons(HOSTS[-1])
            except RpcError:
                pass
        OPERATOR_DONE[0] = True
        raise StopUser()

"""The fault scenario of `make load-faults` (tools/load.py --faults).

1. The server is killed (SIGKILL, every process) while its cron worker runs
   the monthly support billing: no month may be half billed, and the next run
   (the job is still due) bills it completely, each customer once.
2. The same while the cron worker runs the SLA escalation: no ticket may be
   marked notified without its notification or the reverse, and the next run
   notifies every due ticket once.
3. PostgreSQL is restarted during the load: requests fail cleanly (an error
   answer, no hang) while it is down, then succeed again without a restart of
   Odoo.
"""

import threading
import time

import psycopg2
from load import (
    ADDON,
    PG_PORT,
    SLA_TODO,
    Server,
    Verdict,
    check_billing,
    check_escalations,
    environment,
    print_routes,
    restart_cluster,
    run_locust,
    seed,
)


class Cron:
    """One of the addon's jobs, seen from outside Odoo: made due, and
    watched through PostgreSQL (a running job holds the lock of its row)."""

    def __init__(self, db, xmlid):
        self.db = db
        with self.connect() as cnx, cnx.cursor() as cr:
            cr.execute(
                "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
                (ADDON, xmlid),
            )
            self.id = cr.fetchone()[0]

    def connect(self):
        return psycopg2.connect(dbname=self.db, port=PG_PORT)

    def make_due(self):
        """Due now, and the cron workers woken (as Odoo's own trigger does).
        Waits until a cron worker listens: a new one first sleeps a minute."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.listened():
            time.sleep(0.2)
        cnx = self.connect()
        with cnx, cnx.cursor() as cr:
            cr.execute(
                "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' - interval "
                "'1 second' WHERE id = %s RETURNING nextcall",
                (self.id,),
            )
            self.due_at = cr.fetchone()[0]
        cnx.close()
        self.notify()

    def notify(self):
        # Where the cron workers listen, as ir.cron._notifydb does.
        cnx = psycopg2.connect(dbname="postgres", port=PG_PORT)
        with cnx, cnx.cursor() as cr:
            cr.execute("SELECT pg_notify('cron_trigger', %s)", (self.db,))
        cnx.close()

    def listened(self):
        """A cron worker of Odoo listens on a connection to the 'postgres'
        database (the only one a server started with -d opens there)."""
        cnx = psycopg2.connect(dbname="postgres", port=PG_PORT)
        try:
            with cnx, cnx.cursor() as cr:
                cr.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE datname = 'postgres' "
                    "AND application_name LIKE 'odoo-%%' AND state = 'idle'"
                )
                return bool(cr.fetchone())
        finally:
            cnx.close()

    def state(self):
        """'running', 'done' (ran since it was made due) or 'due'."""
        cnx = self.connect()
        try:
            with cnx, cnx.cursor() as cr:
                cr.execute(
                    "SELECT nextcall FROM ir_cron WHERE id = %s "
                    "FOR NO KEY UPDATE SKIP LOCKED",
                    (self.id,),
                )
                row = cr.fetchone()
                if row is None:
                    return "running"
                return "done" if row[0] > self.due_at else "due"
        finally:
            cnx.close()

    def wait_for(self, states, timeout):
        deadline = time.monotonic() + timeout
        notified = time.monotonic()
        while time.monotonic() < deadline:
            state = self.state()
            if state in states:
                return state
            if state == "due" and time.monotonic() - notified > 2:
                self.notify()  # a worker that was not listening yet
                notified = time.monotonic()
            time.sleep(0.2)
        return self.state()


def kill_during(server, cron, check, label):
    """Make ``cron`` due, kill the server while it runs; True when it was
    killed mid-run."""
    cron.make_due()
    state = cron.wait_for(("running", "done"), 120)
    if state != "running":
        return check(f"{label}: the server was killed during the run", False, state)
    time.sleep(1.5)
    still = cron.state()
    server.kill()
    return check(
        f"{label}: the server was killed during the run",
        still == "running" and cron.wait_for(("due",), 30) == "due",
        "killed while it ran; the job is still due",
    )


def half_billed(env, world):
    """What a killed billing run may have left of last month: billings,
    their invoices, billed entries."""
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM support_billing WHERE month = %s", (world["last_month"],)
    )
    billings = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM account_move WHERE support_billing_id IS NOT NULL")
    moves = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM account_analytic_line "
        "WHERE support_billing_id IS NOT NULL"
    )
    return billings, moves, cr.fetchone()[0]


def half_notified(env, world):
    """What a killed escalation may have left on the load team's tickets:
    tickets marked notified, SLA activities."""
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM helpdesk_ticket WHERE team_id = %s "
        "AND sla_notified_state IS NOT NULL",
        (world["team_id"],),
    )
    marked = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM mail_activity a "
        "JOIN helpdesk_ticket t ON t.id = a.res_id "
        "WHERE a.res_model = 'helpdesk.ticket' AND a.activity_type_id = %s "
        "AND t.team_id = %s",
        (
            env.ref(SLA_TODO).id,
            world["team_id"],
        ),
    )
    return marked, cr.fetchone()[0]


def scenario_faults(machine, args):
    check = Verdict()
    db = "mintload_faults"
    machine.new_database(db, ADDON)
    with environment(machine, db) as env:
        # Enough work for the jobs to run for several seconds.
        world = seed(env, plain=False, customers=120, tickets=1500)
        env.cr.commit()

    print("\n1. the server killed during the monthly billing")
    server = Server(machine, db, args.port)
    billing = Cron(db, "ir_cron_support_billing")
    if kill_during(server, billing, check, "billing"):
        with environment(machine, db) as env:
            billings, moves, lines = half_billed(env, world)
        check(
            "nothing of the killed run was kept (no half-billed month)",
            billings == moves == lines == 0,
            f"{billings} billings, {moves} invoices, {lines} billed entries",
        )
    server.start()
    billing.make_due()  # still due: this only wakes the new cron worker
    check(
        "the next run billed the month",
        billing.wait_for(("done",), 600) == "done",
    )
    with environment(machine, db) as env:
        check_billing(env, world, check)

    print("\n2. the server killed during the SLA escalation")
    escalation = Cron(db, "ir_cron_sla_escalate")
    if kill_during(server, escalation, check, "escalation"):
        with environment(machine, db) as env:
            marked, activities = half_notified(env, world)
        check(
            "nothing of the killed run was kept (no notification lost or half made)",
            marked == activities == 0,
            f"{marked} tickets marked notified, {activities} notifications",
        )
    server.start()
    escalation.make_due()
    check(
        "the next run escalated",
        escalation.wait_for(("done",), 600) == "done",
    )
    with environment(machine, db) as env:
        check_escalations(env, world, escalation.due_at, check)

    print("\n3. PostgreSQL restarted during the load")
    server.warm_up(["/web/login", "/shop", "/support"])
    pid = server.process.pid
    restart = {}

    def restart_database():
        time.sleep(args.time * 0.3)
        restart["start"] = time.time()
        restart_cluster()
        restart["end"] = time.time()

    thread = threading.Thread(target=restart_database)
    thread.start()
    rows, _done, history = run_locust(
        machine,
        {**world, "operator": False},
        [server],
        args.time,
        args.users,
        "faults",
        history=True,
    )
    thread.join()
    alive = server.process.poll() is None and server.process.pid == pid
    server.stop()
    print_routes("load while PostgreSQL restarted", rows)
    print()
    failed_at = []
    previous = 0
    for row in history:
        total = int(row["Total Failure Count"])
        if total > previous:
            failed_at.append(float(row["Timestamp"]))
        previous = total
    requests_after = [
        int(row["Total Request Count"])
        for row in history
        if float(row["Timestamp"]) > restart["end"] + 15
    ]
    check(
        "PostgreSQL was restarted during the load",
        bool(restart),
        f"down for {restart['end'] - restart['start']:.1f} s" if restart else "",
    )
    last_failure = max(failed_at) - restart["end"] if failed_at else None
    check(
        "requests failed only around the restart",
        all(restart["start"] - 2 <= t <= restart["end"] + 15 for t in failed_at),
        f"{previous} failed requests"
        + (
            f", the last {last_failure:.1f} s after PostgreSQL was back"
            if failed_at
            else ""
        ),
    )
    check(
        "requests succeeded again afterwards",
        len(requests_after) > 1 and requests_after[-1] > requests_after[0],
        f"{requests_after[-1] - requests_after[0]} requests in the last "
        f"{len(requests_after)} s"
        if requests_after
        else "",
    )
    check("the same Odoo server served throughout (no restart)", alive)
    timeouts = [
        name
        for name, row in rows.items()
        if float(row.get("Max Response Time") or 0) > 60_000
    ]
    check("no request hung (all answered within 60 s)", not timeouts, str(timeouts))
    return check

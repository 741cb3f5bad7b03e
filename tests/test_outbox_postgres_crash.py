"""PostgreSQL crashes in the middle of a batch under a real Celery worker: a backend is
SIGKILLed, so the server throws away its shared memory and goes through crash recovery. The
database is the one `make run` starts (scripts/services.sh in a checkout of the test's own):
every message arrives exactly once, because a commit PostgreSQL acknowledged ("sent") is
still there after recovery."""

import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from contextlib import closing

import psycopg2
import pytest

from momcircle.outbox.tasks import dispatch_due
from tests.private_checkout import ROOT, PrivateCheckout
from tests.smtp_sink import gated_sink
from tests.workers import dispatch_until_all_sent, start_worker, stop, wait_until

pytestmark = pytest.mark.worker
MESSAGES = 60
CRASH_AFTER = 20
SENT = "SELECT count(*) FROM outbox_outboxmessage WHERE status = 'sent'"
OTHER_CLIENTS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
)
SETUP = """
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from momcircle.outbox.tests.bulk import bulk_due_reminders
call_command("migrate", verbosity=0)
bulk_due_reminders(members={members}, meetups=1, due_at=timezone.now())
"""


@pytest.fixture
def run_database():
    """The database `make run` would have, migrated, with MESSAGES reminders due, and its
    server's log."""
    checkout = PrivateCheckout(REDIS_URL=os.environ["REDIS_URL"])
    try:
        url = checkout.start()["DATABASE_URL"]
        subprocess.run(
            [sys.executable, "-c", SETUP.format(members=MESSAGES)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "momcircle.settings"},
            check=True,
            timeout=120,
        )
        yield url, checkout.root / ".services" / "postgres" / "server.log"
    finally:
        checkout.remove()


@pytest.fixture
def mail_server():
    with gated_sink(CRASH_AFTER) as sink:
        yield sink


def query(url: str, sql: str) -> list[tuple]:
    with closing(psycopg2.connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def answers(url: str) -> bool:
    try:
        return query(url, "SELECT 1") == [(1,)]
    except psycopg2.OperationalError:  # "the database system is in recovery mode"
        return False


def test_a_postgresql_crash_in_the_middle_of_a_batch_sends_each_message_once(
    run_database, mail_server
):
    url, server_log = run_database
    queue = f"test-{uuid.uuid4().hex}"
    worker = start_worker(queue, DATABASE_URL=url, EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}")
    try:
        with closing(psycopg2.connect(url)) as probe, probe.cursor() as cursor:
            dispatch_due.apply_async(queue=queue)
            assert mail_server.inbox.caught.wait(timeout=60), "timed out waiting until mid-batch"
            cursor.execute(OTHER_CLIENTS)
            [(backend,)] = cursor.fetchall()  # the worker's
            os.kill(backend, signal.SIGKILL)
        # The server may answer once more before its postmaster has reaped the killed backend.
        wait_until(
            lambda: "all server processes terminated; reinitializing" in server_log.read_text(),
            timeout=30,
            what="the server starts crash recovery",
        )
        wait_until(lambda: answers(url), timeout=30, what="crash recovery is over")
        mail_server.inbox.released.set()
        dispatch_until_all_sent(
            queue,
            sent=lambda: query(url, SENT)[0][0],
            expected=MESSAGES,
            inbox=mail_server.inbox,
            timeout=60,
        )
    finally:
        stop(worker)
    deliveries = mail_server.inbox.deliveries()
    assert len(deliveries) == MESSAGES
    assert Counter(deliveries.values()) == {1: MESSAGES}, "how many arrived how often"

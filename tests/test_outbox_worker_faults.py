"""Outbox delivery through real Celery processes while parts fail: the broker goes away
(and comes back empty), the mail server is down, two workers dispatch at the same moment, one
message in the batch cannot be built. Every reminder arrives exactly once, counted at the mail
server."""

import time
import uuid
from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from momcircle.celery import ping
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import MAX_ATTEMPTS
from momcircle.outbox.tasks import dispatch_due
from momcircle.outbox.tests.bulk import UNBUILDABLE_ADDRESS, bulk_due_reminders, poisoned_reminder
from tests.smtp_sink import Inbox, SmtpSink
from tests.workers import PrivateRedis, outbox_worker, start_beat, stop, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = OutboxMessage.Status
OUTAGE_SECONDS = 3


def assert_each_arrived_once(inbox: Inbox, expected: int) -> None:
    deliveries = inbox.deliveries()
    assert len(deliveries) == expected
    assert set(deliveries.values()) == {1}
    assert all(subject.startswith("Reminder: ") for _, subject in deliveries)


# How long a real process may take to start, or a batch to go out, on a busy machine: waiting
# limits, not figures the tests check (bench/reminders.py measures speed).
STARTUP_SECONDS = 120
BATCH_SECONDS = 120


def dispatch_and_wait(queue: str, timeout: float = STARTUP_SECONDS) -> None:
    """Queue a dispatch, then a ping behind it: the one worker on `queue` runs them in order,
    so the pong means the dispatch is over."""
    dispatch_due.apply_async(queue=queue)
    assert ping.apply_async(queue=queue).get(timeout=timeout) == "pong"


def test_reminders_due_while_redis_is_down_go_out_once_it_is_back(tmp_path, smtp_sink):
    broker = PrivateRedis(tmp_path)
    broker.start()
    first, *rest = bulk_due_reminders(
        members=20, meetups=3, due_at=timezone.now() + timedelta(days=1)
    )
    OutboxMessage.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    env = {"REDIS_URL": broker.url, "OUTBOX_DISPATCH_SECONDS": "1"}
    # Celery's default queue, where beat sends: this Redis is the test's alone.
    processes = [outbox_worker("celery", smtp_sink.port, **env), start_beat(tmp_path, **env)]
    try:
        wait_until(
            lambda: len(smtp_sink.inbox.messages) == 1,
            timeout=STARTUP_SECONDS,
            what="beat and the worker send the first reminder",
        )
        broker.stop()
        OutboxMessage.objects.filter(pk__in=[m.pk for m in rest]).update(
            next_attempt_at=timezone.now()
        )
        time.sleep(OUTAGE_SECONDS)  # the outage itself: beat keeps ticking, and failing
        broker.start()
        wait_until(
            lambda: OutboxMessage.objects.filter(status=Status.SENT).count() == 1 + len(rest),
            timeout=BATCH_SECONDS,
            what="all are sent after the broker is back",
        )
    finally:
        for process in processes:
            stop(process)
        broker.stop()
    assert_each_arrived_once(smtp_sink.inbox, 1 + len(rest))


def test_with_the_mail_server_down_the_worker_retries_later_and_sends_once(smtp_sink):
    bulk_due_reminders(members=10, meetups=3, due_at=timezone.now())
    smtp_sink.stop()
    queue = f"test-{uuid.uuid4().hex}"
    worker = outbox_worker(queue, smtp_sink.port)
    try:
        dispatch_and_wait(queue)
        waiting = OutboxMessage.objects.filter(
            status=Status.PENDING,
            attempts=1,
            next_attempt_at__gt=timezone.now(),
            last_error__startswith="Could not reach the mail server",
        )
        assert waiting.count() == 30

        smtp_sink.start()
        dispatch_and_wait(queue)
        assert smtp_sink.inbox.messages == [], "sent before the backoff was over"

        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        dispatch_and_wait(queue)
    finally:
        stop(worker)
    assert OutboxMessage.objects.filter(status=Status.SENT, attempts=1).count() == 30
    assert_each_arrived_once(smtp_sink.inbox, 30)


class SessionsInbox(Inbox):
    """Also notes when each SMTP session delivered, to tell whether two ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.times: dict[tuple, list[float]] = {}

    async def handle_DATA(self, server, session, envelope):
        self.times.setdefault(session.peer, []).append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)

    def sessions_overlapped(self) -> bool:
        spans = sorted((min(times), max(times)) for times in self.times.values())
        return any(later[0] < earlier[1] for earlier, later in pairwise(spans))


@pytest.fixture
def sessions_sink():
    sink = SmtpSink(SessionsInbox())
    sink.start()
    yield sink
    sink.stop()


def test_two_workers_dispatching_at_the_same_moment_send_each_message_once(sessions_sink):
    bulk_due_reminders(members=100, meetups=3, due_at=timezone.now())
    queues = [f"test-{uuid.uuid4().hex}" for _ in range(2)]
    workers = [outbox_worker(queue, sessions_sink.port) for queue in queues]
    try:
        for queue in queues:  # both workers are up and waiting
            assert ping.apply_async(queue=queue).get(timeout=STARTUP_SECONDS) == "pong"
        for queue in queues:
            dispatch_due.apply_async(queue=queue)
        wait_until(
            lambda: OutboxMessage.objects.filter(status=Status.SENT).count() == 300,
            timeout=BATCH_SECONDS,
            what="all are sent",
        )
    finally:
        for worker in workers:
            stop(worker)
    assert sessions_sink.inbox.sessions_overlapped()
    assert_each_arrived_once(sessions_sink.inbox, 300)


def test_one_message_that_cannot_be_built_holds_up_none_of_the_other_299(smtp_sink):
    now = timezone.now()
    poisoned = poisoned_reminder(due_at=now)  # first in line
    bulk_due_reminders(members=299, meetups=1, due_at=now)
    poisoned_row = OutboxMessage.objects.filter(pk=poisoned.pk)
    queue = f"test-{uuid.uuid4().hex}"
    worker = outbox_worker(queue, smtp_sink.port)
    try:
        assert ping.apply_async(queue=queue).get(timeout=STARTUP_SECONDS) == "pong"  # it is up
        dispatch_and_wait(queue, timeout=BATCH_SECONDS)  # 300 messages
        assert OutboxMessage.objects.filter(status=Status.SENT).count() == 299
        assert_each_arrived_once(smtp_sink.inbox, 299)
        row = poisoned_row.get()
        assert row.status == Status.PENDING
        assert row.next_attempt_at > timezone.now()
        assert row.last_error.startswith("Could not build the email:")

        # Due again each time its backoff is over (a dispatch slower than the first backoff,
        # a minute, has tried it again already).
        while row.status != Status.FAILED:
            poisoned_row.update(next_attempt_at=timezone.now())
            dispatch_and_wait(queue)
            tried, row = row.attempts, poisoned_row.get()
            assert row.attempts == tried + 1
            assert row.attempts <= MAX_ATTEMPTS, "tried again after the last attempt"
    finally:
        stop(worker)
    assert row.attempts == MAX_ATTEMPTS
    assert repr(UNBUILDABLE_ADDRESS) in row.last_error
    assert_each_arrived_once(smtp_sink.inbox, 299)

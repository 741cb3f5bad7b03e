"""A real Celery worker delivering due reminders is killed (SIGKILL) in the middle of a
batch and started again: every reminder arrives exactly once."""

import asyncio
import collections
import signal
import threading
import time
import uuid

import pytest
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.tasks import dispatch_due
from momcircle.outbox.tests.bulk import bulk_due_reminders
from tests.smtp_sink import Inbox, SmtpSink
from tests.workers import outbox_worker, stop, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
REMINDERS = 300
KILL_AFTER = 40


class GatedInbox(Inbox):
    """A mail server that, once KILL_AFTER messages are in, keeps the next replies waiting
    until released: the worker is caught mid-batch, blocked on the server, when it is killed.

    A kill at a random instant could also land inside the commit that marks a message sent,
    just before its final "." (delivery.py): that message would be lost. This test pins the
    kill to a moment outside that window, so it checks recovery, not luck."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        # Kept first, then the wait: like a real server, what has its final "." is kept
        # even if the client goes away before the reply.
        reply = await super().handle_DATA(server, session, envelope)
        while len(self.messages) >= KILL_AFTER and not self.released.is_set():
            await asyncio.sleep(0.01)
        return reply


@pytest.fixture
def slow_sink():
    sink = SmtpSink()
    sink.inbox = GatedInbox()
    sink.start()
    yield sink
    sink.inbox.released.set()
    sink.stop()


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(slow_sink):
    bulk_due_reminders(members=REMINDERS, meetups=1, due_at=timezone.now())
    queue = f"test-{uuid.uuid4().hex}"
    worker = outbox_worker(queue, slow_sink.port)
    try:
        dispatch_due.apply_async(queue=queue)
        wait_until(
            lambda: len(slow_sink.inbox.messages) >= KILL_AFTER, timeout=60, what="mid-batch"
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert len(slow_sink.inbox.messages) == KILL_AFTER
        slow_sink.inbox.released.set()

        worker = outbox_worker(queue, slow_sink.port)
        sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT)

        def all_sent() -> bool:
            if sent.count() == REMINDERS:
                return True
            dispatch_due.apply_async(queue=queue)
            time.sleep(1)
            return False

        wait_until(all_sent, timeout=120, what="all are sent")
        wait_until(
            lambda: len(slow_sink.inbox.messages) >= REMINDERS, timeout=10, what="all arrived"
        )
    finally:
        stop(worker)
    per_recipient = collections.Counter(mail["To"] for mail in slow_sink.inbox.messages)
    assert len(per_recipient) == REMINDERS
    assert set(per_recipient.values()) == {1}
    assert all(
        mail["Subject"].strip().startswith("Reminder: ") for mail in slow_sink.inbox.messages
    )

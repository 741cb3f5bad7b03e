"""A real Celery worker delivering due reminders is killed (SIGKILL) in the middle of a
batch and started again: every reminder arrives exactly once."""

import asyncio
import collections
import os
import signal
import subprocess
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import outbox_enqueue
from momcircle.outbox.tasks import dispatch_due
from scheduling.models import Rsvp
from scheduling.notices import occurrence_of
from scheduling.tests.factories import MeetupFactory
from tests.factories import ProfileFactory
from tests.smtp_sink import Inbox, SmtpSink
from tests.workers import start_worker

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


def worker_for(queue: str, sink_port: int) -> subprocess.Popen:
    """A worker on the test database, sending to the sink."""
    url = urlsplit(os.environ["DATABASE_URL"])
    test_database = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return start_worker(
        queue, DATABASE_URL=test_database, EMAIL_URL=f"smtp://127.0.0.1:{sink_port}"
    )


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def due_reminders(count: int) -> None:
    meetup = MeetupFactory()
    for profile in ProfileFactory.create_batch(count, reminder_timing="hours_before"):
        Rsvp.objects.create(meetup=meetup, member=profile.user, response="going")
        outbox_enqueue(
            recipient=profile.user,
            kind="reminder_hours",
            meetup=meetup,
            due_at=timezone.now(),
            occurrence=occurrence_of("reminder_hours", meetup.starts_at),
        )


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(slow_sink):
    due_reminders(REMINDERS)
    queue = f"test-{uuid.uuid4().hex}"
    worker = worker_for(queue, slow_sink.port)
    try:
        dispatch_due.apply_async(queue=queue)
        wait_for(lambda: len(slow_sink.inbox.messages) >= KILL_AFTER)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert len(slow_sink.inbox.messages) == KILL_AFTER
        slow_sink.inbox.released.set()

        worker = worker_for(queue, slow_sink.port)
        sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT)

        def all_sent() -> bool:
            if sent.count() == REMINDERS:
                return True
            dispatch_due.apply_async(queue=queue)
            time.sleep(1)
            return False

        wait_for(all_sent, timeout=120)
        wait_for(lambda: len(slow_sink.inbox.messages) >= REMINDERS, timeout=10)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    per_recipient = collections.Counter(mail["To"] for mail in slow_sink.inbox.messages)
    assert len(per_recipient) == REMINDERS
    assert set(per_recipient.values()) == {1}
    assert all(
        mail["Subject"].strip().startswith("Reminder: ") for mail in slow_sink.inbox.messages
    )

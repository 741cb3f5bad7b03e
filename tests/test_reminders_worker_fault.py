"""A real Celery worker delivering due reminders is killed (SIGKILL) in the middle of a
batch and started again: every reminder arrives exactly once."""

import collections
import signal
import uuid

import pytest
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.tasks import dispatch_due
from momcircle.outbox.tests.bulk import bulk_due_reminders
from tests.smtp_sink import gated_sink
from tests.workers import dispatch_until_all_sent, outbox_worker, stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
REMINDERS = 300
KILL_AFTER = 40


@pytest.fixture
def slow_sink():
    with gated_sink(KILL_AFTER) as sink:
        yield sink


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(slow_sink):
    bulk_due_reminders(members=REMINDERS, meetups=1, due_at=timezone.now())
    queue = f"test-{uuid.uuid4().hex}"
    worker = outbox_worker(queue, slow_sink.port)
    try:
        dispatch_due.apply_async(queue=queue)
        assert slow_sink.inbox.caught.wait(timeout=60), "timed out waiting until mid-batch"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert len(slow_sink.inbox.messages) == KILL_AFTER
        slow_sink.inbox.released.set()

        worker = outbox_worker(queue, slow_sink.port)
        dispatch_until_all_sent(
            queue,
            sent=OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count,
            expected=REMINDERS,
            inbox=slow_sink.inbox,
            timeout=120,
        )
    finally:
        stop(worker)
    per_recipient = collections.Counter(mail["To"] for mail in slow_sink.inbox.messages)
    assert len(per_recipient) == REMINDERS
    assert set(per_recipient.values()) == {1}
    assert all(
        mail["Subject"].strip().startswith("Reminder: ") for mail in slow_sink.inbox.messages
    )

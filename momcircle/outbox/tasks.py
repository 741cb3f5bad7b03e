import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from momcircle.outbox.services import outbox_dispatch

log = logging.getLogger(__name__)
BATCH = 100
MAX_BATCHES_PER_RUN = 50


@shared_task(name="outbox.dispatch", ignore_result=True)
def dispatch_due() -> None:
    """Send what is due, batch after batch (beat runs this every minute)."""
    for _ in range(MAX_BATCHES_PER_RUN):
        if outbox_dispatch(limit=BATCH).claimed < BATCH:
            return


def dispatch_soon() -> None:
    """Ask a worker to send now (after a commit). With the broker down the message still
    waits safely in the outbox, and the beat job sends it once the broker is back."""
    try:
        dispatch_due.apply_async(retry=False)
    except OperationalError:
        log.warning("Broker unreachable; the outbox will be dispatched by the next beat run.")

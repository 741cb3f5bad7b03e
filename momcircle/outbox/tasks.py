import logging

from celery import current_app, shared_task
from kombu import pools
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


# A request asks the broker once and waits for it a second at most: connections of a pool of
# their own, as Celery's would try again for seconds (6 s here) before giving up.
ASK_ONCE = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 1}


def dispatch_soon() -> None:
    """Ask a worker to send now (after a commit). With the broker down the message still
    waits safely in the outbox, and the beat job sends it once the broker is back."""
    try:
        asking_once = current_app.connection_for_write(transport_options=ASK_ONCE)
        with pools.connections[asking_once].acquire(block=True) as connection:
            dispatch_due.apply_async(retry=False, connection=connection)
    except OperationalError:
        log.warning("Broker unreachable; the outbox will be dispatched by the next beat run.")

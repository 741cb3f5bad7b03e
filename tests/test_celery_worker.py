import uuid

import pytest

from momcircle.celery import ping
from tests.workers import start_worker

pytestmark = pytest.mark.worker


@pytest.fixture
def worker_queue():
    """A real worker process on the real Redis broker, listening on a queue of its own."""
    queue = f"test-{uuid.uuid4().hex}"
    worker = start_worker(queue)
    yield queue
    worker.terminate()
    worker.wait(timeout=30)


def test_a_real_worker_executes_a_task_sent_through_redis(worker_queue):
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == "pong"

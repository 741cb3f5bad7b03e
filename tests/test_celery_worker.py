import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from momcircle.celery import ping

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_queue():
    """A real worker process on the real Redis broker, listening on a queue of its own."""
    queue = f"test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "momcircle",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    yield queue
    worker.terminate()
    worker.wait(timeout=30)


def test_a_real_worker_executes_a_task_sent_through_redis(worker_queue):
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == "pong"

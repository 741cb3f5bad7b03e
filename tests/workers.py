"""A real Celery worker process for tests, on a queue of its own."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    """`env` overrides the test process's environment (e.g. DATABASE_URL, EMAIL_URL)."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "momcircle", "worker", "--pool=solo",
         "--queues", queue, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip

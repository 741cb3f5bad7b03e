"""Real processes for tests: Celery workers and beat, and a Redis server of the test's own;
and threads doing the same thing at the same moment, each on a database connection of its own."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.db import connection

from momcircle.outbox.tasks import dispatch_due
from tests.smtp_sink import Inbox, free_port

ROOT = Path(__file__).resolve().parent.parent


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    """`env` overrides the test process's environment (e.g. DATABASE_URL, EMAIL_URL). What the
    worker's own tasks queue without naming a queue goes to `queue` too."""
    env.setdefault("CELERY_TASK_DEFAULT_QUEUE", queue)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "momcircle", "--quiet", "worker", "--pool=solo",
         "--queues", queue, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip


def start_beat(schedule_dir: Path, **env: str) -> subprocess.Popen:
    """Beat keeps its schedule file in `schedule_dir`, not in the working tree."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "momcircle", "--quiet", "beat", "--loglevel=WARNING",
         "--schedule", str(schedule_dir / "celerybeat-schedule")],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait(timeout=30)


def worker_database_url() -> str:
    """DATABASE_URL naming the test database, for a process started by the test."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


def outbox_worker(queue: str, sink_port: int, **env: str) -> subprocess.Popen:
    """A worker on the test database, sending email to the sink on loopback."""
    return start_worker(
        queue,
        DATABASE_URL=worker_database_url(),
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        **env,
    )


def at_once(action: Callable[[], object], *, threads: int = 2) -> None:
    """`action` in `threads` threads started together; returns when all are done."""

    def run() -> None:
        try:
            action()
        finally:
            connection.close()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def dispatch_until_all_sent(
    queue: str, *, sent: Callable[[], int], expected: int, inbox: Inbox, timeout: float
) -> None:
    """Queue a dispatch on `queue` every half second until `sent()` rows are `expected`, as
    beat would every minute after a failure, then wait until `inbox` has them all."""

    def all_sent() -> bool:
        if sent() == expected:
            return True
        dispatch_due.apply_async(queue=queue)
        time.sleep(0.5)
        return False

    wait_until(all_sent, timeout=timeout, what="all are sent")
    wait_until(lambda: len(inbox.messages) >= expected, timeout=10, what="all arrived")


class PrivateRedis:
    """A redis-server of the test's own on a free port, keeping nothing on disk: stopped
    and started again on the same port, it comes back empty, as after a crash."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, timeout=10, what=f"redis answers on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def _answers(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_timeout=1) as client:
                return client.ping()
        except redis.ConnectionError:
            return False

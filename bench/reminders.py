"""Benchmark: 10,000 due meetup reminders delivered through the outbox by one real Celery
worker process (solo pool) to an SMTP sink on loopback, against a baseline measured in the
same run: the same messages rendered by the same code and sent over one raw smtplib
connection by one process, with no outbox rows, no claims and no commit per message. Then the
same messages again with two worker processes on the same PostgreSQL and Redis. The CPU each
process (workers, PostgreSQL's, the sink) spent during each run is printed.

Then the same messages go out once more with one that cannot be built first in line (its
recipient's address has a line break in it): the others must go out at the clean run's rate,
and the poisoned one, due again after each backoff, ends up failed.

Run from the repository root with the services up: ``make bench BENCH=reminders``
(``python bench/reminders.py --messages 1000`` for a quick try). It works in a database of
its own, created, migrated and dropped here, on a Celery queue of its own. The last line is
JSON; the exit status is 1 when a message was lost or arrived twice, or the poisoned one is
not the one message failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import multiprocessing
import smtplib
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path
from tempfile import TemporaryDirectory

import psutil
from _django import BENCH_DIR  # first: sets Django up with the bench settings

# isort: split
from aiosmtpd.controller import Controller
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from momcircle.celery import ping
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.registry import RENDERERS
from momcircle.outbox.services import MAX_ATTEMPTS
from momcircle.outbox.tasks import BATCH, MAX_BATCHES_PER_RUN, dispatch_due
from momcircle.outbox.tests.bulk import bulk_due_reminders, poisoned_reminder
from tests.smtp_sink import free_port
from tests.workers import outbox_worker, wait_until

MEETUPS = 4
PROGRESS_SECONDS = 5
TIMEOUT_SECONDS = 1800


def serve_sink(port: int, log: Path) -> None:
    """The mail server, in a process of its own so that it never competes with the sender
    for one interpreter: one line per message received, its recipient and subject."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    parser = BytesHeaderParser(policy=default_policy)

    class Handler:
        def __init__(self) -> None:
            self.out = log.open("a", buffering=1)

        async def handle_DATA(self, server, session, envelope):
            headers = parser.parsebytes(envelope.content)
            subject = " ".join(str(headers["Subject"]).split())
            self.out.write(f"{headers['To']}\t{subject}\n")
            return "250 Message accepted for delivery"

    Controller(Handler(), hostname="127.0.0.1", port=port).start()
    asyncio.run(asyncio.Event().wait())


class Sink:
    def __init__(self, directory: Path, name: str) -> None:
        self.name = name
        self.log = directory / f"{name}.log"
        self.log.touch()
        self.port = free_port()
        self.process = multiprocessing.get_context("fork").Process(
            target=serve_sink, args=(self.port, self.log), daemon=True
        )

    def __enter__(self) -> Sink:
        self.process.start()
        wait_until(self._listening, timeout=10, what="the sink listens")
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.kill()
        self.process.join()

    def _listening(self) -> bool:
        try:
            smtplib.SMTP("127.0.0.1", self.port, timeout=1).quit()
        except OSError:
            return False
        return True

    def received(self) -> int:
        with self.log.open() as lines:
            return sum(1 for _ in lines)

    def deliveries(self) -> Counter[str]:
        return Counter(self.log.read_text().splitlines())


def watch(sink: Sink, expected: int, label: str, done: Callable[[], bool]) -> float:
    """Print progress every few seconds until `done`; returns the seconds it took."""
    started = last_print = time.perf_counter()
    while not done():
        now = time.perf_counter()
        if now - started > TIMEOUT_SECONDS:
            print(f"  {label}: gave up after {TIMEOUT_SECONDS} s", flush=True)
            break
        if now - last_print >= PROGRESS_SECONDS:
            received = sink.received()
            print(
                f"  {label}: {received}/{expected} received, {received / (now - started):.0f}/s",
                flush=True,
            )
            last_print = now
        time.sleep(0.1)
    return time.perf_counter() - started


def baseline(rows: list[OutboxMessage], sink: Sink) -> float:
    """The same messages, rendered and sent one after the other over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for done, row in enumerate(rows, 1):
            email = RENDERERS[row.kind](row)
            body = email.message().as_bytes(linesep="\r\n")
            smtp.sendmail(email.from_email, email.recipients(), body)
            if done % 2000 == 0:
                print(f"  baseline: {done}/{len(rows)} sent", flush=True)
    wait_until(lambda: sink.received() == len(rows), timeout=60, what="the baseline arrived")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    messages = parser.parse_args().messages
    members = math.ceil(messages / MEETUPS)
    messages = members * MEETUPS

    main_database = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{main_database}_bench_reminders"
    print("Creating and migrating the bench database…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        rows = bulk_due_reminders(members=members, meetups=MEETUPS, due_at=timezone.now())
        print(
            f"{messages} due reminders for {members} members going to {MEETUPS} meetups, "
            f"written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        rows = list(
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows])
            .select_related("recipient")
            .order_by("pk")
        )
        with TemporaryDirectory() as directory:
            figures = measure(rows, Path(directory))
    finally:
        connection.creation.destroy_test_db(main_database, verbosity=0)
    print(json.dumps(figures))
    if figures["duplicates"] or figures["missing"] or figures["poison_duplicates"]:
        raise SystemExit(1)
    if figures["poison_lost"] or figures["poison_failed"] != 1:
        raise SystemExit(1)


def measure(rows: list[OutboxMessage], directory: Path) -> dict:
    messages = len(rows)
    print("Baseline: rendering and sending over one raw smtplib connection…", flush=True)
    with Sink(directory, "baseline") as sink:
        baseline_s = baseline(rows, sink)
    baseline_per_s = messages / baseline_s
    print(f"  {messages} in {baseline_s:.1f} s, {baseline_per_s:.0f}/s", flush=True)

    print("Outbox: one Celery worker (solo pool) dispatching…", flush=True)
    vacuumed()
    clean = outbox_run(rows, Sink(directory, "outbox"), "outbox")
    ratio = clean.per_s / baseline_per_s
    print(f"  the outbox worker sends at {ratio:.2f}x the baseline's rate")

    print("Outbox again, the same messages, two worker processes…", flush=True)
    back_in_line()
    two = outbox_run(rows, Sink(directory, "two"), "two workers", workers=2)
    scale_2 = two.per_s / clean.per_s
    print(f"  two workers send at {scale_2:.2f}x one worker's rate")

    print("Outbox again, the same messages and one that cannot be built first in line…")
    back_in_line()
    poisoned = poisoned_reminder(due_at=timezone.now())
    poison = outbox_run(rows, Sink(directory, "poison"), "poison", poisoned=poisoned)
    poison_ratio = poison.per_s / clean.per_s
    print(f"  the others go out at {poison_ratio:.2f}x the clean run's rate")
    return {
        "messages": messages,
        "received": clean.received,
        "duplicates": clean.duplicates + two.duplicates,
        "missing": clean.missing + two.missing,
        "total_s": round(clean.total_s, 2),
        "per_s": round(clean.per_s, 1),
        "baseline_s": round(baseline_s, 2),
        "baseline_per_s": round(baseline_per_s, 1),
        "ratio": round(ratio, 2),
        "per_s_1": round(clean.per_s, 1),
        "total_s_2": round(two.total_s, 2),
        "per_s_2": round(two.per_s, 1),
        "scale_2": round(scale_2, 2),
        "cpu_s_1": clean.cpu_s,
        "cpu_s_2": two.cpu_s,
        "poison_total_s": round(poison.total_s, 2),
        "poison_per_s": round(poison.per_s, 1),
        "poison_ratio": round(poison_ratio, 2),
        "poison_failed": poison.failed,
        "poison_lost": poison.missing,
        "poison_duplicates": poison.duplicates,
    }


def back_in_line() -> None:
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claim_token=None,
        sent_at=None,
    )
    vacuumed()


def vacuumed() -> None:
    """Each run starts from the same table: without this, a later run claims its messages
    past the dead rows of the runs before it (each run rewrites every row three times), and
    is slower for that alone."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {OutboxMessage._meta.db_table}")


class CpuClock:
    """CPU seconds (user + system) the given processes and PostgreSQL's server processes
    spend between `start` and `stop`. PostgreSQL's count is its living processes plus the
    backends the postmaster has reaped (a worker's connection ends with each task), so a
    backend that came and went in between counts too."""

    def __init__(self, processes: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = psutil.Process(cursor.fetchone()[0])
        self.postmaster = backend.parent()
        self.processes = {name: psutil.Process(pid) for name, pid in processes.items()}

    def _now(self) -> dict[str, float]:
        def seconds(process: psutil.Process) -> float:
            times = process.cpu_times()
            return times.user + times.system

        reaped = self.postmaster.cpu_times()
        server = [self.postmaster, *self.postmaster.children()]
        return {
            **{name: seconds(process) for name, process in self.processes.items()},
            "postgresql": sum(map(seconds, server)) + reaped.children_user + reaped.children_system,
        }

    def start(self) -> None:
        self.started = self._now()

    def stop(self) -> dict[str, float]:
        return {name: round(cpu - self.started[name], 1) for name, cpu in self._now().items()}


@dataclass
class Run:
    received: int
    duplicates: int
    missing: int
    total_s: float
    failed: int
    cpu_s: dict[str, float]

    @property
    def per_s(self) -> float:
        return self.received / self.total_s


def outbox_run(
    rows: list[OutboxMessage],
    sink: Sink,
    label: str,
    poisoned: OutboxMessage | None = None,
    workers: int = 1,
) -> Run:
    """`workers` worker processes send `rows` (and `poisoned`, which never arrives); the
    clock stops when every one of `rows` has arrived and is sent. Then `poisoned` comes due
    again after each backoff, until it is marked failed."""
    messages = len(rows)
    queue = f"bench-{uuid.uuid4().hex}"
    sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT)
    with sink:
        started = [
            outbox_worker(queue, sink.port, PYTHONPATH=str(BENCH_DIR)) for _ in range(workers)
        ]
        try:
            # Timed once every worker is up: start-up is not throughput.
            for _ in started:
                ping.apply_async(queue=queue).get(timeout=60)
            clock = CpuClock(
                {
                    **{f"worker {n}": w.pid for n, w in enumerate(started, 1)},
                    "sink": sink.process.pid,
                }
            )
            clock.start()
            runs = math.ceil((messages + 1) / (BATCH * MAX_BATCHES_PER_RUN))
            for _ in range(max(runs, workers)):
                dispatch_due.apply_async(queue=queue)
            total_s = watch(
                sink,
                messages,
                label,
                lambda: sink.received() >= messages and sent.count() == messages,
            )
            cpu_s = clock.stop()
            if poisoned is not None:
                fail(poisoned, queue)
        finally:
            for worker in started:
                worker.terminate()
            for worker in started:
                worker.wait(timeout=60)
        deliveries = sink.deliveries()
    received = sum(deliveries.values())
    statuses = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")))
    print(f"  {received} received ({len(deliveries)} distinct) in {total_s:.1f} s")
    print(f"  outbox rows by status: {statuses}")
    print(f"  CPU seconds over the {total_s:.1f} s: {cpu_s}")
    return Run(
        received=received,
        duplicates=received - len(deliveries),
        missing=messages - len(deliveries),
        total_s=total_s,
        failed=statuses.get(OutboxMessage.Status.FAILED, 0),
        cpu_s=cpu_s,
    )


def fail(poisoned: OutboxMessage, queue: str) -> None:
    """Bring the poisoned message due again after each backoff, as time would."""
    row = OutboxMessage.objects.filter(pk=poisoned.pk)
    while row.get().status != OutboxMessage.Status.FAILED:
        row.update(next_attempt_at=timezone.now())
        dispatch_due.apply_async(queue=queue)
        ping.apply_async(queue=queue).get(timeout=60)
        poisoned = row.get()
        print(f"  the poisoned one: {poisoned.status}, attempt {poisoned.attempts}", flush=True)
        assert poisoned.attempts <= MAX_ATTEMPTS, "retried past the last attempt"
    print(f"  its error: {poisoned.last_error[:120]}")


if __name__ == "__main__":
    main()

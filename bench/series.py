"""Benchmark: circles that keep meeting, at the size of a big city.

The conversation (``bench/_conversation.py``): the meetup page with a 200-message conversation
against the same page with none, served by gunicorn on loopback, on the demo city.

The horizon (``measure_horizon``): 2,000 groups, each with a series (weekly, every 2 weeks or
monthly) and two members in it every time, and none of their occurrences made yet. The beat's
job, ``series_keep_horizon``, makes them all 8 weeks ahead, answers "going" for the members
standing in each, and (after each series' commit, as in production) plans their reminders in
the outbox. The baseline, measured in the same run, writes the same meetups and answers with
two bulk inserts and no rules, locks or reminders. A second run must make nothing.

Run from the repository root with the services up: ``make bench BENCH=series``
(``python bench/series.py --groups 200`` for a quick try). It works in a database of its
own, created, migrated and dropped here. Each measurement is a function returning its
figures; the last line is their JSON. The exit status is 1 when the second run made any
occurrence.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from datetime import time as clock
from datetime import timedelta
from zoneinfo import ZoneInfo

import _django  # noqa: F401  first: sets Django up with the bench settings

# isort: split
from _conversation import conversation_page_figures
from django.db import connection, transaction
from django.utils import timezone

from groups.models import Group, Membership
from momcircle.availability.recurrence import BIWEEKLY, MONTHLY, WEEKLY, monthly_position
from momcircle.profiles.models import Profile, User
from scheduling.models import Meetup, MeetupSeries, Rsvp, StandingAnswer
from scheduling.services import series_keep_horizon
from tests.factories import GroupFactory, ProfileFactory

CHICAGO = ZoneInfo("America/Chicago")
MEMBERS_PER_GROUP = 6  # the organizer and five members
STANDING_PER_SERIES = 2
FREQUENCIES = (WEEKLY, BIWEEKLY, MONTHLY)
PROGRESS_SECONDS = 5
BATCH = 2000


def progress(done: int, total: int, what: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"  {what}: {done}/{total} in {elapsed:.1f} s", flush=True)


def bulk(model, rows: list, what: str) -> list:
    """Inserts in batches, saying how far it got."""
    started, made = time.perf_counter(), []
    for start in range(0, len(rows), BATCH):
        made += model.objects.bulk_create(rows[start : start + BATCH])
        progress(len(made), len(rows), what, started)
    return made


def seed(groups: int) -> list[MeetupSeries]:
    """`groups` groups of MEMBERS_PER_GROUP members, each with a series starting on its
    next weekday (the weekdays and rhythms spread over the groups) and STANDING_PER_SERIES
    members in it every time; no occurrence is made yet."""
    print(f"Seeding {groups} groups with a series each…", flush=True)
    users = bulk(
        User,
        [
            User(email=f"mom{n}@bench.example", password="!")
            for n in range(groups * MEMBERS_PER_GROUP)
        ],
        "members",
    )
    bulk(Profile, [ProfileFactory.build(user=user) for user in users], "profiles")
    made_groups = bulk(
        Group,
        [
            GroupFactory.build(name=f"Bench group {n}", slug=f"bench-group-{n}", size_cap=12)
            for n in range(groups)
        ],
        "groups",
    )
    memberships, series = [], []
    today = timezone.localtime(timezone.now(), CHICAGO).date()
    for n, group in enumerate(made_groups):
        people = users[n * MEMBERS_PER_GROUP : (n + 1) * MEMBERS_PER_GROUP]
        memberships += [
            Membership(
                group=group,
                member=woman,
                role=Membership.Role.ORGANIZER if k == 0 else Membership.Role.MEMBER,
                status=Membership.Status.ACTIVE,
                joined_at=timezone.now(),
            )
            for k, woman in enumerate(people)
        ]
        weekday, frequency = n % 7, FREQUENCIES[n % len(FREQUENCIES)]
        first = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        series.append(
            MeetupSeries(
                group=group,
                frequency=frequency,
                week_of_month=monthly_position(first) if frequency == MONTHLY else None,
                starts_on=first,
                start_time=clock(20, 30 if n % 2 else 0),
                length_minutes=90,
                title="Moms' night out",
                venue_name="Café Lula",
                kid_mode="kid_free",
                capacity=8,
                created_by=people[0],
            )
        )
    bulk(Membership, memberships, "memberships")
    series = bulk(MeetupSeries, series, "series")
    standing = [
        StandingAnswer(series=one, member=woman)
        for n, one in enumerate(series)
        for woman in users[
            n * MEMBERS_PER_GROUP + 1 : n * MEMBERS_PER_GROUP + 1 + STANDING_PER_SERIES
        ]
    ]
    bulk(StandingAnswer, standing, "standing answers")
    return series


def watch(stop: threading.Event, started: float) -> None:
    """Every few seconds, how many occurrences exist so far (a connection of its own)."""
    try:
        while not stop.wait(PROGRESS_SECONDS):
            made = Meetup.objects.filter(series__isnull=False).count()
            elapsed = time.perf_counter() - started
            print(
                f"  horizon: {made} occurrences in {elapsed:.0f} s, {made / elapsed:.0f}/s",
                flush=True,
            )
    finally:
        connection.close()


def baseline(occurrences: list[Meetup]) -> float:
    """The same meetups and "going" answers, bulk-inserted in one transaction without the
    rules (removed again afterwards): what writing the rows alone costs."""
    standing = {}
    for answer in StandingAnswer.objects.order_by("pk"):
        standing.setdefault(answer.series_id, []).append(answer.member_id)
    copies = [
        Meetup(
            group_id=meetup.group_id,
            title=meetup.title,
            starts_at=meetup.starts_at,
            ends_at=meetup.ends_at,
            venue_name=meetup.venue_name,
            kid_mode=meetup.kid_mode,
            capacity=meetup.capacity,
            created_by_id=meetup.created_by_id,
        )
        for meetup in occurrences
    ]
    started = time.perf_counter()
    with transaction.atomic():
        copies = Meetup.objects.bulk_create(copies, batch_size=BATCH)
        Rsvp.objects.bulk_create(
            [
                Rsvp(meetup=copy, member_id=member, response=Rsvp.Response.GOING)
                for copy, meetup in zip(copies, occurrences, strict=True)
                for member in standing.get(meetup.series_id, [])
            ],
            batch_size=BATCH,
        )
    elapsed = time.perf_counter() - started
    Meetup.objects.filter(pk__in=[copy.pk for copy in copies]).delete()
    return elapsed


def measure_horizon(arguments: argparse.Namespace) -> dict:
    """The horizon job over `--groups` groups with a series each, against the baseline."""
    groups = arguments.groups
    started = time.perf_counter()
    series = seed(groups)
    seed_s = time.perf_counter() - started

    print("Horizon job: every series' occurrences 8 weeks ahead, with their answers…", flush=True)
    stop = threading.Event()
    started = time.perf_counter()
    watcher = threading.Thread(target=watch, args=(stop, started), daemon=True)
    watcher.start()
    made = series_keep_horizon()
    horizon_s = time.perf_counter() - started
    stop.set()
    watcher.join()
    occurrences = list(Meetup.objects.filter(series__isnull=False).order_by("pk"))
    answers = Rsvp.objects.filter(
        meetup__series__isnull=False, response=Rsvp.Response.GOING
    ).count()
    print(f"  {made} occurrences and {answers} answers in {horizon_s:.1f} s", flush=True)

    print("Second run: nothing is left to make…", flush=True)
    started = time.perf_counter()
    made_again = series_keep_horizon()
    second_run_s = time.perf_counter() - started
    print(f"  {made_again} made in {second_run_s:.1f} s", flush=True)

    print("Baseline: the same meetups and answers in two bulk inserts…", flush=True)
    baseline_s = baseline(occurrences)
    print(f"  {len(occurrences)} in {baseline_s:.2f} s", flush=True)

    occurrences_per_s = made / horizon_s
    baseline_per_s = len(occurrences) / baseline_s
    return {
        "groups": groups,
        "series": len(series),
        "occurrences": made,
        "answers": answers,
        "seed_s": round(seed_s, 1),
        "horizon_s": round(horizon_s, 2),
        "occurrences_per_s": round(occurrences_per_s, 1),
        "second_run_made": made_again,
        "second_run_s": round(second_run_s, 2),
        "baseline_per_s": round(baseline_per_s, 1),
        "ratio": round(occurrences_per_s / baseline_per_s, 4),
    }


# Each measurement takes the parsed arguments and returns its figures for the JSON line.
MEASUREMENTS = (measure_horizon,)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=2000)
    arguments = parser.parse_args()

    print("The meetup page with a conversation of 200 messages, and with none…", flush=True)
    figures = conversation_page_figures(say=lambda line: print(line, flush=True))

    main_database = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{main_database}_bench_series"
    print("Creating and migrating the bench database…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        for measure in MEASUREMENTS:
            figures |= measure(arguments)
    finally:
        connection.creation.destroy_test_db(main_database, verbosity=0)
    print(json.dumps(figures))
    if figures["second_run_made"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

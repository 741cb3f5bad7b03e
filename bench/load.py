"""Benchmark: 100 demo members using MomCircle at once for two minutes. Each logs in, then
browses groups near her with filters, opens her groups and their meetups, changes her answers
and looks at her week, 1 to 5 seconds apart, against gunicorn (2 workers) on loopback serving
the 20k-member / 2k-group demo city. The same members also open a bare one-query view: the
baseline that every page's median is compared with.

Run from the repository root with the services up: ``make bench BENCH=load``
(``python bench/load.py --users 20 --seconds 20`` for a quick try). The last line is JSON;
the exit status is 1 when any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# Importing browse sets Django up with the bench settings.
from browse import BENCH_DIR, ROOT, percentile, seed_if_needed, start_gunicorn

# isort: split
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.utils import timezone

from groups.forms import BrowseForm
from groups.models import Group, Membership
from momcircle.demo.city import EMAIL_DOMAIN, PASSWORD, metro_zips
from momcircle.profiles.models import KidMode, Profile
from momcircle.ratelimit import RSVP_CHANGES, counter_key
from scheduling.models import Meetup
from tests.smtp_sink import free_port

BASELINE = "baseline"
PROGRESS_SECONDS = 15
# What gunicorn logs of each request: the X-Bench-Page header and the microseconds it took.
ACCESS_LOG_FORMAT = "%({x-bench-page}i)s %(D)s"
# A meetup the members answer must not start during the run (answers close when it starts).
OPEN_FOR_ANSWERS = timedelta(days=1)


def simulated_members(count: int) -> list:
    """The first ``count`` demo members who belong to a group, ready to log in: onboarded,
    their email verified, and the demo password hashed with the bench's fast hasher."""
    members = list(
        get_user_model()
        .objects.filter(
            email__endswith=f"@{EMAIL_DOMAIN}",
            profile__isnull=False,
            memberships__status=Membership.Status.ACTIVE,
            memberships__group__is_archived=False,
        )
        .distinct()
        .order_by("pk")[:count]
    )
    if len(members) < count:
        raise SystemExit(f"Only {len(members)} demo members belong to a group; {count} needed.")
    ids = [member.pk for member in members]
    get_user_model().objects.filter(pk__in=ids).update(password=make_password(PASSWORD))
    Profile.objects.filter(user_id__in=ids, onboarded_at__isnull=True).update(
        onboarded_at=timezone.now()
    )
    EmailAddress.objects.filter(user_id__in=ids).update(verified=True)
    verified = set(EmailAddress.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=member, email=member.email, verified=True, primary=True)
        for member in members
        if member.pk not in verified
    )
    return members


def open_meetups(group_ids):
    return Meetup.objects.filter(
        group_id__in=group_ids, starts_at__gt=timezone.now() + OPEN_FOR_ANSWERS
    ).exclude(status=Meetup.Status.CANCELLED)


def local_moment(now: datetime, zone: str, days: int, hour: int, minute: int) -> datetime:
    day = (now.astimezone(ZoneInfo(zone)) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


def plan_meetups(groups: list[Group]) -> int:
    """Two upcoming meetups, a kid-free evening and a morning with kids, for every group that
    has none open for answers; returns how many were created."""
    group_ids = [group.pk for group in groups]
    planned = set(open_meetups(group_ids).values_list("group_id", flat=True))
    organizers = dict(
        Membership.objects.filter(
            group_id__in=group_ids, role=Membership.Role.ORGANIZER
        ).values_list("group_id", "member_id")
    )
    now = timezone.now()
    meetups = []
    for group in groups:
        if group.pk in planned:
            continue
        evening = local_moment(now, group.time_zone, days=3, hour=20, minute=30)
        morning = local_moment(now, group.time_zone, days=9, hour=9, minute=30)
        meetups += [
            Meetup(
                group=group,
                title="Drinks after bedtime",
                starts_at=evening,
                ends_at=evening + timedelta(hours=2),
                venue_name="The Corner Tap",
                venue_address=f"Near ZIP {group.zip_code}",
                kid_mode=KidMode.KID_FREE,
                created_by_id=organizers.get(group.pk),
            ),
            Meetup(
                group=group,
                title="Playground morning",
                starts_at=morning,
                ends_at=morning + timedelta(hours=2),
                venue_name="The neighborhood playground",
                kid_mode=KidMode.KIDS_ALONG,
                capacity=6,
                created_by_id=organizers.get(group.pk),
            ),
        ]
    Meetup.objects.bulk_create(meetups)
    return len(meetups)


def forget_rsvp_counts(members: list) -> None:
    """Clears the members' RSVP-change counters of the current window, so that one run stays
    within the per-member limit however many ran just before it."""
    cache.delete_many([counter_key(RSVP_CHANGES, member=member) for member in members])


def load_plan(users: int) -> dict:
    """Who logs in, what each member may open and answer, and the browse filters to try."""
    members = simulated_members(users)
    memberships = Membership.objects.filter(
        member__in=members, status=Membership.Status.ACTIVE, group__is_archived=False
    ).select_related("group")
    groups_of = defaultdict(list)
    for membership in memberships:
        groups_of[membership.member_id].append(membership.group)
    groups = list({group.pk: group for mine in groups_of.values() for group in mine}.values())
    created = plan_meetups(groups)
    meetups_of = defaultdict(list)
    for group_id, meetup_id in open_meetups([g.pk for g in groups]).values_list("group", "pk"):
        meetups_of[group_id].append(meetup_id)
    forget_rsvp_counts(members)
    print(
        f"{len(members)} members of {len(groups)} groups with "
        f"{sum(map(len, meetups_of.values()))} upcoming meetups ({created} created now)"
    )
    fields = BrowseForm.base_fields
    return {
        "password": PASSWORD,
        "members": [
            {
                "email": member.email,
                "groups": [group.get_absolute_url() for group in groups_of[member.pk]],
                "meetups": [m for group in groups_of[member.pk] for m in meetups_of[group.pk]],
            }
            for member in members
        ],
        "browse": {
            "miles": [miles for miles, _ in fields["miles"].choices],
            "kids": [band for band, _ in fields["kids"].choices],
            "styles": [style for style, _ in fields["style"].choices if style],
            "places": sorted({place for *_, place in metro_zips()}),
        },
    }


def run_locust(
    folder: Path, plan: dict, host: str, users: int, seconds: int, spawn_rate: int
) -> list:
    """Runs the simulated members headless; returns (page type, ms, error or None) a request,
    timed by locust from sending the request to reading the whole response."""
    plan_file, samples_file, log_file = (folder / n for n in ("plan.json", "samples.json", "log"))
    plan_file.write_text(json.dumps(plan))
    command = [
        sys.executable, "-m", "locust", "-f", str(BENCH_DIR / "_load_locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{seconds}s", "--host", host, "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_SAMPLES": str(samples_file)}
    with log_file.open("w") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        started = time.monotonic()
        try:
            while True:
                try:
                    locust.wait(timeout=PROGRESS_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    print(f"  {time.monotonic() - started:.0f}/{seconds} s", flush=True)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait(timeout=30)
    if not samples_file.exists():
        print(log_file.read_text()[-4000:], file=sys.stderr)
        raise SystemExit("locust ended without its samples")
    return json.loads(samples_file.read_text())


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Page type -> the ms each of its requests spent in a gunicorn worker, from the access
    log (requests without the page header, gunicorn's start-up checks, are left out)."""
    times = defaultdict(list)
    for line in access_log.read_text().splitlines():
        page, microseconds = line.split()
        if page != "-":
            times[page].append(int(microseconds) / 1000)
    return times


def figures_of(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
    }


def report(samples: list, served: dict[str, list[float]], users: int, seconds: int) -> dict:
    """Prints a table by page type and the reasons of failures; returns the JSON figures."""
    by_page = defaultdict(list)
    for page, ms, error in samples:
        by_page[page].append((ms, error))
    if not by_page.get(BASELINE) or not served.get(BASELINE):
        raise SystemExit("No baseline request was made: the run was too short.")
    baseline_p50 = statistics.median(ms for ms, _ in by_page[BASELINE])
    baseline_served_p50 = statistics.median(served[BASELINE])
    print(f"{users} members for {seconds} s, gunicorn with 2 workers; times in ms")
    print(
        f"  {'page':12s} {'requests':>8s} {'failed':>6s} {'p50':>7s} {'p95':>7s} {'p99':>7s}"
        f"  {'in worker p50':>13s}  {'p50 / baseline':>14s}  {'in worker / baseline':>20s}"
    )

    def print_row(label: str, times: list[float], worker_times: list[float], failed: str) -> dict:
        row = figures_of(times)
        worker_p50 = statistics.median(worker_times) if worker_times else float("nan")
        print(
            f"  {label:12s} {len(times):8d} {failed:>6s} {row['p50_ms']:7.1f}"
            f" {row['p95_ms']:7.1f} {row['p99_ms']:7.1f}  {worker_p50:13.1f}"
            f"  {row['p50_ms'] / baseline_p50:13.1f}x  {worker_p50 / baseline_served_p50:19.1f}x"
        )
        return {**row, "worker_p50_ms": round(worker_p50, 2)}

    pages = sorted(set(by_page) - {BASELINE})
    for page in [*pages, BASELINE]:
        failed = sum(error is not None for _, error in by_page[page])
        print_row(page, [ms for ms, _ in by_page[page]], served.get(page, []), str(failed))
    total = print_row(
        "all pages",
        [ms for page in pages for ms, _ in by_page[page]],
        [ms for page in pages for ms in served.get(page, [])],
        "",
    )
    failures = Counter(f"{page}: {error}" for page, _, error in samples if error is not None)
    print(
        f"  {len(samples)} requests ({len(samples) / seconds:.1f}/s), "
        f"{sum(failures.values())} failed"
    )
    for reason, count in failures.most_common():
        print(f"  failed {count}x {reason}")
    return {
        "users": users,
        "seconds": seconds,
        "requests": len(samples),
        "failures": sum(failures.values()),
        "p50_ms": total["p50_ms"],
        "p95_ms": total["p95_ms"],
        "p99_ms": total["p99_ms"],
        "baseline_p50_ms": round(baseline_p50, 2),
        "ratio": round(total["p50_ms"] / baseline_p50, 2),
        "worker_p50_ms": total["worker_p50_ms"],
        "baseline_worker_p50_ms": round(baseline_served_p50, 2),
        "worker_ratio": round(total["worker_p50_ms"] / baseline_served_p50, 2),
        **{
            f"{page}_p50_ms": round(statistics.median(ms for ms, _ in by_page[page]), 2)
            for page in pages
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="simulated members (100)")
    parser.add_argument("--seconds", type=int, default=120, help="length of the run (120)")
    parser.add_argument("--spawn-rate", type=int, default=20, help="members starting a second")
    options = parser.parse_args()

    seed_if_needed()
    plan = load_plan(options.users)
    with tempfile.TemporaryDirectory() as folder:
        access_log = Path(folder, "access.log")
        # Each worker logs the page type (the simulated members' header) and its own time.
        os.environ["GUNICORN_CMD_ARGS"] = shlex.join(
            ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
        )
        port = free_port()
        server = start_gunicorn(port)
        try:
            samples = run_locust(
                Path(folder),
                plan,
                f"http://127.0.0.1:{port}",
                options.users,
                options.seconds,
                options.spawn_rate,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        result = report(samples, server_times(access_log), options.users, options.seconds)
    print(json.dumps(result))
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()

"""Benchmark: the pages a signed-in member opens most ("groups near me", a group, a meetup,
My week, her availability) against the floor page (`bench/_bench_urls.py`: the full
middleware stack, her session, one query and base.html with an empty content block), all
served by the same gunicorn workers in the same run, one request at a time in a shuffled
order each round.

Run from the repository root with the services up: ``make bench BENCH=pages``. The demo city
is seeded on first run and reused after. ``--prepare`` only seeds, signs the member in and
counts queries, and prints that as JSON (bench/growth.py asks it of each city). The last line
is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack

from browse import percentile, session_cookie, start_gunicorn, timed_get  # first: Django set up

# isort: split
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from groups.models import Group
from groups.nearby import BrowseFilters, groups_near, her_slots
from momcircle.demo.city import EMAIL_DOMAIN
from scheduling.models import Meetup
from tests.smtp_sink import free_port

PAGES = ("browse", "group", "meetup", "home", "availability")
MAX_QUERIES = 8
REQUESTS = 150
WARMUP = 15


def seed_if_needed(members: int, groups: int) -> float | None:
    demo_members = get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    if demo_members >= members and Group.objects.count() >= groups:
        print(f"Reusing the demo city: {demo_members} members", flush=True)
        return None
    print(f"Seeding the demo city: {members} members, {groups} groups…", flush=True)
    started = time.perf_counter()
    call_command("seed_demo", members=members, groups=groups, seed=1)
    return time.perf_counter() - started


def viewer_and_pages() -> tuple:
    """A member of the group of the demo city's first meetup (the one who talks first in
    its conversation, not its organizer), and the path of each page, the floor first."""
    meetup = Meetup.objects.select_related("group").order_by("pk").first()
    viewer = (
        get_user_model()
        .objects.select_related("profile")
        .filter(memberships__group=meetup.group, memberships__status="active")
        .exclude(memberships__role="organizer")
        .order_by("memberships__joined_at", "memberships__pk")
        .first()
    )
    return viewer, {
        "floor": "/bench/floor/",
        "browse": "/groups/",
        "group": meetup.group.get_absolute_url(),
        "meetup": meetup.get_absolute_url(),
        "home": "/",
        "availability": "/availability/",
    }


def queries_of(viewer, pages: dict[str, str]) -> dict[str, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    counts = {}
    for name, path in pages.items():
        client.get(path)  # once first: what a worker caches on its first request is not counted
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts[name] = len(queries)
    return counts


def browse_plan(viewer) -> str:
    """PostgreSQL's plan, run, of the ranking behind "groups near me" and My week's suggestions."""
    profile = viewer.profile
    query = groups_near(profile, BrowseFilters(), her_slots(profile))[:10]
    return query.explain(analyze=True)


def prepare(members: int, groups: int) -> dict:
    """Seed if needed, and what timing the city's pages needs: paths, cookie, query counts."""
    seed_s = seed_if_needed(members, groups)
    viewer, pages = viewer_and_pages()
    plan = browse_plan(viewer)
    return {
        "members": get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count(),
        "groups": Group.objects.count(),
        "seed_s": round(seed_s, 1) if seed_s is not None else None,
        "pages": pages,
        "cookie": session_cookie(viewer),
        "queries": queries_of(viewer, pages),
        "plan": plan,
        "index_used": "group_lat_lng" in plan,
    }


def time_rounds(
    targets: dict[str, tuple[str, str]], *, requests: int, warmup: int, say: Callable = print
) -> dict[str, list[float]]:
    """Milliseconds of each target (name -> (url, cookie)), asked one at a time: `warmup`
    rounds first, then `requests` rounds, each in a shuffled order so that no page always
    follows the same one."""
    rng = random.Random(1)
    names = list(targets)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(-warmup + 1, requests + 1):
        rng.shuffle(names)
        for name in names:
            elapsed = timed_get(*targets[name])
            if round_number > 0:
                samples[name].append(elapsed)
        if round_number > 0 and round_number % 50 == 0:
            say(f"  {round_number}/{requests} rounds")
    return samples


def serve(stack: ExitStack, **env: str) -> str:
    """Start gunicorn (closed with `stack`); its base URL."""
    port = free_port()
    server = start_gunicorn(port, **env)

    def stop() -> None:
        server.terminate()
        server.wait(timeout=30)

    stack.callback(stop)
    return f"http://127.0.0.1:{port}"


def medians(samples: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    return {
        name: (statistics.median(values), percentile(values, 0.95))
        for name, values in samples.items()
    }


def print_plan(label: str, plan: str) -> None:
    print(f"Plan of the ranking behind groups near me ({label}):")
    print("\n".join(f"  {line}" for line in plan.splitlines()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--groups", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--prepare", action="store_true")
    options = parser.parse_args()
    city = prepare(options.members, options.groups)
    if options.prepare:
        print(json.dumps(city))
        return
    print_plan(f"{city['members']} members", city["plan"])
    with ExitStack() as stack:
        base = serve(stack)
        targets = {name: (base + path, city["cookie"]) for name, path in city["pages"].items()}
        samples = time_rounds(targets, requests=options.requests, warmup=WARMUP)
    times = medians(samples)
    floor_p50 = times["floor"][0]
    print(f"2 gunicorn workers, {options.requests} requests per page, one at a time")
    result = {"members": city["members"], "groups": city["groups"], "seed_s": city["seed_s"]}
    for name, (p50, p95) in times.items():
        ratio = p50 / floor_p50
        queries = city["queries"][name]
        print(
            f"  {name:12s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   {ratio:4.2f}x the floor"
            f"   {queries} queries"
        )
        result |= {f"{name}_p50_ms": round(p50, 2), f"{name}_p95_ms": round(p95, 2)}
        result[f"queries_{name}"] = queries
        if name != "floor":
            result[f"ratio_{name}_floor_p50"] = round(ratio, 2)
    result["index_used"] = city["index_used"]
    over = [name for name in PAGES if city["queries"][name] > MAX_QUERIES]
    if over:
        print(f"  more than {MAX_QUERIES} queries: {', '.join(over)}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

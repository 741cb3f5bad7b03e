"""Benchmark: the pages of bench/pages.py in the 20k-member / 2k-group demo city and in a
200k-member / 20k-group one, served side by side by two gunicorns (one per city, 2 workers
each) and asked in the same shuffled rounds, so that both cities see the same machine.

The 20k city is the configured database's (as bench/pages.py); the 200k city lives in a
database of its own (the configured name plus `_city200k`), created, migrated and seeded on
first run (with progress; `seed_s_200k` says how long it took) and reused after.

Run from the repository root with the services up: ``make bench BENCH=growth``. The last
line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from urllib.parse import urlsplit, urlunsplit

from pages import PAGES, medians, print_plan, serve, time_rounds  # first: Django set up

# isort: split
from browse import BENCH_DIR, ROOT
from django.db import connection

CITIES = {"20k": (20_000, 2_000, ""), "200k": (200_000, 20_000, "_city200k")}
GOAL = 1.25
REQUESTS = 100


def database_url(suffix: str) -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=url.path + suffix))


def create_database_if_needed(suffix: str) -> None:
    if not suffix:
        return
    name = connection.settings_dict["NAME"] + suffix
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return
        print(f"Creating the database {name}…", flush=True)
        cursor.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(suffix)},
        check=True,
    )


def prepare(members: int, groups: int, suffix: str) -> dict:
    """bench/pages.py --prepare on the city's database: its lines shown as they come (the
    seeding's progress), its last line returned."""
    create_database_if_needed(suffix)
    process = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "pages.py"), "--prepare",
         "--members", str(members), "--groups", str(groups)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(suffix)},
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    last = ""
    for line in process.stdout:
        if last:
            print(f"  {last}", end="", flush=True)
        last = line
    if process.wait():
        raise SystemExit(f"bench/pages.py --prepare failed for the {members} city")
    return json.loads(last)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=REQUESTS)
    options = parser.parse_args()
    cities = {}
    for label, (members, groups, suffix) in CITIES.items():
        print(f"The {label} city…", flush=True)
        cities[label] = prepare(members, groups, suffix)
    for city in cities.values():
        print_plan(f"{city['members']} members", city["plan"])
    with ExitStack() as stack:
        targets = {}
        for label, (_, _, suffix) in CITIES.items():
            base = serve(stack, DATABASE_URL=database_url(suffix))
            city = cities[label]
            targets |= {
                f"{name}@{label}": (base + path, city["cookie"])
                for name, path in city["pages"].items()
            }
        samples = time_rounds(targets, requests=options.requests, warmup=10)
    times = medians(samples)
    result = {
        "members_20k": cities["20k"]["members"],
        "members_200k": cities["200k"]["members"],
        "groups_200k": cities["200k"]["groups"],
        "seed_s_200k": cities["200k"]["seed_s"],
    }
    print(f"Two gunicorns of 2 workers, {options.requests} rounds, one request at a time")
    for name in ("floor", *PAGES):
        small, big = times[f"{name}@20k"][0], times[f"{name}@200k"][0]
        growth = big / small
        queries = cities["200k"]["queries"][name], cities["20k"]["queries"][name]
        print(
            f"  {name:12s} p50 {small:7.2f} ms at 20k, {big:7.2f} ms at 200k: {growth:4.2f}x"
            f"{'' if growth <= GOAL or name == 'floor' else '  (over the goal)'}"
            f"   queries {queries[1]} / {queries[0]}"
        )
        result |= {
            f"{name}_p50_ms_20k": round(small, 2),
            f"{name}_p50_ms_200k": round(big, 2),
            f"growth_{name}": round(growth, 2),
            f"queries_{name}_200k": queries[0],
        }
    result["index_used"] = all(city["index_used"] for city in cities.values())
    print(json.dumps(result))


if __name__ == "__main__":
    main()

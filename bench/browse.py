"""Benchmark: "groups near me" and the group page of the 20k-member demo city, served by
gunicorn on loopback, against a bare one-query view served by the same workers.

Run from the repository root with the services up: ``make bench BENCH=browse``.
The last line is JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

from _django import BENCH_DIR, ROOT  # first: sets Django up with the bench settings

# isort: split
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from groups.models import Group, Membership
from groups.nearby import BrowseFilters, groups_near, her_slots
from momcircle.demo.city import EMAIL_DOMAIN
from tests.smtp_sink import free_port

MEMBERS = 20_000
GROUPS = 2_000
REQUESTS = 150
WARMUP = 15
WORKERS = 2


def seed_if_needed() -> float | None:
    demo_members = get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    demo_groups = Group.objects.filter(slug__contains="-demo-").count()
    if demo_members >= MEMBERS and demo_groups >= GROUPS:
        print(f"Reusing the demo city: {demo_members} members, {demo_groups} groups")
        return None
    print(f"Seeding the demo city: {MEMBERS} members, {GROUPS} groups…", flush=True)
    started = time.perf_counter()
    call_command("seed_demo", members=MEMBERS, groups=GROUPS, seed=1)
    return time.perf_counter() - started


def start_gunicorn(port: int, **env: str) -> subprocess.Popen:
    """Its control socket is the checkout's own, and not the one of `make run` here (one per
    port, so that two can serve side by side); `env` adds to the environment (another
    DATABASE_URL, say)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "momcircle.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--control-socket", str(ROOT / ".services" / f"bench-gunicorn-{port}.ctl"),
         "--pythonpath", str(BENCH_DIR), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "_bench_settings", **env},
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def timed_get(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_pages(
    pages: dict[str, str], cookie: str, *, requests: int, warmup: int, every: int, say=print
) -> dict[str, list[float]]:
    """Milliseconds of each page (name -> path), served by gunicorn and asked for one at a
    time: `warmup` rounds of all pages first, then `requests` rounds, told every `every`."""
    port = free_port()
    server = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    samples: dict[str, list[float]] = {name: [] for name in pages}
    try:
        for _ in range(warmup):
            for path in pages.values():
                timed_get(base + path, cookie)
        for round_number in range(1, requests + 1):
            for name, path in pages.items():
                samples[name].append(timed_get(base + path, cookie))
            if round_number % every == 0:
                say(f"  {round_number}/{requests} rounds")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return samples


def p50_p95(samples: dict[str, list[float]]) -> dict[str, float]:
    """<page>_p50_ms and <page>_p95_ms of each page's samples."""
    return {
        f"{name}_{label}_ms": round(fn(values), 2)
        for name, values in samples.items()
        for label, fn in (("p50", statistics.median), ("p95", lambda v: percentile(v, 0.95)))
    }


def main() -> None:
    seed_s = seed_if_needed()
    viewer = get_user_model().objects.select_related("profile").get(email=f"demo1@{EMAIL_DOMAIN}")
    group = (
        Membership.objects.filter(member=viewer, status="active").select_related("group").first()
        or Membership.objects.select_related("group").first()
    ).group
    cookie = session_cookie(viewer)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as browse_queries:
        assert client.get("/groups/").status_code == 200
    query = groups_near(viewer.profile, BrowseFilters(), her_slots(viewer.profile))
    plan = query.explain()
    index_used = "group_lat_lng" in plan
    print("Query plan of the distance query:")
    print("\n".join(f"  {line}" for line in plan.splitlines()))

    pages = {"bare": "/bench/bare/", "browse": "/groups/", "group": group.get_absolute_url()}
    samples = time_pages(
        pages,
        cookie,
        requests=REQUESTS,
        warmup=WARMUP,
        every=50,
        say=lambda line: print(line, flush=True),
    )
    figures = p50_p95(samples)
    ratio_browse = figures["browse_p50_ms"] / figures["bare_p50_ms"]
    ratio_group = figures["group_p50_ms"] / figures["bare_p50_ms"]
    print(f"{WORKERS} gunicorn workers, {REQUESTS} requests per page, one at a time")
    for name in pages:
        print(
            f"  {name:7s} p50 {figures[f'{name}_p50_ms']:7.2f} ms"
            f"   p95 {figures[f'{name}_p95_ms']:7.2f} ms"
        )
    print(f"  browse is {ratio_browse:.1f}x the bare view, the group page {ratio_group:.1f}x")
    print(f"  browse page: {len(browse_queries)} queries; index used: {index_used}")
    members = get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    result = {
        "members": members,
        "groups": Group.objects.count(),
        **figures,
        "ratio_browse_p50": round(ratio_browse, 2),
        "ratio_group_p50": round(ratio_group, 2),
        "browse_queries": len(browse_queries),
        "index_used": index_used,
        "seed_s": round(seed_s, 1) if seed_s is not None else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

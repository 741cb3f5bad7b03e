"""The conversation half of bench/series.py: a meetup page with 200 messages against the same
page of a meetup with none, served by gunicorn on loopback like bench/browse.py.

A group of its own (unlisted, far from the demo city) is made for the run and deleted after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from browse import p50_p95, session_cookie, time_pages

# isort: split
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import Group, Membership
from momcircle.conversation.models import Message
from momcircle.conversation.selectors import LATEST
from momcircle.profiles.models import Profile
from scheduling.models import Meetup, Rsvp

MESSAGES = 200
REQUESTS = 100
WARMUP = 10
SLUG = "bench-conversation"
EMAIL = "bench-conversation-{n}@momcircle.bench"
TEXTS = [
    "Running 10 minutes late, save me a seat!",
    "I'll bring snacks: apple slices and crackers.",
    "Can we do the café instead? https://www.cafelula.com has the patio open.",
    "Sounds good to me.\nSee you all there.",
]


def _women(count: int) -> list:
    User = get_user_model()
    women = []
    for n in range(count):
        user, _ = User.objects.get_or_create(email=EMAIL.format(n=n))
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "first_name": f"Bench{n}",
                "last_initial": "B",
                "zip_code": "99501",
                "latitude": 61.2,
                "longitude": -149.9,
                "time_zone": "America/Anchorage",
                "work_pattern": "hybrid",
                "looking_for": ["walks"],
                "onboarded_at": timezone.now(),
            },
        )
        women.append(user)
    return women


def _scene() -> tuple[object, Meetup, Meetup]:
    """A viewer, the meetup with 200 messages and the one with none."""
    women = _women(4)
    group = Group.objects.create(
        name="Bench conversation",
        slug=SLUG,
        description="A benchmark's group.",
        zip_code="99501",
        latitude=61.2,
        longitude=-149.9,
        time_zone="America/Anchorage",
        meeting_style="both",
        join_policy="open",
        is_listed=False,
    )
    for n, woman in enumerate(women):
        role = Membership.Role.ORGANIZER if n == 0 else Membership.Role.MEMBER
        Membership.objects.create(group=group, member=woman, role=role, joined_at=timezone.now())
    starts_at = timezone.now() + timedelta(days=3)
    meetups = [
        Meetup.objects.create(
            group=group,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            kid_mode="kid_free",
            venue_name="Café Lula",
            created_by=women[0],
        )
        for title in ("Talked about", "Quiet")
    ]
    for meetup in meetups:
        Rsvp.objects.bulk_create(Rsvp(meetup=meetup, member=w, response="going") for w in women)
    start = timezone.now() - timedelta(minutes=MESSAGES)
    Message.objects.bulk_create(
        Message(
            meetup=meetups[0],
            author=women[n % len(women)],
            text=f"{TEXTS[n % len(TEXTS)]} ({n})",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(MESSAGES)
    )
    return women[1], *meetups


def _clean_up() -> None:
    Group.objects.filter(slug=SLUG).delete()
    get_user_model().objects.filter(email__endswith="@momcircle.bench").delete()


def _queries(viewer, path: str) -> int:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def conversation_page_figures(say: Callable[[str], None] = print) -> dict:
    """p50 and p95 of the meetup page with 200 messages, with none, and with all 200 listed
    (?messages=all), one request at a time; `page_200_ratio` is the first over the second."""
    _clean_up()
    viewer, talked, quiet = _scene()
    pages = {
        "page_0": quiet.get_absolute_url(),
        "page_200": talked.get_absolute_url(),
        "page_200_all": f"{talked.get_absolute_url()}?messages=all",
    }
    queries = {name: _queries(viewer, path) for name, path in pages.items()}
    try:
        samples = time_pages(
            pages, session_cookie(viewer), requests=REQUESTS, warmup=WARMUP, every=25, say=say
        )
    finally:
        _clean_up()
    figures = p50_p95(samples)
    ratio = figures["page_200_p50_ms"] / figures["page_0_p50_ms"]
    ratio_all = figures["page_200_all_p50_ms"] / figures["page_0_p50_ms"]
    say(f"  meetup page, {MESSAGES} messages ({LATEST} shown): {ratio:.2f}x the page with none")
    say(f"  with all {MESSAGES} listed: {ratio_all:.2f}x; queries {queries}")
    return {
        "messages": MESSAGES,
        "shown": LATEST,
        **figures,
        "page_200_ratio": round(ratio, 2),
        "page_200_all_ratio": round(ratio_all, 2),
        "page_0_queries": queries["page_0"],
        "page_200_queries": queries["page_200"],
        "page_200_all_queries": queries["page_200_all"],
    }

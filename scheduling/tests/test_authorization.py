"""Every scheduling URL, for everyone who might open it. A POST is judged by where it sends her
and whether the page after it says it worked ("ok") or why not ("refused")."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from momcircle.profiles.presets import PRESETS
from scheduling.models import Meetup, Rsvp
from scheduling.services import calendar_feed_regenerate
from scheduling.tests.factories import in_days

pytestmark = pytest.mark.django_db

POSITIONS = ["anonymous", "stranger", "pending", "member", "co_organizer", "organizer"]
LOGIN = "login"


def meetup_fields(meetup: Meetup) -> dict:
    starts_at = in_days(9)
    return {
        "title": "Pancakes",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at.replace(hour=starts_at.hour + 2)).strftime("%Y-%m-%dT%H:%M"),
        "kid_mode": "kids_along",
        "venue_name": "Wishbone",
        "waitlist_cutoff_hours": "3",
    }


def urls(circle, meetup) -> dict[str, tuple[str, str, dict]]:
    slug, pk = circle.group.slug, meetup.pk
    feed_token = calendar_feed_regenerate(member=circle.organizer).token
    return {
        "availability": ("get", reverse("profiles:availability"), {}),
        "availability_save": (
            "post",
            reverse("profiles:availability"),
            {"window": ["1,1230,1320,kid_free"]},
        ),
        "availability_preset": (
            "post",
            reverse("profiles:availability_preset"),
            {"preset": next(iter(PRESETS))},
        ),
        "meetup_create": ("get", reverse("scheduling:meetup_create", args=[slug]), {}),
        "meetup_create_save": (
            "post",
            reverse("scheduling:meetup_create", args=[slug]),
            meetup_fields(meetup),
        ),
        "meetup": ("get", reverse("scheduling:meetup", args=[pk]), {}),
        "meetup_edit": ("get", reverse("scheduling:meetup_edit", args=[pk]), {}),
        "meetup_edit_save": (
            "post",
            reverse("scheduling:meetup_edit", args=[pk]),
            meetup_fields(meetup),
        ),
        "meetup_cancel": ("get", reverse("scheduling:meetup_cancel", args=[pk]), {}),
        "meetup_cancel_confirm": ("post", reverse("scheduling:meetup_cancel", args=[pk]), {}),
        "rsvp": ("post", reverse("scheduling:rsvp", args=[pk]), {"response": "going"}),
        "meetup_ics": ("get", reverse("scheduling:meetup_ics", args=[pk]), {}),
        "calendar": ("get", reverse("scheduling:calendar"), {}),
        "calendar_new_link": ("post", reverse("scheduling:calendar_new_link"), {}),
        "calendar_feed": ("get", reverse("scheduling:calendar_feed", args=[feed_token]), {}),
        "calendar_feed_wrong_token": (
            "get",
            reverse("scheduling:calendar_feed", args=["not-her-token"]),
            {},
        ),
    }


MEMBERS_ONLY = [LOGIN, 403, 403, 200, 200, 200]
ORGANIZERS_ONLY = [LOGIN, 403, 403, 403, 200, 200]
EVERYONE_SIGNED_IN = [LOGIN, 200, 200, 200, 200, 200]
# For each URL, what each position gets: a status code, "login", or "<where> ok|refused".
EXPECTED = {
    "availability": EVERYONE_SIGNED_IN,
    "availability_save": [LOGIN, *["availability ok"] * 5],
    "availability_preset": [LOGIN, *["availability ok"] * 5],
    "meetup_create": ORGANIZERS_ONLY,
    "meetup_create_save": [LOGIN, 403, 403, 403, "new meetup ok", "new meetup ok"],
    "meetup": EVERYONE_SIGNED_IN,
    "meetup_edit": ORGANIZERS_ONLY,
    "meetup_edit_save": [LOGIN, 403, 403, 403, "meetup ok", "meetup ok"],
    "meetup_cancel": ORGANIZERS_ONLY,
    "meetup_cancel_confirm": [LOGIN, 403, 403, 403, "meetup ok", "meetup ok"],
    "rsvp": [LOGIN, "meetup refused", "meetup refused", "meetup ok", "meetup ok", "meetup ok"],
    "meetup_ics": MEMBERS_ONLY,
    "calendar": EVERYONE_SIGNED_IN,
    "calendar_new_link": [LOGIN, *["calendar ok"] * 5],
    "calendar_feed": [200] * 6,
    "calendar_feed_wrong_token": [404] * 6,
}

CASES = [
    (name, position, outcome)
    for name, outcomes in EXPECTED.items()
    for position, outcome in zip(POSITIONS, outcomes, strict=True)
]


def outcome_of(response, meetup):
    if response.status_code != 302:
        return response.status_code
    if response.url.startswith(reverse("account_login")):
        return LOGIN
    places = {
        meetup.get_absolute_url(): "meetup",
        reverse("profiles:availability"): "availability",
        reverse("scheduling:calendar"): "calendar",
    }
    place = places.get(response.url)
    if place is None and re.fullmatch(r"/meetups/\d+/", response.url):
        place = "new meetup"
    levels = {message.level_tag for message in get_messages(response.wsgi_request)}
    return f"{place or response.url} {'refused' if 'error' in levels else 'ok'}"


@pytest.mark.parametrize(("name", "position", "expected"), CASES)
def test_who_gets_what_from_every_scheduling_url(client, circle, meetup, name, position, expected):
    method, path, data = urls(circle, meetup)[name]
    if position != "anonymous":
        client.force_login(circle.person(position))
    response = getattr(client, method)(path, data)
    assert outcome_of(response, meetup) == expected


POST_ONLY = ["rsvp", "calendar_new_link", "availability_preset"]


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_link_never_changes_anything(client, circle, meetup, name):
    _, path, _ = urls(circle, meetup)[name]
    token = circle.organizer.calendar_feed.token
    client.force_login(circle.organizer)
    assert client.get(path).status_code == 405
    assert not Rsvp.objects.exists()
    circle.organizer.calendar_feed.refresh_from_db()
    assert circle.organizer.calendar_feed.token == token


@pytest.mark.parametrize("name", ["meetup", "meetup_create", "rsvp", "meetup_ics"])
def test_a_meetup_of_an_unlisted_group_is_not_found_by_strangers(client, circle, meetup, name):
    circle.group.is_listed = False
    circle.group.save(update_fields=["is_listed"])
    method, path, data = urls(circle, meetup)[name]
    client.force_login(circle.stranger)
    assert getattr(client, method)(path, data).status_code == 404

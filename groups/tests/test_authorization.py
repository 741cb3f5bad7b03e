"""Every groups URL, for everyone who might open it. A POST is judged by where it sends her and
whether the page after it says it worked ("ok") or why not ("refused")."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.models import Membership
from tests.factories import join_request, organized_group

pytestmark = pytest.mark.django_db

POSITIONS = ["stranger", "pending", "member", "co_organizer", "organizer"]


def urls(circle) -> dict[str, tuple[str, str, dict]]:
    slug, token = circle.group.slug, circle.group.invite_token
    request, other = circle.request.pk, circle.other_member.pk
    group_fields = {
        "name": "Renamed",
        "description": "Still working moms.",
        "zip_code": "60614",
        "meeting_style": "both",
        "size_cap": "8",
        "join_policy": "request",
        "join_question": "",
        "is_listed": "on",
    }
    return {
        "browse": ("get", reverse("groups:browse"), {}),
        "mine": ("get", reverse("groups:mine"), {}),
        "create": ("get", reverse("groups:create"), {}),
        "detail": ("get", reverse("groups:detail", args=[slug]), {}),
        "invite": ("get", reverse("groups:invite", args=[slug, token]), {}),
        "invite_join": ("post", reverse("groups:invite", args=[slug, token]), {"answer": "Two"}),
        "edit": ("get", reverse("groups:edit", args=[slug]), {}),
        "edit_save": ("post", reverse("groups:edit", args=[slug]), group_fields),
        "archive": ("get", reverse("groups:archive", args=[slug]), {}),
        "archive_confirm": ("post", reverse("groups:archive", args=[slug]), {}),
        "join": ("post", reverse("groups:join", args=[slug]), {"answer": "Two"}),
        "leave": ("post", reverse("groups:leave", args=[slug]), {}),
        "manage": ("get", reverse("groups:manage", args=[slug]), {}),
        "approve": ("post", reverse("groups:approve", args=[slug, request]), {"message": ""}),
        "decline": ("post", reverse("groups:decline", args=[slug, request]), {"message": ""}),
        "remove": ("post", reverse("groups:remove", args=[slug, other]), {}),
        "ban": ("post", reverse("groups:ban", args=[slug, other]), {}),
        "set_role": (
            "post",
            reverse("groups:set_role", args=[slug, other]),
            {"role": "co_organizer"},
        ),
        "transfer": ("post", reverse("groups:transfer", args=[slug]), {"to": other}),
        "regenerate_invite": ("post", reverse("groups:regenerate_invite", args=[slug]), {}),
    }


# For each URL, what each position gets: a status code, or "<where> ok|refused" after a POST.
EXPECTED = {
    "browse": [200, 200, 200, 200, 200],
    "mine": [200, 200, 200, 200, 200],
    "create": [200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200],
    "invite": [200, 200, 200, 200, 200],
    "invite_join": [
        "group ok",
        "invite refused",
        "invite refused",
        "invite refused",
        "invite refused",
    ],
    "edit": [403, 403, 403, 200, 200],
    "edit_save": [403, 403, 403, "group ok", "group ok"],
    "archive": [403, 403, 403, 403, 200],
    "archive_confirm": [403, 403, 403, 403, "group ok"],
    "join": ["group ok", "group refused", "group refused", "group refused", "group refused"],
    "leave": ["group refused", "mine ok", "mine ok", "mine ok", "mine ok"],
    "manage": [403, 403, 403, 200, 200],
    "approve": ["group refused", "group refused", "group refused", "manage ok", "manage ok"],
    "decline": ["group refused", "group refused", "group refused", "manage ok", "manage ok"],
    "remove": ["group refused", "group refused", "group refused", "manage ok", "manage ok"],
    "ban": ["group refused", "group refused", "group refused", "manage ok", "manage ok"],
    "set_role": ["group refused", "group refused", "group refused", "manage refused", "manage ok"],
    "transfer": ["group refused", "group refused", "group refused", "manage refused", "manage ok"],
    "regenerate_invite": [
        "group refused",
        "group refused",
        "group refused",
        "manage ok",
        "manage ok",
    ],
}

CASES = [
    (name, position, outcome)
    for name, outcomes in EXPECTED.items()
    for position, outcome in zip(POSITIONS, outcomes, strict=True)
]


def outcome_of(response, circle, path: str):
    if response.status_code != 302:
        return response.status_code
    places = {
        circle.group.get_absolute_url(): "group",
        reverse("groups:manage", args=[circle.group.slug]): "manage",
        reverse("groups:mine"): "mine",
        path: "invite",
    }
    levels = {message.level_tag for message in get_messages(response.wsgi_request)}
    verdict = "refused" if "error" in levels else "ok"
    return f"{places.get(response.url, response.url)} {verdict}"


@pytest.mark.parametrize(("name", "position", "expected"), CASES)
def test_who_gets_what_from_every_groups_url(client, circle, name, position, expected):
    method, path, data = urls(circle)[name]
    client.force_login(circle.person(position))
    response = getattr(client, method)(path, data)
    assert outcome_of(response, circle, path) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_groups_url_asks_a_visitor_to_log_in(client, circle, name):
    method, path, data = urls(circle)[name]
    response = getattr(client, method)(path, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


POST_ONLY = [
    "join",
    "leave",
    "approve",
    "decline",
    "remove",
    "ban",
    "set_role",
    "transfer",
    "regenerate_invite",
]


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_link_never_changes_anything(client, circle, name):
    _, path, _ = urls(circle)[name]
    client.force_login(circle.organizer)
    assert client.get(path).status_code == 405
    assert Membership.objects.get(pk=circle.request.pk).status == Membership.Status.PENDING


UNLISTED_CASES = [
    ("detail", "stranger", 404),
    ("detail", "pending", 200),
    ("detail", "member", 200),
    ("invite", "stranger", 200),
    ("join", "stranger", 404),
    ("invite_join", "stranger", "group ok"),
    ("manage", "stranger", 404),
    ("manage", "organizer", 200),
]


@pytest.mark.parametrize(("name", "position", "expected"), UNLISTED_CASES)
def test_an_unlisted_group_is_hidden_from_strangers_without_the_link(
    client, circle, name, position, expected
):
    circle.group.is_listed = False
    circle.group.save(update_fields=["is_listed"])
    method, path, data = urls(circle)[name]
    client.force_login(circle.person(position))
    response = getattr(client, method)(path, data)
    assert outcome_of(response, circle, path) == expected


def test_an_old_invite_link_no_longer_opens_an_unlisted_group(client, circle):
    circle.group.is_listed = False
    circle.group.save(update_fields=["is_listed"])
    client.force_login(circle.stranger)
    response = client.get(reverse("groups:invite", args=[circle.group.slug, "an-old-token"]))
    assert response.status_code == 404


def test_a_request_from_another_group_is_not_found(client, circle):
    elsewhere = join_request(organized_group())
    client.force_login(circle.organizer)
    response = client.post(reverse("groups:approve", args=[circle.group.slug, elsewhere.pk]))
    assert response.status_code == 404

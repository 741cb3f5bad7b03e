"""A ZIP code is five ASCII digits. The same five digits typed on a phone keyboard that writes
full-width, Arabic-Indic or mathematical digits are refused on the form with the sentence she
reads, and nothing is saved: never a crash (the ZIP data library panics on them)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from groups.models import Group
from momcircle.geo import UnknownZip, locate_zip
from momcircle.profiles.models import Profile
from tests.factories import UserFactory, member, organized_group

pytestmark = pytest.mark.django_db

# 60607 in full-width, Arabic-Indic and mathematical bold digits: str.isdigit() says yes to all.
OTHER_DIGITS = ["６０６０７", "٦٠٦٠٧", "𝟔𝟎𝟔𝟎𝟕"]
MESSAGE = "Enter a 5-digit US ZIP code."

ABOUT_HER = {
    "first_name": "Dana",
    "last_initial": "K",
    "time_zone": "",
    "work_pattern": "hybrid",
    "kids_toddler": "1",
    "looking_for": ["moms_night_out"],
    "interests_text": "",
    "bio": "",
}
ABOUT_THE_GROUP = {
    "name": "West Loop Working Moms",
    "description": "Walks after bedtime.",
    "meeting_style": "both",
    "size_cap": "10",
    "join_policy": "open",
    "join_question": "",
    "is_listed": "on",
}


@dataclass(frozen=True)
class Page:
    """Who posts where, and what the database holds (which a refusal must leave as it was)."""

    who: Callable[[], object]
    path: Callable[[object], str]
    fields: dict
    saved: Callable[[], list]


def _group_of(organizer) -> Group:
    return Group.objects.get(memberships__member=organizer)


def _organizer():
    organizer = member()
    organized_group(organizer)
    return organizer


def _profiles() -> list:
    return list(Profile.objects.order_by("pk").values_list("pk", "zip_code", "latitude"))


def _groups() -> list:
    return list(Group.objects.order_by("pk").values_list("pk", "zip_code", "name"))


PAGES = {
    "onboarding": Page(UserFactory, lambda _: reverse("profiles:onboarding"), ABOUT_HER, _profiles),
    "profile": Page(member, lambda _: reverse("profiles:edit"), ABOUT_HER, _profiles),
    "new group": Page(member, lambda _: reverse("groups:create"), ABOUT_THE_GROUP, _groups),
    "group edit": Page(
        _organizer,
        lambda organizer: reverse("groups:edit", args=[_group_of(organizer).slug]),
        ABOUT_THE_GROUP,
        _groups,
    ),
}


@pytest.mark.parametrize("digits", OTHER_DIGITS)
@pytest.mark.parametrize("page_name", PAGES)
def test_a_zip_in_other_digits_than_0_to_9_is_explained_and_nothing_is_saved(
    client, page_name, digits
):
    page = PAGES[page_name]
    woman = page.who()
    client.force_login(woman)
    path = page.path(woman)
    before = page.saved()
    response = client.post(path, {**page.fields, "zip_code": digits})
    assert response.status_code == 200
    assert response.context["form"].errors["zip_code"] == [MESSAGE]
    assert MESSAGE in response.content.decode()
    assert page.saved() == before


@pytest.mark.parametrize("typed", [*OTHER_DIGITS, "6060７", "²0607", "6060\x00"])
def test_locate_zip_refuses_anything_but_five_ascii_digits(typed):
    with pytest.raises(UnknownZip, match=MESSAGE):
        locate_zip(typed)


def test_locate_zip_still_finds_a_zip_she_typed_with_spaces_around_it():
    assert locate_zip(" 60607 ").zip_code == "60607"

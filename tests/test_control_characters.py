"""Every field a member types on one line (names, titles, places, tags, a link) refuses line
breaks and control characters, and every field with lines refuses control characters other
than line breaks, each with a sentence she can act on (momcircle/text.py)."""

import pytest
from allauth.account.forms import SignupForm
from django.urls import reverse
from django.utils.html import escape

from groups import forms as group_forms
from groups.models import JoinPolicy
from momcircle import text
from momcircle.moderation.forms import ReportForm
from momcircle.profiles.forms import ProfileForm
from scheduling import forms as scheduling_forms
from scheduling.models import Meetup
from tests.factories import PASSWORD, GroupFactory, organized_group

pytestmark = pytest.mark.django_db

FORMS = {
    "profile": lambda data: ProfileForm(data),
    "group": lambda data: group_forms.GroupForm(data),
    "join": lambda data: group_forms.JoinForm(
        data, group=GroupFactory(join_policy=JoinPolicy.REQUEST), action=""
    ),
    "decision": lambda data: group_forms.DecisionForm(data),
    "meetup": lambda data: scheduling_forms.MeetupForm(
        data, zone="America/Chicago", submit_label="Save"
    ),
    "cancel": lambda data: scheduling_forms.CancelForm(data),
    "report": lambda data: ReportForm(data),
}
SINGLE_LINE = [
    ("profile", "first_name", "Maya"),
    ("profile", "interests_text", "running, book club"),
    ("group", "name", "Logan Square Moms"),
    ("group", "focus_text", "walks, book club"),
    ("group", "join_question", "How old are your kids?"),
    ("meetup", "title", "Moms' night out"),
    ("meetup", "venue_name", "Café Lula"),
    ("meetup", "venue_address", "2537 N Kedzie Blvd"),
    ("meetup", "online_link", "https://meet.example.com/moms"),
]
MULTI_LINE = [
    ("profile", "bio", "Two kids.\r\nI love hiking."),
    ("group", "description", "Evenings out.\r\nSaturday mornings."),
    ("join", "answer", "Two toddlers.\r\nWe live nearby."),
    ("decision", "message", "Welcome!\r\nSee you Tuesday."),
    ("meetup", "description", "Bring a snack.\r\nParking behind."),
    ("cancel", "reason", "Rain all day.\r\nSorry!"),
    ("report", "details", "She wrote this.\r\nTwice."),
]


def errors_of(form_name: str, field: str, value: str) -> list[str]:
    form = FORMS[form_name]({field: value})
    form.is_valid()
    return form.errors.get(field, [])


@pytest.mark.parametrize(("form_name", "field", "fine"), SINGLE_LINE)
@pytest.mark.parametrize("char", ["\n", "\x0b", "\x1c", "\u200b", "\u2028"], ids=repr)
def test_a_one_line_field_refuses_a_control_character(form_name, field, fine, char):
    assert text.SINGLE_LINE_MESSAGE in errors_of(form_name, field, f"{fine}{char}X-Evil:1")


@pytest.mark.parametrize(("form_name", "field", "fine"), SINGLE_LINE + MULTI_LINE)
def test_ordinary_text_is_accepted(form_name, field, fine):
    assert errors_of(form_name, field, fine) == []


@pytest.mark.parametrize(("form_name", "field", "fine"), MULTI_LINE)
@pytest.mark.parametrize("char", ["\x0b", "\x1c", "\u200b", "\u2028"], ids=repr)
def test_a_field_with_lines_refuses_other_control_characters(form_name, field, fine, char):
    assert errors_of(form_name, field, f"{fine}{char}more") == [text.MULTI_LINE_MESSAGE]


def test_sign_up_refuses_an_address_with_a_control_character_in_quotes():
    """Django's own check lets "a\\vb"@example.com through."""
    form = SignupForm(
        {"email": '"a\x0bb"@example.com', "password1": PASSWORD, "password2": PASSWORD}
    )
    assert not form.is_valid()
    assert form.errors["email"] == [text.SINGLE_LINE_MESSAGE]


def test_a_meetup_titled_with_a_vertical_tab_is_explained_and_not_saved(client):
    group = organized_group()
    client.force_login(group.memberships.get().member)
    html = client.post(
        reverse("scheduling:meetup_create", args=[group.slug]),
        {"title": "VT\x0bno colon here", "venue_name": "Café Lula"},
    ).content.decode()
    assert escape(text.SINGLE_LINE_MESSAGE) in html
    assert not Meetup.objects.exists()

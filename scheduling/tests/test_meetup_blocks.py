"""A block on the meetup page and under suggested times: the two women never see each other's
names, while counts and seats stay true."""

import re

import pytest
from django.urls import reverse

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.models import Block
from momcircle.profiles.services import availability_replace
from scheduling.services import rsvp_set
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory, organized_group

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EVERY_EVENING = [WeeklyWindow(day, 19 * 60, 23 * 60, "kid_free") for day in range(7)]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def answers_fragment(client, meetup, response="going") -> str:
    """Her answer sent with htmx: the answers section that comes back in place."""
    url = reverse("scheduling:rsvp", args=[meetup.pk])
    reply = client.post(url, {"response": response}, **HTMX)
    html = reply.content.decode()
    assert html.lstrip().startswith('<section id="answers"')
    return html


@pytest.fixture(params=["she blocked her", "she was blocked"])
def kept_apart(request, circle):
    """Maya and Corinne, kept apart by a block made by one or the other."""
    maya, corinne = circle.member, circle.co_organizer
    blocker, blocked = (maya, corinne) if request.param == "she blocked her" else (corinne, maya)
    Block.objects.create(blocker=blocker, blocked=blocked)
    return maya, corinne


def test_she_does_not_see_the_other_going_but_the_seats_she_takes_count(client, circle, kept_apart):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group, capacity=4)
    for woman in (corinne, circle.organizer, maya):
        rsvp_set(meetup=meetup, member=woman, response="going")
    client.force_login(maya)
    html = page(client, meetup.get_absolute_url())
    assert "Corinne" not in html
    assert "Olivia" in html
    assert "<strong>3 going</strong> · 1 of 4 seats left" in html
    assert "and 1 more" in html


def test_the_other_does_not_see_her_either(client, circle, kept_apart):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group)
    rsvp_set(meetup=meetup, member=maya, response="going")
    client.force_login(corinne)
    html = page(client, meetup.get_absolute_url())
    assert "Maya" not in html
    assert "<strong>1 going</strong>" in html
    assert "1 member" in html


def test_the_answers_that_come_back_in_place_leave_her_out_too(client, circle, kept_apart):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group, capacity=2)
    rsvp_set(meetup=meetup, member=corinne, response="going")
    client.force_login(maya)
    html = answers_fragment(client, meetup)
    assert "Corinne" not in html
    assert re.search(r"Maya \w\. \(you\)", html)
    assert "<strong>2 going</strong> · Full: all 2 seats taken" in html
    assert "and 1 more" in html


def test_the_waitlist_keeps_its_length_and_line_numbers_without_her_name(
    client, circle, kept_apart
):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group, capacity=1)
    for woman in (circle.organizer, corinne, circle.other_member.member):
        rsvp_set(meetup=meetup, member=woman, response="going")
    client.force_login(maya)
    html = page(client, meetup.get_absolute_url())
    assert "Corinne" not in html
    assert "2 on the waitlist" in html
    assert "2. Tess" in html
    assert "and 1 more" in html


def test_a_maybe_is_left_out_by_name_but_counted(client, circle, kept_apart):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group)
    rsvp_set(meetup=meetup, member=corinne, response="maybe")
    client.force_login(maya)
    html = page(client, meetup.get_absolute_url())
    assert "Corinne" not in html
    assert "1 maybe" in html


def test_other_members_still_see_both(client, circle, kept_apart):
    maya, corinne = kept_apart
    meetup = MeetupFactory(group=circle.group)
    for woman in (maya, corinne):
        rsvp_set(meetup=meetup, member=woman, response="going")
    client.force_login(circle.other_member.member)
    html = page(client, meetup.get_absolute_url())
    assert "Maya" in html
    assert "Corinne" in html
    assert "more" not in html


def test_suggested_times_count_her_but_leave_her_name_out(client, circle):
    Block.objects.create(blocker=circle.member, blocked=circle.organizer)
    for woman in (circle.member, circle.co_organizer):
        availability_replace(member=woman, windows=EVERY_EVENING)
    client.force_login(circle.organizer)
    html = page(client, reverse("scheduling:meetup_create", args=[circle.group.slug]))
    assert "2 of 4 members free" in html
    assert re.search(r"Free: Corinne \w\. and 1 more<", html)
    assert "Maya" not in html


def test_when_only_she_is_free_the_suggestion_says_one_member(client, circle):
    Block.objects.create(blocker=circle.organizer, blocked=circle.member)
    availability_replace(member=circle.member, windows=EVERY_EVENING)
    client.force_login(circle.organizer)
    html = page(client, reverse("scheduling:meetup_create", args=[circle.group.slug]))
    assert "1 of 4 members free" in html
    assert "Free: 1 member" in html
    assert "Maya" not in html


# Blocks cost no query: the page and the fragment stay pinned however many there are.


@pytest.fixture(params=[2, 20])
def crowd_with_blocks(request):
    """A group where every member goes to the meetup and every other one blocked the
    organizer."""
    group = organized_group(size_cap=50)
    organizer = group.memberships.get(role="organizer").member
    meetup = MeetupFactory(group=group)
    for number in range(request.param):
        mom = MembershipFactory(group=group).member
        rsvp_set(meetup=meetup, member=mom, response="going")
        if number % 2:
            Block.objects.create(blocker=mom, blocked=organizer)
    return meetup, organizer


def test_the_meetup_page_costs_the_same_with_blocks(
    client, crowd_with_blocks, django_assert_max_num_queries
):
    meetup, organizer = crowd_with_blocks
    client.force_login(organizer)
    # session, user, her profile, the meetup with its group, her membership, the answers, and
    # the conversation's messages and her mute
    with django_assert_max_num_queries(8):
        html = page(client, meetup.get_absolute_url())
    assert "more</li>" in html


def test_the_answers_fragment_costs_the_same_with_blocks(
    client, crowd_with_blocks, django_assert_max_num_queries
):
    meetup, organizer = crowd_with_blocks
    client.force_login(organizer)
    # her answer (locks, checks and writes), then the answers again: 15 for 2 or 20 women
    with django_assert_max_num_queries(15):
        answers_fragment(client, meetup, response="maybe")

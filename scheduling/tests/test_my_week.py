"""Her home page once she is signed in: "My week"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scheduling.services import meetup_cancel, rsvp_set
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db


def my_week(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_her_next_meetups_show_her_answer(client, circle):
    going = MeetupFactory(group=circle.group, title="Wine night")
    MeetupFactory(group=circle.group, title="Book club", starts_at=going.starts_at + timedelta(1))
    rsvp_set(meetup=going, member=circle.member, response="going")
    html = my_week(client, circle.member)
    assert html.index("Wine night") < html.index("You're going") < html.index("Book club")
    assert "Not answered yet" in html


def test_her_name_as_the_others_see_it_ends_with_one_stop(client):
    html = my_week(client, member(first_name="Maya", last_initial="K"))
    assert "Your name in your groups: <strong>Maya K.</strong></p>" in html


def test_meetups_of_groups_she_is_not_in_stay_off_her_week(client, circle):
    MeetupFactory(group=circle.group, title="Wine night")
    html = my_week(client, circle.stranger)
    assert "Wine night" not in html
    assert "No meetups coming up." in html


def test_past_meetups_leave_her_week(client, circle):
    start = timezone.now() - timedelta(days=2)
    MeetupFactory(
        group=circle.group, title="Old news", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert "Old news" not in my_week(client, circle.member)


def test_a_cancelled_meetup_stays_on_her_week_only_if_she_was_coming(client, circle):
    hers = MeetupFactory(group=circle.group, title="Wine night")
    other = MeetupFactory(group=circle.group, title="Book club")
    rsvp_set(meetup=hers, member=circle.member, response="going")
    for meetup in (hers, other):
        meetup_cancel(meetup=meetup, by=circle.organizer)
    html = my_week(client, circle.member)
    assert "Wine night" in html
    assert "Cancelled" in html
    assert "Book club" not in html


def test_her_groups_and_her_waiting_requests_are_listed(client, circle):
    html = my_week(client, circle.applicant)
    assert circle.group.name in html
    assert "Waiting for the organizer" in html


def test_groups_near_her_are_suggested(client, circle):
    nearby = organized_group(name="Bucktown Night Owls")
    html = my_week(client, circle.member)
    assert "Groups you might like" in html
    assert nearby.name in html
    assert f'href="{nearby.get_absolute_url()}"' in html


def test_a_newcomer_sees_where_to_start(client):
    html = my_week(client, member(first_name="Dana"))
    assert "Welcome back, Dana" in html
    assert "No meetups coming up. Join a group nearby" in html
    assert "You're not in a group yet." in html
    assert "No other groups near you yet." in html


# Session, user, her profile; her meetups, her memberships, her free slots, groups near her;
# her circle wish (the circles card, momcircle/circles/tests/test_views.py pins it with a circle).
MY_WEEK_QUERIES = 8


@pytest.mark.parametrize("count", [2, 20])
def test_my_week_costs_the_same_for_2_or_20_groups_and_meetups(
    client, django_assert_max_num_queries, count
):
    dana = member()
    for _ in range(count):
        group = organized_group()
        MembershipFactory(group=group, member=dana)
        rsvp_set(meetup=MeetupFactory(group=group), member=dana, response="going")
    for _ in range(count + 3):
        organized_group()
    client.force_login(dana)
    with django_assert_max_num_queries(MY_WEEK_QUERIES):
        html = client.get("/").content.decode()
    assert html.count("You're going") == min(count, 6)
    assert html.count("group-card") == 3

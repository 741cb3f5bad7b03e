"""Meetup pages: planning from suggestions, what members and others see, answering with and
without htmx, changing and cancelling, and what each page costs."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.services import availability_replace
from scheduling.models import Meetup, MeetupChange, Rsvp
from scheduling.services import rsvp_set
from scheduling.templatetags.meetups import seats
from scheduling.tests.factories import MeetupFactory
from tests.factories import MembershipFactory, organized_group

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def local(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M")


def next_week_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(timezone.now(), CHICAGO).date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def new_meetup(**changes) -> dict:
    starts_at = next_week_at(20, 30)
    fields = {
        "title": "Wine and cheese",
        "starts_at": local(starts_at),
        "ends_at": local(starts_at + timedelta(minutes=90)),
        "kid_mode": "kid_free",
        "venue_name": "Café Lula",
        "venue_address": "2537 N Kedzie Blvd",
        "waitlist_cutoff_hours": "3",
    }
    return {**fields, **changes}


# Planning a meetup


@pytest.fixture
def plan_url(circle):
    return reverse("scheduling:meetup_create", args=[circle.group.slug])


def test_the_organizer_sees_suggested_times_with_who_is_free(client, circle, plan_url):
    every_evening = [WeeklyWindow(day, 20 * 60, 23 * 60, "kid_free") for day in range(7)]
    availability_replace(member=circle.member, windows=every_evening)
    client.force_login(circle.organizer)
    html = page(client, plan_url)
    assert "1 of 4 members free" in html
    assert "Free: Maya" in html
    assert "Use this time" in html


def test_without_free_times_she_can_still_pick_any_time(client, circle, plan_url):
    client.force_login(circle.organizer)
    html = page(client, plan_url)
    assert "No time fits yet" in html
    assert 'id="meetup-form"' in html


def test_a_suggestion_fills_in_the_form(client, circle, plan_url):
    client.force_login(circle.organizer)
    html = page(client, f"{plan_url}?starts_at=2030-03-12T20:30&ends_at=2030-03-12T22:00")
    assert 'name="starts_at" value="2030-03-12T20:30"' in html
    assert 'name="ends_at" value="2030-03-12T22:00"' in html


def test_a_kid_free_suggestion_makes_a_kid_free_meetup(client, circle, plan_url):
    client.force_login(circle.organizer)
    html = page(client, f"{plan_url}?duration=90&mode=kid_free&horizon=21")
    assert re.search(r'value="kid_free"\s+id="id_kid_mode_0" required checked', html)


def test_a_meetup_is_created_in_the_groups_time_zone(client, circle, plan_url):
    client.force_login(circle.organizer)
    response = client.post(plan_url, new_meetup())
    meetup = Meetup.objects.get()
    assert response.url == meetup.get_absolute_url()
    assert meetup.starts_at == next_week_at(20, 30)
    assert (meetup.created_by, meetup.status) == (circle.organizer, "confirmed")


def test_a_time_that_does_not_exist_is_explained(client, circle, plan_url):
    client.force_login(circle.organizer)
    gap = {"starts_at": "2027-03-14T02:30", "ends_at": "2027-03-14T04:00"}
    html = client.post(plan_url, new_meetup(**gap)).content.decode()
    assert "02:30 does not exist on 14 March in Chicago time" in html
    assert not Meetup.objects.exists()


def test_a_broken_rule_is_explained_on_the_form(client, circle, plan_url):
    client.force_login(circle.organizer)
    html = client.post(plan_url, new_meetup(venue_name="", venue_address="")).content.decode()
    assert "Add a venue or an online link, so members know where to go." in html
    assert not Meetup.objects.exists()


def test_an_unreadable_time_is_explained(client, circle, plan_url):
    client.force_login(circle.organizer)
    html = client.post(plan_url, new_meetup(starts_at="next tuesday")).content.decode()
    assert "Enter a date and a time, like 2026-03-10 20:30." in html
    assert not Meetup.objects.exists()


# The meetup page


def test_a_member_sees_where_it_is_and_who_is_coming(client, circle, meetup):
    rsvp_set(meetup=meetup, member=circle.co_organizer, response="going")
    client.force_login(circle.member)
    html = page(client, meetup.get_absolute_url())
    assert "Café Lula" in html
    assert "2537 N Kedzie Blvd" in html
    assert "Corinne" in html
    assert "1 going" in html


@pytest.mark.parametrize("position", ["stranger", "pending"])
def test_others_see_what_when_and_kid_mode_but_not_where_or_who(client, circle, meetup, position):
    rsvp_set(meetup=meetup, member=circle.co_organizer, response="going")
    client.force_login(circle.person(position))
    html = page(client, meetup.get_absolute_url())
    assert "Moms&#x27; night out" in html
    assert "Near ZIP 60614" in html
    assert "Kid-free" in html
    assert "Café Lula" not in html
    assert "Kedzie" not in html
    assert "Corinne" not in html


def test_an_online_link_is_for_members_only(client, circle):
    meetup = MeetupFactory(group=circle.group, venue_name="", online_link="https://meet.example/x")
    client.force_login(circle.stranger)
    assert "meet.example" not in page(client, meetup.get_absolute_url())
    client.force_login(circle.member)
    assert 'href="https://meet.example/x"' in page(client, meetup.get_absolute_url())


def test_a_meetup_of_an_unlisted_group_is_hidden_from_strangers(client, circle, meetup):
    circle.group.is_listed = False
    circle.group.save()
    client.force_login(circle.stranger)
    assert client.get(meetup.get_absolute_url()).status_code == 404


def test_the_time_shows_in_her_own_zone_too_when_it_differs(client, circle, meetup):
    profile = circle.member.profile
    profile.time_zone = "America/Los_Angeles"
    profile.save()
    client.force_login(circle.member)
    assert "In your time zone (Los Angeles time): " in page(client, meetup.get_absolute_url())


# Answering


def rsvp_url(meetup) -> str:
    return reverse("scheduling:rsvp", args=[meetup.pk])


def test_answering_without_javascript_comes_back_to_the_page_with_a_message(client, circle, meetup):
    client.force_login(circle.member)
    response = client.post(rsvp_url(meetup), {"response": "going"}, follow=True)
    assert response.redirect_chain == [(meetup.get_absolute_url(), 302)]
    assert "You&#x27;re going." in response.content.decode()
    assert Rsvp.objects.get().response == "going"


def test_answering_with_htmx_returns_the_answers_in_place(client, circle, meetup):
    client.force_login(circle.member)
    response = client.post(rsvp_url(meetup), {"response": "going"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="answers"')
    assert "<strong>1 going</strong>" in html
    assert '<div id="rsvp-status" hx-swap-oob="innerHTML">You&#x27;re going.</div>' in html


def test_her_answer_with_htmx_is_stated_once(client, circle, meetup):
    client.force_login(circle.member)
    html = client.post(rsvp_url(meetup), {"response": "going"}, **HTMX).content.decode()
    section = html[: html.index("</section>")]
    assert section.count("You&#x27;re going.") == 1
    assert "Change your answer any time before it starts." in section


@pytest.mark.parametrize(
    ("taken", "capacity", "words"),
    [
        (0, 1, "1 of 1 seat left"),
        (1, 1, "Full: its one seat is taken"),
        (2, 6, "4 of 6 seats left"),
        (5, 6, "1 of 6 seats left"),
        (6, 6, "Full: all 6 seats taken"),
    ],
)
def test_seats_are_counted_in_words(taken, capacity, words):
    assert seats(taken, capacity) == words


def test_reaching_the_quorum_with_htmx_also_updates_the_status_in_place(client, circle):
    meetup = MeetupFactory(
        group=circle.group,
        status=Meetup.Status.TENTATIVE,
        quorum=1,
        quorum_deadline=timezone.now() + timedelta(days=3),
    )
    client.force_login(circle.member)
    page = client.get(meetup.get_absolute_url()).content.decode()
    assert '<div id="meetup-status">' in page
    assert "Tentative" in page

    response = client.post(rsvp_url(meetup), {"response": "going"}, **HTMX)
    html = response.content.decode()
    status = html[html.index('<div id="meetup-status" hx-swap-oob="true">') :]
    assert "Tentative" not in status
    assert "Kid-free" in status


def tentative(circle, quorum: int = 1) -> Meetup:
    return MeetupFactory(
        group=circle.group,
        status=Meetup.Status.TENTATIVE,
        quorum=quorum,
        quorum_deadline=timezone.now() + timedelta(days=3),
    )


def test_a_tentative_meetup_that_has_enough_going_says_it_is_on(client, circle):
    meetup = tentative(circle, quorum=2)
    for woman in (circle.member, circle.organizer):
        rsvp_set(meetup=meetup, member=woman, response="going")
    client.force_login(circle.member)
    html = page(client, meetup.get_absolute_url())
    assert "It's on! 2 are going, so this meetup is confirmed." in html


def test_a_meetup_that_never_needed_a_quorum_does_not_announce_itself(client, circle, meetup):
    client.force_login(circle.member)
    assert "It's on!" not in page(client, meetup.get_absolute_url())


def test_the_organizers_page_asks_for_new_answers_every_few_seconds(client, circle, settings):
    settings.ANSWERS_POLL_SECONDS = 7
    meetup = tentative(circle)
    client.force_login(circle.organizer)
    html = page(client, meetup.get_absolute_url())
    answers_url = reverse("scheduling:meetup_answers", args=[meetup.pk])
    assert f'hx-get="{answers_url}" hx-trigger="every 7s" hx-swap="none"' in html


@pytest.mark.parametrize("whose", ["a member's", "a cancelled meetup's"])
def test_other_pages_do_not_ask_for_answers(client, circle, whose):
    meetup = tentative(circle)
    viewer = circle.member
    if whose == "a cancelled meetup's":
        meetup.status, viewer = Meetup.Status.CANCELLED, circle.organizer
        meetup.save()
    client.force_login(viewer)
    html = page(client, meetup.get_absolute_url())
    assert '<div id="answers-poll"></div>' in html


def test_the_answers_come_in_place_with_the_status(client, circle):
    meetup = tentative(circle)
    client.force_login(circle.organizer)
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    html = page(client, reverse("scheduling:meetup_answers", args=[meetup.pk]))
    for part in ("answer-counts", "answer-lists", "meetup-status", "answers-poll"):
        assert re.search(rf'<\w+ id="{part}"[^>]* hx-swap-oob="true"', html), part
    assert "<strong>1 going</strong>" in html
    assert "It's on! 1 is going" in html


def test_a_refusal_with_htmx_is_shown_in_place_and_nothing_is_saved(client, circle, meetup):
    client.force_login(circle.member)
    response = client.post(rsvp_url(meetup), {"response": "going", "kids": "2"}, **HTMX)
    assert "This meetup is kid-free, so kids stay home." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_bad_answer_is_explained(client, circle, meetup):
    client.force_login(circle.member)
    response = client.post(rsvp_url(meetup), {"response": "yes!"}, follow=True)
    assert "Select a valid choice." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_stranger_answering_with_htmx_is_sent_back_to_the_page(client, circle, meetup):
    client.force_login(circle.stranger)
    response = client.post(rsvp_url(meetup), {"response": "going"}, **HTMX)
    assert response.headers["HX-Redirect"] == meetup.get_absolute_url()
    assert not Rsvp.objects.exists()


def test_a_family_meetup_asks_how_many_kids_come(client, circle):
    meetup = MeetupFactory(group=circle.group, kid_mode="kids_along")
    client.force_login(circle.member)
    client.post(rsvp_url(meetup), {"response": "going", "kids": "2"})
    html = page(client, meetup.get_absolute_url())
    assert 'id="rsvp-kids" name="kids"' in html
    assert "with 2 kids" in html


def test_the_waitlist_shows_in_line_order(client, circle):
    meetup = MeetupFactory(group=circle.group, capacity=1)
    for person in (circle.organizer, circle.member, circle.co_organizer):
        rsvp_set(meetup=meetup, member=person, response="going")
    client.force_login(circle.member)
    html = page(client, meetup.get_absolute_url())
    assert "2 on the waitlist" in html
    assert html.index("Maya") < html.index("Corinne")
    assert "It&#x27;s full: you&#x27;re number 1 on the waitlist." in html


# Changing and cancelling


def test_the_edit_form_shows_the_times_in_the_groups_zone(client, circle, meetup):
    client.force_login(circle.organizer)
    html = page(client, reverse("scheduling:meetup_edit", args=[meetup.pk]))
    assert f'value="{local(meetup.starts_at)}"' in html


def test_a_new_place_is_saved_and_recorded(client, circle, meetup):
    client.force_login(circle.co_organizer)
    fields = new_meetup(
        title=meetup.title,
        starts_at=local(meetup.starts_at),
        ends_at=local(meetup.ends_at),
        venue_name="Hula",
    )
    response = client.post(reverse("scheduling:meetup_edit", args=[meetup.pk]), fields)
    assert response.url == meetup.get_absolute_url()
    assert MeetupChange.objects.get().new == {"venue_name": "Hula"}


def test_cancelling_asks_first_then_cancels(client, circle, meetup):
    client.force_login(circle.organizer)
    url = reverse("scheduling:meetup_cancel", args=[meetup.pk])
    assert "This can't be undone." in page(client, url)
    response = client.post(url, {"reason": "Snow."}, follow=True)
    assert "The meetup is cancelled." in response.content.decode()
    meetup.refresh_from_db()
    assert meetup.status == "cancelled"


def test_a_cancelled_meetup_offers_no_answers_or_changes(client, circle, meetup):
    meetup.status = "cancelled"
    meetup.save()
    client.force_login(circle.organizer)
    html = page(client, meetup.get_absolute_url())
    assert "This meetup is cancelled." in html
    assert 'id="rsvp-going"' not in html
    assert "Edit the meetup" not in html


# On the group page


def test_the_group_page_lists_coming_meetups_with_her_answer(client, circle, meetup):
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    client.force_login(circle.member)
    html = page(client, circle.group.get_absolute_url())
    assert f'href="{meetup.get_absolute_url()}"' in html
    assert "1 going" in html
    assert "You're going" in html


def test_strangers_see_the_coming_meetups_without_who_is_going(client, circle, meetup):
    client.force_login(circle.stranger)
    html = page(client, circle.group.get_absolute_url())
    assert "Moms&#x27; night out" in html
    assert "going" not in html


def test_organizers_find_plan_a_meetup_on_the_group_page(client, circle):
    client.force_login(circle.co_organizer)
    html = page(client, circle.group.get_absolute_url())
    assert f'href="{reverse("scheduling:meetup_create", args=[circle.group.slug])}"' in html


def test_past_meetups_leave_the_group_page(client, circle):
    MeetupFactory(
        group=circle.group,
        title="Last week",
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=1),
    )
    client.force_login(circle.member)
    assert "Last week" not in page(client, circle.group.get_absolute_url())


# Query counts do not grow with the data


@pytest.fixture
def crowd(request):
    """A group of `request.param` members, all free every evening and going to every meetup
    (one meetup per four members)."""
    group = organized_group(size_cap=50)
    every_evening = [WeeklyWindow(day, 19 * 60, 23 * 60, "kid_free") for day in range(7)]
    meetups = MeetupFactory.create_batch(request.param // 4 + 1, group=group)
    for _ in range(request.param):
        mom = MembershipFactory(group=group).member
        availability_replace(member=mom, windows=every_evening)
        for meetup in meetups:
            rsvp_set(meetup=meetup, member=mom, response="going")
    organizer = group.memberships.get(role="organizer").member
    return group, meetups[0], organizer


# Each page and its queries: session, user, her profile, then the page's own.
PAGES = {
    # the meetup with its group, her membership, the answers, the conversation and her mute
    "meetup": (lambda group, meetup: meetup.get_absolute_url(), 8),
    # the group, her membership, the members with their weekly windows
    "new meetup": (lambda group, meetup: f"/meetups/new/{group.slug}/", 7),
    # the group, her membership, the organizer, the members, the meetups with her answers
    "group": (lambda group, meetup: group.get_absolute_url(), 8),
}


@pytest.mark.parametrize("crowd", [2, 20], indirect=True)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_costs_the_same_for_a_small_or_a_big_group(
    client, crowd, name, django_assert_max_num_queries
):
    group, meetup, organizer = crowd
    url_of, queries = PAGES[name]
    client.force_login(organizer)
    with django_assert_max_num_queries(queries):
        page(client, url_of(group, meetup))

"""Series pages: planning a repeating meetup (and times for a series), the series page, an
occurrence's page, "I'm in every week" with and without htmx, this and following, ending,
the series' .ics, and what the pages cost."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from momcircle.availability.windows import WeeklyWindow
from momcircle.outbox.models import OutboxMessage
from momcircle.profiles.services import availability_replace
from scheduling.models import Meetup, MeetupSeries, Rsvp, StandingAnswer
from scheduling.services import series_keep_horizon, standing_answer_set
from scheduling.tests.series import CHICAGO, dates_of, in_chicago, next_weekday, occurrences
from scheduling.tests.series import plan_series as plan
from scheduling.tests.test_meetup_views import HTMX, local, new_meetup, page
from tests.factories import MembershipFactory, organized_group

pytestmark = pytest.mark.django_db

TUE = 1


@pytest.fixture
def plan_url(circle):
    return reverse("scheduling:meetup_create", args=[circle.group.slug])


@pytest.fixture
def series(circle):
    return plan(circle.group, circle.organizer, frequency="biweekly")


def standing_url(series) -> str:
    return reverse("scheduling:series_standing", args=[series.pk])


# Planning a series


def test_the_organizer_plans_a_meetup_every_two_weeks(client, circle, plan_url):
    client.force_login(circle.organizer)
    tuesday = in_chicago(next_weekday(TUE), 20, 30)
    fields = new_meetup(
        starts_at=local(tuesday),
        ends_at=local(tuesday + timedelta(minutes=90)),
        repeat="biweekly",
        repeat_end="after",
        repeat_count="3",
    )
    response = client.post(plan_url, fields)
    series = MeetupSeries.objects.get()
    assert response.url == series.get_absolute_url()
    assert (series.frequency, series.count, series.start_time) == ("biweekly", 3, time(20, 30))
    assert dates_of(series) == [tuesday.date() + timedelta(weeks=2 * k) for k in range(3)]


def test_a_meetup_that_does_not_repeat_is_one_meetup(client, circle, plan_url):
    client.force_login(circle.organizer)
    client.post(plan_url, new_meetup(repeat="", repeat_end="after", repeat_count="3"))
    assert Meetup.objects.get().series is None
    assert not MeetupSeries.objects.exists()


@pytest.mark.parametrize(
    ("end", "sentence"),
    [
        ({"repeat_end": "on"}, "Choose the last date, or another way it ends."),
        ({"repeat_end": "after"}, "Say how many times, or another way it ends."),
        ({"repeat": "monthly_last"}, "is not the last"),
    ],
)
def test_a_series_that_cannot_be_says_why_and_saves_nothing(
    client, circle, plan_url, end, sentence
):
    client.force_login(circle.organizer)
    first = next_weekday(TUE)
    while first.day > 7:  # the 1st Tuesday of a month, which is never its last
        first += timedelta(weeks=1)
    fields = new_meetup(
        starts_at=local(in_chicago(first, 20, 30)),
        ends_at=local(in_chicago(first, 22)),
        **{"repeat": "weekly", **end},
    )
    html = client.post(plan_url, fields).content.decode()
    assert sentence in html.replace("&#x27;", "'")
    assert not Meetup.objects.exists()


def test_times_for_a_series_weigh_the_next_eight_dates(client, circle, plan_url):
    tuesday_evening = [WeeklyWindow(TUE, 20 * 60, 23 * 60, "kid_free")]
    for woman in (circle.member, circle.organizer):
        availability_replace(member=woman, windows=tuesday_evening)
    client.force_login(circle.organizer)
    html = page(client, plan_url + "?duration=90&mode=kid_free&horizon=21&repeat=biweekly")
    assert "Suggested times for a series" in html
    assert "2 of 4 members free for at least 6 of the next 8" in html
    assert "repeat=biweekly" in html


def test_a_suggested_time_for_a_series_fills_in_the_repeat(client, circle, plan_url):
    client.force_login(circle.organizer)
    tuesday = in_chicago(next_weekday(TUE), 20, 30)
    query = f"?starts_at={local(tuesday)}&ends_at={local(tuesday + timedelta(hours=1))}"
    html = page(client, plan_url + query + "&repeat=biweekly")
    assert '<option value="biweekly" selected>' in html


# The series page and an occurrence's page


def test_the_series_page_says_when_in_words_and_lists_what_comes(client, circle, series):
    client.force_login(circle.member)
    html = page(client, series.get_absolute_url())
    assert "Every other Tuesday, 20:30–22:00 Chicago time" in html
    assert html.count('class="list-group-item"') == len(occurrences(series))
    assert "I'm in every time" in html
    assert "2537 N Kedzie Blvd" in html


def test_a_non_member_sees_when_but_not_where(client, circle, series):
    client.force_login(circle.stranger)
    html = page(client, series.get_absolute_url())
    assert "Every other Tuesday" in html
    assert "Kedzie" not in html
    assert "I'm in" not in html


def test_an_occurrence_links_to_its_series_and_offers_the_standing_answer(client, circle, series):
    client.force_login(circle.member)
    html = page(client, occurrences(series)[0].get_absolute_url())
    assert series.get_absolute_url() in html
    assert "I'm in every time" in html
    assert "Can't go this week" in html
    assert reverse("scheduling:series_ics", args=[series.pk]) in html


def test_organizers_change_one_or_the_following_ones(client, circle, series):
    client.force_login(circle.organizer)
    first = occurrences(series)[0]
    html = page(client, first.get_absolute_url())
    assert "Edit this one" in html
    assert reverse("scheduling:meetup_edit_following", args=[first.pk]) in html


# I'm in every week


def test_i_m_in_every_week_answers_going_and_sends_her_back(client, circle, series):
    client.force_login(circle.member)
    first = occurrences(series)[0]
    response = client.post(
        standing_url(series), {"standing": "on", "next": first.get_absolute_url()}
    )
    assert response.url == first.get_absolute_url()
    answers = Rsvp.objects.filter(member=circle.member, meetup__series=series)
    assert set(answers.values_list("response", flat=True)) == {"going"}
    assert answers.count() == len(occurrences(series))


def test_the_standing_answer_comes_back_in_place_with_htmx(client, circle, series):
    client.force_login(circle.member)
    response = client.post(standing_url(series), {"standing": "on"}, **HTMX)
    html = response.content.decode()
    assert html.startswith('<section id="standing"')
    assert "You&#x27;re in every time: you&#x27;re going" in html
    assert StandingAnswer.objects.filter(series=series, member=circle.member).exists()


def test_saying_so_on_the_page_plans_her_reminders(
    client, circle, series, django_capture_on_commit_callbacks
):
    client.force_login(circle.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(standing_url(series), {"standing": "on"}, **HTMX)
    reminded = OutboxMessage.objects.filter(recipient=circle.member, kind__startswith="reminder")
    assert reminded.values("subject").distinct().count() == len(occurrences(series))


def test_turning_it_off_keeps_her_answers(client, circle, series):
    standing_answer_set(series=series, member=circle.member)
    client.force_login(circle.member)
    client.post(standing_url(series), {"standing": "off"})
    assert not StandingAnswer.objects.exists()
    assert Rsvp.objects.filter(member=circle.member, response="going").count() == len(
        occurrences(series)
    )


@pytest.mark.parametrize("next_", ["https://evil.example/", "//evil.example/", ""])
def test_she_is_never_sent_off_the_site(client, circle, series, next_):
    client.force_login(circle.member)
    response = client.post(standing_url(series), {"standing": "on", "next": next_})
    assert response.url == series.get_absolute_url()


def test_a_stranger_cannot_stand_in_the_series(client, circle, series):
    client.force_login(circle.stranger)
    response = client.post(standing_url(series), {"standing": "on"}, follow=True)
    assert "Only members of this group can do that." in response.content.decode()
    assert not StandingAnswer.objects.exists()


# This and following, ending


def test_this_and_following_from_the_form(client, circle, series):
    client.force_login(circle.organizer)
    second = occurrences(series)[1]
    url = reverse("scheduling:meetup_edit_following", args=[second.pk])
    assert "Save this and the following" in page(client, url)
    fields = {
        "title": "Wine night",
        "start_time": "19:30",
        "end_time": "21:00",
        "venue_name": "Hula",
        "capacity": "",
    }
    response = client.post(url, fields)
    new = MeetupSeries.objects.exclude(pk=series.pk).get()
    assert response.url == new.get_absolute_url()
    second.refresh_from_db()
    assert (second.title, second.venue_name) == ("Wine night", "Hula")
    assert second.starts_at.astimezone(CHICAGO).time() == time(19, 30)


def test_a_meetup_of_no_series_has_no_following(client, circle, meetup):
    client.force_login(circle.organizer)
    url = reverse("scheduling:meetup_edit_following", args=[meetup.pk])
    assert client.get(url).status_code == 404


def test_ending_the_series_from_its_page(client, circle, series):
    client.force_login(circle.organizer)
    url = reverse("scheduling:series_end", args=[series.pk])
    assert "End the series" in page(client, url)
    response = client.post(url, {"reason": "Summer break"}, follow=True)
    assert "The series has ended" in response.content.decode()
    assert {meetup.status for meetup in occurrences(series)} == {"cancelled"}


# The series' calendar


def test_members_download_the_series_and_others_may_not(client, circle, series):
    url = reverse("scheduling:series_ics", args=[series.pk])
    client.force_login(circle.member)
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="moms-night-out.ics"'
    assert f"UID:series-{series.pk}@momcircle" in response.content.decode()
    client.force_login(circle.stranger)
    assert client.get(url).status_code == 403


def test_a_series_at_someones_home_keeps_its_address_for_the_organizers(client, circle):
    series = plan(circle.group, circle.organizer, at_home=True)
    first = occurrences(series)[0]
    assert first.at_home
    for url in (series.get_absolute_url(), reverse("scheduling:series_ics", args=[series.pk])):
        client.force_login(circle.member)
        assert "2537 N Kedzie Blvd" not in page(client, url)
        client.force_login(circle.organizer)
        assert "2537 N Kedzie Blvd" in page(client, url)


def test_the_series_download_is_never_stored(client, circle, series):
    client.force_login(circle.member)
    response = client.get(reverse("scheduling:series_ics", args=[series.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# What the pages cost


@pytest.fixture
def long_series(request):
    """A weekly series of `request.param` occurrences in a group of 12, each standing in it."""
    group = organized_group(size_cap=20)
    organizer = group.memberships.get().member
    series = plan(group, organizer, count=request.param)
    for _ in range(12):
        standing_answer_set(series=series, member=MembershipFactory(group=group).member)
    series_keep_horizon()
    return series, organizer


# Session, user, her profile, then the page's own.
SERIES_PAGES = {
    # the series with its group, her membership, the occurrences, the standing answers
    "series": (lambda series: series.get_absolute_url(), 7),
    # the meetup with its group and series, her membership, the answers, her standing answer,
    # the latest messages, her mute
    "occurrence": (lambda series: occurrences(series)[0].get_absolute_url(), 9),
}


@pytest.mark.parametrize("long_series", [2, 8], indirect=True)
@pytest.mark.parametrize("name", SERIES_PAGES)
def test_series_pages_cost_the_same_however_many_occurrences(
    client, long_series, name, django_assert_max_num_queries
):
    series, organizer = long_series
    url_of, queries = SERIES_PAGES[name]
    url = url_of(series)
    client.force_login(organizer)
    with django_assert_max_num_queries(queries):
        page(client, url)


def test_cancelling_one_occurrence_says_the_series_goes_on(client, circle, series):
    client.force_login(circle.organizer)
    first, second = occurrences(series)[:2]
    url = reverse("scheduling:meetup_cancel", args=[first.pk])
    assert "Only this date is cancelled: the series goes on." in page(client, url)
    client.post(url, {"reason": "Holiday"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "confirmed")

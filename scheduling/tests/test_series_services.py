"""Recurring meetups: an organizer plans a series, the horizon job keeps its occurrences made,
she changes one or the following ones, cancels one or ends it; members stand in it."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db.models import Count
from django.utils import translation

from groups.services import membership_leave
from momcircle.privacy.selectors import account_export
from momcircle.privacy.services import account_delete
from momcircle.profiles.models import KidMode
from momcircle.ratelimit import RSVP_CHANGES, spend
from momcircle.rules import RuleBroken
from scheduling import events
from scheduling.models import Meetup, MeetupChange, MeetupSeries, SeriesChange
from scheduling.services import (
    SeriesEdit,
    meetup_cancel,
    meetup_update,
    rsvp_set,
    series_end,
    series_keep_horizon,
    series_update_following,
    standing_answer_clear,
    standing_answer_set,
)
from scheduling.tasks import keep_series_horizon
from scheduling.tests.series import (
    CHICAGO,
    dates_of,
    in_chicago,
    next_weekday,
    occurrences,
    plan_series,
)
from scheduling.tests.test_meetup_services import details_of

pytestmark = pytest.mark.django_db

TUE = 1
# A Saturday three weeks before Chicago's clocks go forward (Sun 14 March 2027).
BEFORE_DST = in_chicago(date(2027, 2, 20), 12)
FIRST_TUESDAY = date(2027, 3, 2)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def edit(series: MeetupSeries, **changes) -> SeriesEdit:
    fields = {
        "title": series.title,
        "start_time": series.start_time,
        "length_minutes": series.length_minutes,
        "venue_name": series.venue_name,
        "venue_address": series.venue_address,
        "online_link": series.online_link,
        "capacity": series.capacity,
        "description": series.description,
    }
    return SeriesEdit(**{**fields, **changes})


def split_at_the_third(series: MeetupSeries, by, **changes) -> MeetupSeries:
    """This and following from its third occurrence: 19:30 unless told otherwise."""
    return series_update_following(
        meetup=occurrences(series)[2],
        by=by,
        edit=edit(series, **{"start_time": time(19, 30), **changes}),
        now=BEFORE_DST,
    )


def going(meetup: Meetup) -> set:
    return set(meetup.rsvps.filter(response="going").values_list("member", flat=True))


@pytest.fixture
def heard():
    received = []

    def listen(signal, **kwargs):
        received.append(signal)

    signals = (events.meetup_created, events.series_created, events.series_changed)
    for signal in signals:
        signal.connect(listen, weak=False)
    yield received
    for signal in signals:
        signal.disconnect(listen)


@pytest.fixture
def tuesdays(circle):
    """Every Tuesday at 20:30 from 2 March 2027, planned on 20 February."""
    return plan_series(
        circle.group, circle.organizer, starts_at=in_chicago(FIRST_TUESDAY, 20, 30), now=BEFORE_DST
    )


# Creating


def test_a_series_makes_its_occurrences_eight_weeks_ahead(tuesdays):
    assert dates_of(tuesdays) == [FIRST_TUESDAY + timedelta(weeks=k) for k in range(7)]
    first = occurrences(tuesdays)[0]
    assert (first.title, first.venue_name, first.status) == (
        "Moms' night out",
        "Café Lula",
        "confirmed",
    )


def test_the_wall_clock_stays_at_20_30_across_the_dst_change(tuesdays):
    starts = [meetup.starts_at for meetup in occurrences(tuesdays)[:3]]
    assert starts == [utc(2027, 3, 3, 2, 30), utc(2027, 3, 10, 2, 30), utc(2027, 3, 17, 1, 30)]
    assert {meetup.ends_at - meetup.starts_at for meetup in occurrences(tuesdays)} == {
        timedelta(minutes=90)
    }


def test_an_occurrence_in_the_spring_forward_gap_starts_when_the_clocks_say_03_30(circle):
    sundays = plan_series(
        circle.group,
        circle.organizer,
        starts_at=in_chicago(date(2027, 3, 7), 2, 30),
        now=BEFORE_DST,
        count=2,
    )
    gap_night = occurrences(sundays)[1]
    assert gap_night.occurrence_date == date(2027, 3, 14)
    assert gap_night.starts_at.astimezone(CHICAGO).strftime("%H:%M %Z") == "03:30 CDT"
    assert gap_night.ends_at - gap_night.starts_at == timedelta(minutes=90)


def test_every_two_weeks_and_monthly_on_the_last_tuesday(circle):
    every_other = plan_series(
        circle.group,
        circle.organizer,
        frequency="biweekly",
        starts_at=in_chicago(FIRST_TUESDAY, 20, 30),
        now=BEFORE_DST,
    )
    last = plan_series(
        circle.group,
        circle.organizer,
        frequency="monthly",
        last=True,
        starts_at=in_chicago(date(2027, 2, 23), 20, 30),
        now=in_chicago(date(2027, 2, 5), 12),
    )
    assert dates_of(every_other) == [
        date(2027, 3, 2),
        date(2027, 3, 16),
        date(2027, 3, 30),
        date(2027, 4, 13),
    ]
    assert dates_of(last) == [date(2027, 2, 23), date(2027, 3, 30)]
    assert last.week_of_month == -1


def test_a_series_for_n_times_stops_after_the_nth(circle):
    series = plan_series(circle.group, circle.organizer, count=3)
    series_keep_horizon()
    assert len(dates_of(series)) == 3


def test_a_series_until_a_date_includes_that_date(circle):
    first = next_weekday(TUE)
    series = plan_series(circle.group, circle.organizer, until=first + timedelta(weeks=2))
    assert dates_of(series) == [first, first + timedelta(weeks=1), first + timedelta(weeks=2)]


def test_the_group_hears_of_a_new_series_once(circle, heard, run_on_commit):
    run_on_commit(plan_series, circle.group, circle.organizer)
    assert heard == [events.series_created]


@pytest.mark.parametrize(
    ("repeat", "sentence"),
    [
        ({"frequency": "daily"}, "every week, every 2 weeks or monthly"),
        ({"frequency": "monthly", "last": True}, "is not the last Tuesday"),
        ({"count": 0}, "from 1 to 200 times"),
        ({"until": date(2020, 1, 1)}, "before the first one"),
    ],
)
def test_a_series_that_cannot_be_is_explained_and_not_saved(circle, repeat, sentence):
    starts_at = in_chicago(date(2027, 3, 9), 20, 30)
    with pytest.raises(RuleBroken, match=sentence):
        plan_series(circle.group, circle.organizer, starts_at=starts_at, now=BEFORE_DST, **repeat)
    assert not MeetupSeries.objects.exists()
    assert not Meetup.objects.exists()


def test_only_organizers_plan_a_series(circle):
    with pytest.raises(RuleBroken, match="Only the organizers"):
        plan_series(circle.group, circle.member)


# The horizon


def test_the_horizon_job_adds_the_week_that_came_into_reach_and_nothing_twice(tuesdays):
    assert series_keep_horizon(now=BEFORE_DST) == 0
    a_week_later = BEFORE_DST + timedelta(weeks=1)
    assert series_keep_horizon(now=a_week_later) == 1
    assert series_keep_horizon(now=a_week_later) == 0
    assert dates_of(tuesdays)[-1] == FIRST_TUESDAY + timedelta(weeks=7)


def test_the_horizon_job_makes_no_occurrence_that_has_started(circle):
    series = plan_series(
        circle.group, circle.organizer, starts_at=in_chicago(FIRST_TUESDAY, 20, 30), now=BEFORE_DST
    )
    Meetup.objects.filter(series=series).delete()
    series_keep_horizon(now=in_chicago(date(2027, 3, 16), 21))
    assert dates_of(series)[0] == date(2027, 3, 23)


def test_a_cancelled_occurrence_is_not_made_again(tuesdays, circle):
    first = occurrences(tuesdays)[0]
    meetup_cancel(meetup=first, by=circle.organizer, now=BEFORE_DST)
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=1))
    assert Meetup.objects.filter(series=tuesdays, occurrence_date=FIRST_TUESDAY).count() == 1
    first.refresh_from_db()
    assert first.is_cancelled


def test_an_archived_group_s_series_makes_no_more(tuesdays, circle):
    circle.group.is_archived = True
    circle.group.save()
    assert series_keep_horizon(now=BEFORE_DST + timedelta(weeks=3)) == 0


# Standing answers


def test_standing_in_a_series_answers_going_for_the_occurrences_already_made(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    assert all(circle.member.pk in going(meetup) for meetup in occurrences(tuesdays))


def test_standing_leaves_an_answer_she_already_gave_alone(tuesdays, circle):
    first = occurrences(tuesdays)[0]
    rsvp_set(meetup=first, member=circle.member, response="cant_go", now=BEFORE_DST)
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    assert first.rsvps.get(member=circle.member).response == "cant_go"


def test_each_new_occurrence_has_her_going(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=1))
    newest = occurrences(tuesdays)[-1]
    assert newest.occurrence_date == FIRST_TUESDAY + timedelta(weeks=7)
    assert going(newest) == {circle.member.pk}


def test_standing_answers_take_seats_in_the_order_they_were_given(circle):
    series = plan_series(circle.group, circle.organizer, capacity=1, count=2)
    newest = occurrences(series)[1]
    Meetup.objects.filter(pk=newest.pk).delete()
    for woman in (circle.member, circle.other_member.member):
        standing_answer_set(series=series, member=woman)
    series_keep_horizon()
    remade = occurrences(series)[1]
    answers = dict(remade.rsvps.values_list("member", "response"))
    assert answers == {circle.member.pk: "going", circle.other_member.member.pk: "waitlisted"}


def test_on_a_new_occurrence_kids_take_seats_and_the_line_is_numbered_in_order(circle):
    series = plan_series(
        circle.group,
        circle.organizer,
        capacity=3,
        count=2,
        kid_mode=KidMode.KIDS_ALONG,
        kids_take_seats=True,
    )
    newest = occurrences(series)[1]
    Meetup.objects.filter(pk=newest.pk).delete()
    women = (circle.member, circle.other_member.member, circle.co_organizer, circle.organizer)
    for woman, kids in zip(women, (1, 1, 0, 0), strict=True):
        standing_answer_set(series=series, member=woman, kids=kids)
    series_keep_horizon()
    remade = occurrences(series)[1]
    answers = {
        member: (response, position)
        for member, response, position in remade.rsvps.values_list(
            "member", "response", "waitlist_position"
        )
    }
    # Maya and her kid take two of the three seats; Tess's kid would need a fourth, so she
    # waits, and those after her wait behind her though a seat is free.
    assert answers == {
        circle.member.pk: ("going", None),
        circle.other_member.member.pk: ("waitlisted", 1),
        circle.co_organizer.pk: ("waitlisted", 2),
        circle.organizer.pk: ("waitlisted", 3),
    }


def test_the_horizon_job_answers_for_her_whatever_her_rsvp_rate_limit(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    for _ in range(RSVP_CHANGES.count - 1):
        spend(RSVP_CHANGES, member=circle.member)
    with pytest.raises(RuleBroken, match="a lot of requests"):
        rsvp_set(meetup=occurrences(tuesdays)[0], member=circle.member, response="maybe")
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=1))
    assert circle.member.pk in going(occurrences(tuesdays)[-1])


def test_a_quorum_her_standing_answer_reaches_makes_a_new_occurrence_confirmed_quietly(circle):
    series = plan_series(
        circle.group,
        circle.organizer,
        starts_at=in_chicago(FIRST_TUESDAY, 20, 30),
        now=BEFORE_DST,
        quorum=1,
        quorum_deadline=in_chicago(FIRST_TUESDAY - timedelta(days=1), 20, 30),
    )
    assert {meetup.status for meetup in occurrences(series)} == {"tentative"}
    standing_answer_set(series=series, member=circle.member, now=BEFORE_DST)
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=1))
    newest = occurrences(series)[-1]
    assert newest.status == "confirmed"
    assert newest.quorum_deadline == newest.starts_at - timedelta(days=1)
    assert not newest.changes.exists()


def test_turning_it_off_leaves_her_answers_and_answers_no_new_one(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    standing_answer_clear(series=tuesdays, member=circle.member)
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=1))
    *made_before, newest = occurrences(tuesdays)
    assert all(circle.member.pk in going(meetup) for meetup in made_before)
    assert not newest.rsvps.exists()


def test_can_t_go_this_week_frees_her_seat_for_the_next_in_line_and_she_stays_standing(circle):
    series = plan_series(circle.group, circle.organizer, capacity=1, count=1)
    for woman in (circle.member, circle.other_member.member):
        standing_answer_set(series=series, member=woman)
    [week] = occurrences(series)
    rsvp_set(meetup=week, member=circle.member, response="cant_go")
    assert going(week) == {circle.other_member.member.pk}
    assert series.standing_answers.filter(member=circle.member).exists()


def test_only_members_stand_in_a_series(tuesdays, circle):
    with pytest.raises(RuleBroken, match="Only members"):
        standing_answer_set(series=tuesdays, member=circle.stranger, now=BEFORE_DST)


def test_kids_stay_home_from_a_kid_free_series(tuesdays, circle):
    with pytest.raises(RuleBroken, match="kid-free"):
        standing_answer_set(series=tuesdays, member=circle.member, kids=2, now=BEFORE_DST)


def test_leaving_the_group_ends_her_standing_answers(tuesdays, circle, run_on_commit):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    run_on_commit(membership_leave, group=circle.group, member=circle.member)
    assert not tuesdays.standing_answers.exists()


def test_deleting_her_account_removes_her_standing_answers_and_hands_her_seats_on(circle):
    series = plan_series(circle.group, circle.organizer, capacity=1, count=2)
    for woman in (circle.member, circle.other_member.member):
        standing_answer_set(series=series, member=woman)
    account_delete(user=circle.member)
    assert list(series.standing_answers.values_list("member", flat=True)) == [
        circle.other_member.member.pk
    ]
    assert [going(meetup) for meetup in occurrences(series)] == [
        {circle.other_member.member.pk}
    ] * 2


# Changing one, or this and following


def test_changing_one_occurrence_makes_it_an_override_its_series_leaves_alone(tuesdays, circle):
    second = occurrences(tuesdays)[1]
    later = second.starts_at + timedelta(hours=1)
    meetup_update(
        meetup=second,
        by=circle.organizer,
        details=details_of(second, starts_at=later, ends_at=later + timedelta(minutes=90)),
        now=BEFORE_DST,
    )
    series_update_following(
        meetup=occurrences(tuesdays)[0],
        by=circle.organizer,
        edit=edit(tuesdays, venue_name="Hula"),
        now=BEFORE_DST,
    )
    second.refresh_from_db()
    assert (second.is_override, second.venue_name, second.starts_at) == (True, "Café Lula", later)


def test_this_and_following_from_a_later_one_splits_the_series(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    new = split_at_the_third(tuesdays, circle.organizer)
    tuesdays.refresh_from_db()
    assert (tuesdays.ends_on, tuesdays.sequence) == (date(2027, 3, 15), 1)
    assert (new.starts_on, new.start_time, new.continues) == (
        date(2027, 3, 16),
        time(19, 30),
        tuesdays,
    )
    assert dates_of(tuesdays) == [date(2027, 3, 2), date(2027, 3, 9)]
    assert dates_of(new)[0] == date(2027, 3, 16)
    moved = occurrences(new)
    assert {m.starts_at.astimezone(CHICAGO).time() for m in moved} == {time(19, 30)}
    assert {m.starts_at.astimezone(CHICAGO).time() for m in occurrences(tuesdays)} == {time(20, 30)}
    assert list(new.standing_answers.values_list("member", flat=True)) == [circle.member.pk]


def test_the_continued_series_keeps_making_its_own_occurrences_and_the_old_one_none(
    tuesdays, circle
):
    new = split_at_the_third(tuesdays, circle.organizer)
    series_keep_horizon(now=BEFORE_DST + timedelta(weeks=2))
    assert dates_of(tuesdays) == [date(2027, 3, 2), date(2027, 3, 9)]
    assert dates_of(new)[-1] == FIRST_TUESDAY + timedelta(weeks=8)


def test_this_and_following_from_the_first_changes_the_series_itself(tuesdays, circle):
    same = series_update_following(
        meetup=occurrences(tuesdays)[0],
        by=circle.organizer,
        edit=edit(tuesdays, title="Wine!"),
        now=BEFORE_DST,
    )
    assert (same.pk, same.sequence, same.title) == (tuesdays.pk, 1, "Wine!")
    assert {meetup.title for meetup in occurrences(tuesdays)} == {"Wine!"}


def test_a_split_series_for_n_times_keeps_the_rest_of_its_count(circle):
    series = plan_series(circle.group, circle.organizer, count=5)
    third = occurrences(series)[2]
    new = series_update_following(
        meetup=third, by=circle.organizer, edit=edit(series, venue_name="Hula")
    )
    assert new.count == 3
    assert len(dates_of(series)) + len(dates_of(new)) == 5


def test_members_hear_of_a_change_to_the_following_ones_once(
    tuesdays, circle, heard, run_on_commit
):
    for meetup in occurrences(tuesdays):
        rsvp_set(meetup=meetup, member=circle.member, response="going", now=BEFORE_DST)
    run_on_commit(
        series_update_following,
        meetup=occurrences(tuesdays)[1],
        by=circle.organizer,
        edit=edit(tuesdays, start_time=time(19, 0)),
        now=BEFORE_DST,
    )
    assert heard == [events.series_changed]
    change = SeriesChange.objects.get()
    assert (change.old, change.new) == ({"time": "20:30–22:00"}, {"time": "19:00–20:30"})
    meetup_changes = MeetupChange.objects.all()
    assert meetup_changes.count() == 6
    assert {c.series_change_id for c in meetup_changes} == {change.pk}


def test_fewer_seats_than_taken_on_one_of_them_is_refused_and_names_the_day(tuesdays, circle):
    fourth = occurrences(tuesdays)[3]
    for woman in (circle.member, circle.other_member.member):
        rsvp_set(meetup=fourth, member=woman, response="going", now=BEFORE_DST)
    with pytest.raises(RuleBroken, match="On Tue 23 Mar: 2 seats are already taken"):
        series_update_following(
            meetup=occurrences(tuesdays)[0],
            by=circle.organizer,
            edit=edit(tuesdays, capacity=1),
            now=BEFORE_DST,
        )
    tuesdays.refresh_from_db()
    assert (tuesdays.capacity, tuesdays.sequence) == (None, 0)
    assert not SeriesChange.objects.exists()


def test_in_spanish_a_series_ending_before_it_starts_is_refused_in_spanish(circle):
    first = next_weekday(1)
    with translation.override("es"), pytest.raises(RuleBroken, match="La última fecha no puede"):
        plan_series(circle.group, circle.organizer, until=first - timedelta(days=1))


def test_in_spanish_the_refusal_names_the_day_in_spanish(tuesdays, circle):
    fourth = occurrences(tuesdays)[3]
    for woman in (circle.member, circle.other_member.member):
        rsvp_set(meetup=fourth, member=woman, response="going", now=BEFORE_DST)
    with translation.override("es"), pytest.raises(RuleBroken, match=r"^El mar 23 mar: "):
        series_update_following(
            meetup=occurrences(tuesdays)[0],
            by=circle.organizer,
            edit=edit(tuesdays, capacity=1),
            now=BEFORE_DST,
        )


def test_the_same_details_change_nothing(tuesdays, circle):
    series_update_following(
        meetup=occurrences(tuesdays)[0], by=circle.organizer, edit=edit(tuesdays), now=BEFORE_DST
    )
    tuesdays.refresh_from_db()
    assert tuesdays.sequence == 0
    assert not SeriesChange.objects.exists()


def test_only_organizers_change_a_series(tuesdays, circle):
    with pytest.raises(RuleBroken, match="Only the organizers"):
        series_update_following(
            meetup=occurrences(tuesdays)[0],
            by=circle.member,
            edit=edit(tuesdays, title="Mine"),
            now=BEFORE_DST,
        )


# Ending


def test_ending_the_series_cancels_what_is_to_come_and_keeps_what_took_place(
    tuesdays, circle, heard, run_on_commit
):
    during = in_chicago(date(2027, 3, 10), 12)
    run_on_commit(
        series_end, series=tuesdays, by=circle.organizer, reason="Summer break", now=during
    )
    tuesdays.refresh_from_db()
    assert (tuesdays.is_ended, tuesdays.ends_on, tuesdays.sequence) == (True, date(2027, 3, 9), 1)
    statuses = [meetup.status for meetup in occurrences(tuesdays)]
    assert statuses == ["confirmed", "confirmed"] + ["cancelled"] * 5
    assert heard == [events.series_changed]
    assert series_keep_horizon(now=during + timedelta(weeks=2)) == 0


def test_an_ended_series_cannot_be_ended_or_stood_in_again(tuesdays, circle):
    series_end(series=tuesdays, by=circle.organizer, now=BEFORE_DST)
    with pytest.raises(RuleBroken, match="This series has ended"):
        series_end(series=tuesdays, by=circle.organizer, now=BEFORE_DST)
    with pytest.raises(RuleBroken, match="This series has ended"):
        standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)


def test_occurrences_count_once_per_date(tuesdays):
    per_date = (
        Meetup.objects.filter(series=tuesdays).values("occurrence_date").annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_date} == {1}


def test_her_data_export_names_the_series_she_stands_in(tuesdays, circle):
    standing_answer_set(series=tuesdays, member=circle.member, now=BEFORE_DST)
    [standing] = account_export(circle.member)["standing_answers"]
    assert (standing["series"], standing["group"], standing["kids"]) == (
        "Moms' night out",
        circle.group.name,
        0,
    )


def test_the_hourly_beat_task_keeps_the_horizon(circle, settings):
    assert settings.CELERY_BEAT_SCHEDULE["keep-series-horizon"]["task"] == (
        "scheduling.keep_series_horizon"
    )
    series = plan_series(circle.group, circle.organizer)
    made = len(dates_of(series))
    Meetup.objects.filter(series=series).delete()
    assert keep_series_horizon() == made


def test_the_horizon_is_a_setting(circle, settings):
    settings.SERIES_HORIZON_WEEKS = 2
    series = plan_series(
        circle.group, circle.organizer, starts_at=in_chicago(FIRST_TUESDAY, 20, 30), now=BEFORE_DST
    )
    assert dates_of(series) == [FIRST_TUESDAY]

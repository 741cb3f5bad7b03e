"""A series in members' inboxes: announced once, each change to it told once (not once per
meetup it moved or cancelled), reminders with "Can't go this week", as they arrive at a real
SMTP sink."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from momcircle.notifications.digest import weekly_digest
from momcircle.notifications.links import skip_url
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import outbox_dispatch
from scheduling.models import Meetup, Rsvp
from scheduling.services import (
    rsvp_set,
    series_end,
    series_keep_horizon,
    series_update_following,
    standing_answer_set,
)
from scheduling.tests.series import occurrences, plan_series
from scheduling.tests.test_series_services import edit

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def make_due():
    OutboxMessage.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())


def rows(kind: str):
    return OutboxMessage.objects.filter(kind=kind)


def change_from_the_first(run_on_commit, series, circle, **changes) -> None:
    """This and following from its first meetup, after commit as on the site."""
    run_on_commit(
        series_update_following,
        meetup=occurrences(series)[0],
        by=circle.organizer,
        edit=edit(series, **changes),
    )


@pytest.fixture
def series(run_on_commit, circle):
    """Every other Tuesday at 20:30, with Maya in every time and Tess going to the second."""
    series = run_on_commit(plan_series, circle.group, circle.organizer, frequency="biweekly")
    run_on_commit(standing_answer_set, series=series, member=circle.member)
    run_on_commit(
        rsvp_set, meetup=occurrences(series)[1], member=circle.other_member.member, response="going"
    )
    return series


def test_a_new_series_is_announced_once_not_once_per_meetup(smtp_sink, series, circle):
    assert not rows("meetup_new").exists()
    announced = rows("series_new")
    assert {row.recipient for row in announced} == {
        circle.member,
        circle.co_organizer,
        circle.other_member.member,
    }
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(circle.member.email)
    assert mail["Subject"] == f"New in {circle.group.name}: Moms' night out, every other tuesday"
    text = mail.get_body(("plain",)).get_content()
    assert "When: Every other Tuesday, 20:30–22:00 Chicago time" in text
    assert f"See the series: {settings.SITE_URL}{series.get_absolute_url()}" in text
    assert 'Say "I\'m in every time" on its page' in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_changing_the_following_ones_is_told_once_to_each_who_is_concerned(
    smtp_sink, run_on_commit, series, circle
):
    OutboxMessage.objects.all().delete()
    change_from_the_first(run_on_commit, series, circle, start_time=time(19, 30), venue_name="Hula")
    assert not rows("meetup_changed").exists()
    told = rows("series_changed")
    assert sorted(row.recipient.pk for row in told) == sorted(
        [circle.member.pk, circle.other_member.member.pk]
    )
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(circle.member.email)
    first_day = occurrences(series)[0].occurrence_date
    assert mail["Subject"] == f"Changed from {first_day:%a %-d %b} on: Moms' night out"
    text = mail.get_body(("plain",)).get_content()
    assert "Time: 20:30–22:00 -> 19:30–21:00" in text
    assert "Place: Café Lula -> Hula" in text
    assert "<s>20:30–22:00</s>" in mail.get_body(("html",)).get_content()


def test_her_reminders_follow_the_new_time(run_on_commit, series, circle):
    first = occurrences(series)[0]
    change_from_the_first(run_on_commit, series, circle, start_time=time(19, 30))
    first.refresh_from_db()
    waiting = OutboxMessage.objects.filter(
        recipient=circle.member, subject=subject_key(first), status=Status.PENDING
    )
    assert {row.occurrence.split("@")[1] for row in waiting} == {first.starts_at.isoformat()}


def test_ending_the_series_is_told_once_and_drops_its_reminders(
    smtp_sink, run_on_commit, series, circle
):
    run_on_commit(series_end, series=series, by=circle.organizer, reason="Summer break")
    assert not rows("meetup_cancelled").exists()
    assert rows("series_ended").count() == 2
    assert not OutboxMessage.objects.filter(
        kind__startswith="reminder", status=Status.PENDING
    ).exists()
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(circle.other_member.member.email)
    assert mail["Subject"] == "Ended: Moms' night out"
    assert 'The organizers wrote: "Summer break"' in mail.get_body(("plain",)).get_content()


def test_a_series_change_is_not_sent_once_she_turned_updates_off(
    smtp_sink, run_on_commit, series, circle
):
    OutboxMessage.objects.all().delete()
    change_from_the_first(run_on_commit, series, circle, title="Wine night")
    circle.member.profile.meetup_updates = False
    circle.member.profile.save()
    make_due()
    outbox_dispatch()
    assert smtp_sink.inbox.to(circle.member.email) == []
    assert smtp_sink.inbox.to(circle.other_member.member.email) != []


def test_the_reminder_of_a_series_meetup_offers_can_t_go_this_week(smtp_sink, series, circle):
    first = occurrences(series)[0]
    OutboxMessage.objects.exclude(recipient=circle.member, subject=subject_key(first)).delete()
    make_due()
    OutboxMessage.objects.update(due_at=timezone.now())
    outbox_dispatch()
    mail = smtp_sink.inbox.to(circle.member.email)[0]
    text = mail.get_body(("plain",)).get_content()
    assert f"Can't go this week: {settings.SITE_URL}/email/rsvp/" in text
    assert "/skip/" in text
    assert "Can't go / change my RSVP: http" in text


def test_can_t_go_this_week_asks_first_and_answers_on_the_button(client, series, circle):
    first = occurrences(series)[0]
    path = skip_url(member=circle.member, meetup=first).removeprefix(settings.SITE_URL)
    assert "Can't go this week" in client.get(path).content.decode()
    assert first.rsvps.get(member=circle.member).response == Rsvp.Response.GOING
    client.post(path)
    assert first.rsvps.get(member=circle.member).response == Rsvp.Response.CANT_GO
    assert series.standing_answers.filter(member=circle.member).exists()


def test_the_weekly_digest_lists_a_new_series_once(series, circle):
    reader = circle.co_organizer
    reader.profile.announcements = "weekly_digest"
    reader.profile.save()
    OutboxMessage.objects.all().delete()
    row = OutboxMessage.objects.create(
        recipient=reader,
        kind="weekly_digest",
        occurrence="test",
        due_at=timezone.now() + timedelta(minutes=1),
        next_attempt_at=timezone.now(),
    )
    assert len(occurrences(series)) > 1
    assert weekly_digest(row).body.count("Moms' night out") == 1


def test_the_horizon_job_plans_the_reminders_of_the_answers_it_gives(run_on_commit, series, circle):
    circle.other_member.member.profile.reminder_timing = "hours_before"
    circle.other_member.member.profile.save()
    run_on_commit(standing_answer_set, series=series, member=circle.other_member.member)
    newest = occurrences(series)[-1]
    Meetup.objects.filter(pk=newest.pk).delete()
    run_on_commit(series_keep_horizon)
    remade = occurrences(series)[-1]
    waiting = OutboxMessage.objects.filter(subject=subject_key(remade), status=Status.PENDING)
    assert sorted(waiting.values_list("recipient", "kind")) == sorted(
        [
            (circle.member.pk, "reminder_evening"),
            (circle.member.pk, "reminder_hours"),
            (circle.other_member.member.pk, "reminder_hours"),
        ]
    )
    hours = waiting.get(recipient=circle.other_member.member)
    assert hours.due_at == remade.starts_at - timedelta(hours=2)

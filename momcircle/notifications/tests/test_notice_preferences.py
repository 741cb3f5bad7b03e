"""What waits in the outbox for her follows the email preferences she saves."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import outbox_enqueue
from momcircle.privacy.selectors import account_export
from momcircle.profiles.services import profile_save, profile_set_notification_preferences
from scheduling.services import rsvp_set
from scheduling.tests.factories import MeetupFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def her(circle):
    circle.member.profile.time_zone = "America/New_York"
    circle.member.profile.save()
    return circle.member


@pytest.fixture
def going(django_capture_on_commit_callbacks, meetup, her):
    """She said she is going to the meetup, so her two reminders wait in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_set(meetup=meetup, member=her, response="going")
    return meetup


@pytest.fixture
def set_preferences(run_on_commit):
    def save(member, **preferences):
        run_on_commit(
            profile_set_notification_preferences, profile=member.profile, preferences=preferences
        )

    return save


def waiting(member, kind):
    return OutboxMessage.objects.filter(recipient=member, kind=kind, status=Status.PENDING)


def evening_before(meetup, at: time) -> datetime:
    day_before = meetup.starts_at.astimezone(NEW_YORK).date() - timedelta(days=1)
    return datetime.combine(day_before, at, tzinfo=NEW_YORK)


def test_moving_her_evening_time_on_the_settings_page_moves_her_waiting_reminder(
    run_on_commit, client, going, her
):
    client.force_login(her)
    response = run_on_commit(
        client.post,
        reverse("profiles:notifications"),
        {
            "reminder_timing": "both",
            "reminder_evening_time": "18:30",
            "reminder_hours_before": "2",
            "announcements": "immediately",
            "meetup_updates": "on",
        },
    )
    assert response.status_code == 302
    (reminder,) = waiting(her, "reminder_evening")
    assert reminder.due_at == evening_before(going, time(18, 30))


def test_more_hours_ahead_moves_the_hours_before_reminder(set_preferences, going, her):
    set_preferences(her, reminder_hours_before=5)
    (reminder,) = waiting(her, "reminder_hours")
    assert reminder.due_at == going.starts_at - timedelta(hours=5)


def test_no_reminders_drops_those_waiting(set_preferences, going, her):
    set_preferences(her, reminder_timing="none")
    assert not OutboxMessage.objects.filter(
        recipient=her, kind__startswith="reminder", status=Status.PENDING
    ).exists()
    assert OutboxMessage.objects.filter(recipient=her, status=Status.DROPPED).count() == 2


def test_turning_reminders_back_on_plans_them_for_meetups_still_ahead(
    set_preferences, django_capture_on_commit_callbacks, meetup, her, circle
):
    set_preferences(her, reminder_timing="none")
    over = MeetupFactory(group=circle.group)
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_set(meetup=meetup, member=her, response="maybe")
        rsvp_set(meetup=over, member=her, response="going")
    type(over).objects.filter(pk=over.pk).update(status="cancelled")
    set_preferences(her, reminder_timing="evening_before")
    (reminder,) = waiting(her, "reminder_evening")
    assert reminder.subject == subject_key(meetup)
    assert reminder.due_at == evening_before(meetup, time(20, 0))
    assert not waiting(her, "reminder_hours").exists()


def test_turning_updates_off_drops_the_updates_waiting_but_not_her_reminders(
    set_preferences, going, her
):
    outbox_enqueue(
        recipients=[her],
        kind="meetup_changed",
        subject=subject_key(going),
        due_at=going.starts_at,
        occurrence="1",
    )
    set_preferences(her, meetup_updates=False)
    assert not waiting(her, "meetup_changed").exists()
    assert waiting(her, "reminder_evening").exists()


def test_switching_from_the_digest_to_no_announcements_drops_the_waiting_digest(
    set_preferences, her, meetup
):
    set_preferences(her, announcements="weekly_digest")
    outbox_enqueue(
        recipients=[her], kind="weekly_digest", due_at=meetup.starts_at, occurrence="2026-W48"
    )
    set_preferences(her, announcements="off")
    assert not waiting(her, "weekly_digest").exists()


def test_the_settings_page_offers_updates_about_her_meetups(client, her):
    client.force_login(her)
    page = client.get(reverse("profiles:notifications")).content.decode()
    assert 'name="meetup_updates"' in page
    assert "Email me when a meetup I answered changes" in page


def test_her_data_export_includes_her_choice_about_updates(set_preferences, her):
    set_preferences(her, meetup_updates=False)
    preferences = account_export(her)["profile"]["notification_preferences"]
    assert preferences["meetup_updates"] is False


def test_a_new_time_zone_moves_her_evening_reminder_to_that_clock(run_on_commit, going, her):
    fields = {"time_zone": "America/Los_Angeles"}
    run_on_commit(profile_save, user=her, fields=fields)
    (reminder,) = waiting(her, "reminder_evening")
    day_before = going.starts_at.astimezone(LOS_ANGELES).date() - timedelta(days=1)
    assert reminder.due_at == datetime.combine(day_before, time(20, 0), tzinfo=LOS_ANGELES)


def test_a_reminder_already_due_is_not_dropped_by_a_new_setting(set_preferences, going, her):
    """It may be waiting for the next dispatch or for a retry after the mail server failed."""
    overdue = timezone.now() - timedelta(minutes=3)
    waiting(her, "reminder_hours").update(
        due_at=overdue, next_attempt_at=timezone.now() + timedelta(minutes=1), attempts=1
    )
    set_preferences(her, reminder_evening_time=time(18, 30))
    (reminder,) = waiting(her, "reminder_hours")
    assert reminder.due_at == overdue

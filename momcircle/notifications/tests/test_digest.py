"""The weekly digest: new meetups in her groups, on Sunday at 5 pm in her own time zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from momcircle.notifications import links, tasks
from momcircle.notifications.digest import digest_moment
from momcircle.notifications.services import weekly_digests_queue
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import outbox_dispatch, outbox_enqueue
from scheduling.tests.factories import MeetupFactory
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def reader(member, zone="America/New_York"):
    member.profile.announcements = "weekly_digest"
    member.profile.time_zone = zone
    member.profile.save()
    return member


@pytest.fixture
def her(circle):
    return reader(circle.member)


def announced(meetup, at):
    type(meetup).objects.filter(pk=meetup.pk).update(created_at=at)
    return meetup


def this_weeks_digest(member) -> datetime:
    """Queue her latest digest, as the beat does a minute after it came due."""
    moment = digest_moment(member.profile.time_zone, timezone.now())
    weekly_digests_queue(now=moment + timedelta(minutes=1))
    return moment


def digests():
    return OutboxMessage.objects.filter(kind="weekly_digest")


# --- when --------------------------------------------------------------------------------------


def test_her_digest_is_due_at_five_pm_on_sunday_in_her_own_zone(circle):
    new_yorker = reader(circle.member, "America/New_York")
    angeleno = reader(circle.other_member.member, "America/Los_Angeles")
    # Sunday 8 March 2026, the day US clocks moved forward: 17:05 in New York, 14:05 in LA.
    assert weekly_digests_queue(now=datetime(2026, 3, 8, 21, 5, tzinfo=UTC)) == 1
    (digest,) = digests()
    assert digest.recipient == new_yorker
    assert digest.due_at == datetime(2026, 3, 8, 17, 0, tzinfo=NEW_YORK)
    assert digest.subject == ""
    assert digest.occurrence == "2026-W10"
    assert weekly_digests_queue(now=datetime(2026, 3, 9, 0, 5, tzinfo=UTC)) == 1
    assert digests().get(recipient=angeleno).due_at == datetime(
        2026, 3, 8, 17, 0, tzinfo=LOS_ANGELES
    )


def test_nothing_is_queued_before_her_sunday_five_pm(her):
    assert weekly_digests_queue(now=datetime(2026, 3, 8, 20, 55, tzinfo=UTC)) == 0
    assert not digests().exists()


def test_a_late_beat_catches_up_that_evening_but_not_the_next_day(her):
    assert weekly_digests_queue(now=datetime(2026, 3, 10, 12, 0, tzinfo=UTC)) == 0
    assert weekly_digests_queue(now=datetime(2026, 3, 9, 2, 0, tzinfo=UTC)) == 1
    assert digests().get().due_at == datetime(2026, 3, 8, 17, 0, tzinfo=NEW_YORK)


def test_only_members_who_chose_the_digest_get_one(circle, her):
    circle.other_member.member.is_active = False
    reader(circle.other_member.member).save()
    weekly_digests_queue(now=datetime(2026, 3, 8, 21, 5, tzinfo=UTC))
    assert [digest.recipient for digest in digests()] == [her]


def test_queueing_again_the_same_week_adds_nothing_whatever_became_of_the_first(her):
    sunday_evening = datetime(2026, 3, 8, 21, 5, tzinfo=UTC)
    weekly_digests_queue(now=sunday_evening)
    digests().update(status=Status.DROPPED)
    assert weekly_digests_queue(now=sunday_evening + timedelta(minutes=15)) == 0
    assert digests().get().status == Status.DROPPED


def test_the_beat_runs_the_digest_task():
    entry = settings.CELERY_BEAT_SCHEDULE["queue-weekly-digests"]
    assert entry["task"] == tasks.queue_weekly_digests.name


# --- what --------------------------------------------------------------------------------------


def test_the_digest_lists_new_upcoming_meetups_of_her_groups_with_links(smtp_sink, circle, her):
    moment = this_weeks_digest(her)
    listed = MeetupFactory(group=circle.group, title="Book swap", created_by=circle.organizer)
    announced(listed, moment - timedelta(days=1))
    not_listed = {
        "cancelled": MeetupFactory(group=circle.group, title="Rained out", status="cancelled"),
        "past": MeetupFactory(
            group=circle.group, title="Last night", starts_at=timezone.now() - timedelta(hours=3)
        ),
        "hers": MeetupFactory(group=circle.group, title="Her own walk", created_by=her),
        "elsewhere": MeetupFactory(group=GroupFactory(), title="Another group"),
    }
    for meetup in not_listed.values():
        announced(meetup, moment - timedelta(days=1))
    announced(MeetupFactory(group=circle.group, title="Old news"), moment - timedelta(days=8))
    announced(MeetupFactory(group=circle.group, title="Next week's"), moment + timedelta(minutes=1))

    assert outbox_dispatch().sent == 1
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == "1 new meetup in your groups this week"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    meetup_url = settings.SITE_URL + listed.get_absolute_url()
    assert "Book swap" in text
    assert f"See the meetup: {meetup_url}" in text
    assert f'href="{meetup_url}"' in html
    assert "/email/rsvp/" in html
    for title in ["Rained out", "Last night", "Her own walk", "Another group", "Old news"]:
        assert title not in text
    assert "Next week" not in text
    unsubscribe = mail["List-Unsubscribe"].strip()[1:-1]
    token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
    assert links.unsubscribe_from(token)[1] == "announcements"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert escape(unsubscribe) in html


def test_the_digest_picks_up_where_the_previous_one_left_off(smtp_sink, circle, her):
    moment = this_weeks_digest(her)
    outbox_enqueue(
        recipients=[her], kind="weekly_digest", due_at=moment - timedelta(days=2), occurrence="x"
    )
    OutboxMessage.objects.filter(occurrence="x").update(status=Status.SENT)
    announced(MeetupFactory(group=circle.group, title="Told already"), moment - timedelta(days=3))
    announced(MeetupFactory(group=circle.group, title="Since then"), moment - timedelta(days=1))
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    text = mail.get_body(("plain",)).get_content()
    assert "Since then" in text
    assert "Told already" not in text


def test_the_week_clocks_fall_back_loses_no_hour(smtp_sink, circle, her):
    # New York: Sunday 25 October 2026 17:00 EDT, then Sunday 1 November 17:00 EST, 169 h later.
    previous = datetime(2026, 10, 25, 21, 0, tzinfo=UTC)
    this_one = datetime(2026, 11, 1, 22, 0, tzinfo=UTC)
    outbox_enqueue(recipients=[her], kind="weekly_digest", due_at=previous, occurrence="2026-W43")
    OutboxMessage.objects.filter(occurrence="2026-W43").update(status=Status.SENT)
    outbox_enqueue(recipients=[her], kind="weekly_digest", due_at=this_one, occurrence="2026-W44")
    announced(
        MeetupFactory(group=circle.group, title="Half past five"), previous + timedelta(minutes=30)
    )
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert "Half past five" in mail.get_body(("plain",)).get_content()


def test_no_email_when_there_is_nothing_new_to_list(smtp_sink, circle, her):
    moment = this_weeks_digest(her)
    announced(MeetupFactory(group=circle.group, created_by=her), moment - timedelta(days=1))
    assert outbox_dispatch().dropped == 1
    assert smtp_sink.inbox.messages == []
    assert digests().get().status == Status.DROPPED


def test_no_digest_once_she_wants_announcements_right_away_instead(smtp_sink, circle, her):
    moment = this_weeks_digest(her)
    announced(MeetupFactory(group=circle.group), moment - timedelta(days=1))
    her.profile.announcements = "immediately"
    her.profile.save()
    assert outbox_dispatch().dropped == 1
    assert smtp_sink.inbox.messages == []

"""A home's address in emails: in a reminder or an update to those going in the meetup's last
day, never in an announcement, and never spelled out to those who may not see it yet."""

from datetime import timedelta

import pytest
from django.utils import timezone

from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import outbox_dispatch
from scheduling.permissions import ADDRESS_LATER
from scheduling.services import meetup_create, meetup_update, rsvp_set
from scheduling.tests.test_home_address import ADDRESS, home_meetup
from scheduling.tests.test_meetup_services import details, details_of

pytestmark = pytest.mark.django_db


def everything_in(mail) -> str:
    """The plain text, the HTML and the calendar attachment of an email, as one text."""
    parts = [mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()]
    for attachment in mail.iter_attachments():
        content = attachment.get_content()
        parts.append(content.decode() if isinstance(content, bytes) else content)
    return "\n".join(parts).replace("\r\n ", "")  # calendar lines fold at 75 octets


def reminders_due_now():
    OutboxMessage.objects.filter(kind__startswith="reminder").update(
        due_at=timezone.now(), next_attempt_at=timezone.now()
    )


def answer(run_on_commit, meetup, member, response="going"):
    run_on_commit(rsvp_set, meetup=meetup, member=member, response=response)


def test_a_reminder_in_the_last_day_gives_those_going_the_address(smtp_sink, run_on_commit, circle):
    meetup = home_meetup(circle, starts_in=timedelta(hours=20))
    answer(run_on_commit, meetup, circle.member)
    reminders_due_now()
    outbox_dispatch()
    (mail, *_) = smtp_sink.inbox.to(circle.member.email)
    assert ADDRESS in everything_in(mail)


def test_a_reminder_to_a_maybe_leaves_the_address_out(smtp_sink, run_on_commit, circle):
    meetup = home_meetup(circle, starts_in=timedelta(hours=20))
    answer(run_on_commit, meetup, circle.member, "maybe")
    reminders_due_now()
    outbox_dispatch()
    (mail, *_) = smtp_sink.inbox.to(circle.member.email)
    text = everything_in(mail)
    assert ADDRESS not in text
    assert ADDRESS_LATER in text


def test_a_reminder_more_than_a_day_before_leaves_the_address_out(smtp_sink, run_on_commit, circle):
    meetup = home_meetup(circle, starts_in=timedelta(days=3))
    answer(run_on_commit, meetup, circle.member)
    reminders_due_now()
    outbox_dispatch()
    mails = smtp_sink.inbox.to(circle.member.email)
    assert mails
    assert all(ADDRESS not in everything_in(mail) for mail in mails)


def test_an_announcement_never_carries_a_home_s_address(smtp_sink, run_on_commit, circle):
    at_mine = details(
        starts_at=timezone.now() + timedelta(hours=20),
        venue_name="Olivia's place",
        venue_address=ADDRESS,
        at_home=True,
    )
    run_on_commit(meetup_create, group=circle.group, by=circle.organizer, details=at_mine)
    outbox_dispatch()
    announced = smtp_sink.inbox.messages
    assert {mail["To"] for mail in announced} >= {circle.co_organizer.email}
    assert all(ADDRESS not in everything_in(mail) for mail in announced)


def test_a_new_address_for_a_home_is_not_spelled_out_to_those_who_may_not_see_it(
    smtp_sink, run_on_commit, circle
):
    meetup = home_meetup(circle, starts_in=timedelta(days=3))
    answer(run_on_commit, meetup, circle.member)
    moved = details_of(meetup, venue_address="1901 N Orchard St")
    run_on_commit(meetup_update, meetup=meetup, by=circle.organizer, details=moved)
    OutboxMessage.objects.filter(kind="meetup_changed").update(next_attempt_at=timezone.now())
    outbox_dispatch()
    (mail,) = [m for m in smtp_sink.inbox.to(circle.member.email) if "Changed" in m["Subject"]]
    text = everything_in(mail)
    assert "Orchard" not in text
    assert "Address: (not shown yet)" in text

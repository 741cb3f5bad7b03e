"""Reminders and notices about meetups, as they arrive at a real SMTP sink."""

import dataclasses
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from momcircle.notifications import kinds, links
from momcircle.notifications.audiences import occurrence_of
from momcircle.notifications.emails import reminder_hours
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.services import outbox_dispatch, outbox_enqueue
from scheduling.models import Meetup, Rsvp
from scheduling.services import (
    MeetupDetails,
    meetup_cancel,
    meetup_create,
    meetup_update,
    meetups_cancel_without_quorum,
    rsvp_set,
)
from scheduling.templatetags.meetups import span
from scheduling.tests.factories import MeetupFactory, in_days

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
NEW_YORK = ZoneInfo("America/New_York")
DETAIL_FIELDS = [field.name for field in dataclasses.fields(MeetupDetails)]


@pytest.fixture
def her(circle):
    """Maya lives in New York while her group meets in Chicago."""
    circle.member.profile.time_zone = "America/New_York"
    circle.member.profile.save()
    return circle.member


def answer(run_on_commit, meetup, member, response="going"):
    return run_on_commit(rsvp_set, meetup=meetup, member=member, response=response)


def pending(kind_prefix="reminder", **filters):
    return OutboxMessage.objects.filter(
        kind__startswith=kind_prefix, status=Status.PENDING, **filters
    ).order_by("kind")


def make_due():
    OutboxMessage.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())


def details_of(meetup: Meetup, **changes) -> MeetupDetails:
    return MeetupDetails(**{name: getattr(meetup, name) for name in DETAIL_FIELDS} | changes)


def attachment_of(mail):
    (part,) = list(mail.iter_attachments())
    return part


# --- reminders --------------------------------------------------------------------------------


def test_going_plans_the_evening_before_at_her_local_time_and_hours_before(
    run_on_commit, meetup, her
):
    answer(run_on_commit, meetup, her)
    evening, hours = pending(recipient=her, subject=subject_key(meetup))
    day_before = meetup.starts_at.astimezone(NEW_YORK).date() - timedelta(days=1)
    assert evening.kind == "reminder_evening"
    assert evening.due_at == datetime.combine(day_before, datetime.min.time(), NEW_YORK).replace(
        hour=20
    )
    assert hours.kind == "reminder_hours"
    assert hours.due_at == meetup.starts_at - timedelta(hours=2)
    assert hours.occurrence == occurrence_of("reminder_hours", meetup.starts_at)


def test_maybe_gets_reminders_too_but_not_when_she_wants_none(run_on_commit, meetup, circle):
    answer(run_on_commit, meetup, circle.member, "maybe")
    assert pending(recipient=circle.member).count() == 2
    other = circle.other_member.member
    other.profile.reminder_timing = "none"
    other.profile.save()
    answer(run_on_commit, meetup, other)
    assert pending(recipient=other).count() == 0


def test_cant_go_drops_her_pending_reminders(run_on_commit, meetup, her):
    answer(run_on_commit, meetup, her)
    answer(run_on_commit, meetup, her, "cant_go")
    assert pending(recipient=her).count() == 0
    assert OutboxMessage.objects.filter(status=Status.DROPPED).count() == 2


def test_going_again_after_cant_go_plans_them_again(run_on_commit, meetup, her):
    answer(run_on_commit, meetup, her)
    answer(run_on_commit, meetup, her, "cant_go")
    answer(run_on_commit, meetup, her)
    assert pending(recipient=her).count() == 2
    assert OutboxMessage.objects.count() == 2


def test_moving_the_meetup_moves_her_reminders(run_on_commit, meetup, her, circle):
    answer(run_on_commit, meetup, her)
    later = meetup.starts_at + timedelta(days=1)
    run_on_commit(
        meetup_update,
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, starts_at=later, ends_at=later + timedelta(hours=2)),
    )
    occurrences = set(pending(recipient=her).values_list("occurrence", flat=True))
    assert occurrences == {occurrence_of(kind, later) for kind in kinds.REMINDER_KINDS}
    assert (
        OutboxMessage.objects.filter(kind__startswith="reminder", status=Status.DROPPED).count()
        == 2
    )


def test_a_reminder_for_an_old_start_time_is_dropped_when_due(smtp_sink, meetup, her):
    Rsvp.objects.create(meetup=meetup, member=her, response="going")
    outbox_enqueue(
        recipients=[her],
        kind="reminder_hours",
        subject=subject_key(meetup),
        due_at=timezone.now(),
        occurrence=occurrence_of("reminder_hours", meetup.starts_at - timedelta(days=1)),
    )
    assert outbox_dispatch().dropped == 1
    assert smtp_sink.inbox.messages == []


def test_a_reminder_subject_starts_on_its_own_header_line(run_on_commit, circle, her):
    """Its time has an en dash, so the subject needs an encoded word."""
    meetup = MeetupFactory(group=circle.group, title="A rather long title for a night out")
    answer(run_on_commit, meetup, her)
    make_due()
    row = pending(recipient=her, kind="reminder_hours").get()
    raw = reminder_hours(row).message().as_bytes(linesep="\r\n")
    headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    (line,) = [header for header in headers if header.startswith(b"Subject:")]
    assert line.startswith(b"Subject: Reminder: A rather long title for a night out, ")


def test_a_reminder_arrives_with_both_parts_the_ics_her_time_and_the_links(
    smtp_sink, run_on_commit, meetup, her
):
    her.profile.reminder_timing = "hours_before"
    her.profile.save()
    answer(run_on_commit, meetup, her)
    make_due()
    assert outbox_dispatch().sent == 1
    (mail,) = smtp_sink.inbox.to(her.email)
    local = meetup.starts_at.astimezone(NEW_YORK)
    subject = mail["Subject"]
    assert (
        subject
        == f"Reminder: {meetup.title}, {span(meetup.starts_at, meetup.ends_at, 'America/New_York')}"
    )
    assert f"{local:%H:%M}" in subject
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    meetup_url = settings.SITE_URL + meetup.get_absolute_url()
    assert "You're going." in text
    assert meetup_url in text
    assert meetup_url in html
    assert "Can't go / change my RSVP: http" in text
    assert "/email/rsvp/" in html
    unsubscribe = mail["List-Unsubscribe"].strip()  # folded: it is a long line
    assert unsubscribe.startswith(f"<{settings.SITE_URL}/email/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    calendar = attachment_of(mail)
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_filename() == "meetup.ics"
    body = calendar.get_content()
    body = body.decode() if isinstance(body, bytes) else body
    assert f"UID:meetup-{meetup.pk}@momcircle" in body


def test_a_reminder_is_not_sent_once_she_turned_reminders_off(
    smtp_sink, run_on_commit, meetup, her
):
    answer(run_on_commit, meetup, her)
    her.profile.reminder_timing = "none"
    her.profile.save()
    make_due()
    assert outbox_dispatch().dropped == 2
    assert smtp_sink.inbox.messages == []


# --- notices ----------------------------------------------------------------------------------


def test_a_new_meetup_is_announced_to_those_who_want_it_right_away(
    smtp_sink, run_on_commit, circle
):
    circle.other_member.member.profile.announcements = "off"
    circle.other_member.member.profile.save()
    starts = in_days(5)
    details = MeetupDetails(
        title="Walk by the lake",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        kid_mode="kid_free",
        venue_name="North Avenue Beach",
    )
    run_on_commit(meetup_create, group=circle.group, by=circle.organizer, details=details)
    outbox_dispatch()
    recipients = {mail["To"] for mail in smtp_sink.inbox.messages}
    assert recipients == {circle.member.email, circle.co_organizer.email}
    (mail,) = smtp_sink.inbox.to(circle.member.email)
    assert mail["Subject"] == f"New meetup in {circle.group.name}: Walk by the lake"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert attachment_of(mail).get_content_type() == "text/calendar"


def test_a_change_says_what_changed_old_and_new_in_her_zone(
    smtp_sink, run_on_commit, meetup, her, circle
):
    answer(run_on_commit, meetup, her)
    old_start = meetup.starts_at
    new_start = old_start + timedelta(hours=1)
    run_on_commit(
        meetup_update,
        meetup=meetup,
        by=circle.organizer,
        details=details_of(
            meetup, starts_at=new_start, ends_at=new_start + timedelta(hours=2), venue_name="Lula"
        ),
    )
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == f"Changed: {meetup.title}"
    text = mail.get_body(("plain",)).get_content()
    before, after = old_start.astimezone(NEW_YORK), new_start.astimezone(NEW_YORK)
    assert f"Starts: {before:%a %-d %b, %H:%M %Z} -> {after:%a %-d %b, %H:%M %Z}" in text
    assert "Place: Café Lula -> Lula" in text
    assert "<s>Café Lula</s>" in mail.get_body(("html",)).get_content()
    assert attachment_of(mail).get_content_type() == "text/calendar"
    assert smtp_sink.inbox.to(circle.organizer.email) == []


def test_a_cancellation_drops_reminders_and_tells_those_going(
    smtp_sink, run_on_commit, meetup, her, circle
):
    answer(run_on_commit, meetup, her)
    answer(run_on_commit, meetup, circle.other_member.member, "cant_go")
    run_on_commit(meetup_cancel, meetup=meetup, by=circle.organizer, reason="Rain all day")
    assert pending().count() == 0
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.messages
    assert mail["To"] == her.email
    assert mail["Subject"] == f"Cancelled: {meetup.title}"
    assert 'The organizers wrote: "Rain all day"' in mail.get_body(("plain",)).get_content()
    assert "STATUS:CANCELLED" in attachment_of(mail).get_content()


def test_a_promotion_from_the_waitlist_is_emailed_and_planned(
    smtp_sink, run_on_commit, circle, her
):
    meetup = MeetupFactory(group=circle.group, capacity=1)
    first = circle.other_member.member
    answer(run_on_commit, meetup, first)
    assert answer(run_on_commit, meetup, her).response == "waitlisted"
    assert pending(recipient=her).count() == 0
    answer(run_on_commit, meetup, first, "cant_go")
    assert pending(recipient=her).count() == 2
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == f"A seat opened up: you're going to {meetup.title}"


def test_reaching_the_quorum_is_emailed(smtp_sink, run_on_commit, circle, her):
    meetup = MeetupFactory(
        group=circle.group, status="tentative", quorum=1, quorum_deadline=in_days(3)
    )
    answer(run_on_commit, meetup, her)
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == f"It's on: {meetup.title}"


def test_missing_the_quorum_is_emailed(smtp_sink, run_on_commit, circle, her):
    meetup = MeetupFactory(
        group=circle.group, status="tentative", quorum=2, quorum_deadline=in_days(3)
    )
    answer(run_on_commit, meetup, her)
    run_on_commit(meetups_cancel_without_quorum, now=in_days(4))
    assert pending().count() == 0
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == f"Not enough going: {meetup.title} is off"
    text = mail.get_body(("plain",)).get_content()
    assert "This meetup is off: fewer than 2 members said they were going by" in text


# --- the "change my RSVP" page ------------------------------------------------------------------


class OldSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time() - timedelta(days=15).total_seconds()))


def rsvp_page(member, meetup):
    return reverse(
        "notifications:email_rsvp", args=[links.rsvp_token(member=member, meetup=meetup)]
    )


def test_the_link_shows_the_meetup_and_changes_nothing_on_get(client, meetup, her):
    Rsvp.objects.create(meetup=meetup, member=her, response="going")
    response = client.get(rsvp_page(her, meetup))
    assert response.status_code == 200
    assert escape(meetup.title) in response.content.decode()
    assert b'value="cant_go"' in response.content
    assert Rsvp.objects.get().response == "going"


def test_the_post_changes_her_answer_without_a_login(run_on_commit, meetup, her):
    answer(run_on_commit, meetup, her)
    client = Client()
    url = rsvp_page(her, meetup)
    response = run_on_commit(client.post, url, {"response": "cant_go"})
    assert response.status_code == 200
    assert escape("You can't go this time") in response.content.decode()
    assert Rsvp.objects.get().response == "cant_go"
    assert pending(recipient=her).count() == 0


@pytest.mark.parametrize("broken", ["expired", "tampered", "other meetup"])
def test_a_broken_link_says_so_and_changes_nothing(client, meetup, her, circle, broken):
    Rsvp.objects.create(meetup=meetup, member=her, response="going")
    token = links.rsvp_token(member=her, meetup=meetup)
    if broken == "expired":
        token = OldSigner(salt=links.RSVP_LINK_SALT).sign(f"{her.pk}:{meetup.pk}")
    elif broken == "tampered":
        token = token.replace(f"{her.pk}:", f"{circle.organizer.pk}:", 1)
    else:
        token = signing.TimestampSigner(salt="another salt").sign(f"{her.pk}:{meetup.pk}")
    response = client.post(
        reverse("notifications:email_rsvp", args=[token]), {"response": "cant_go"}
    )
    assert response.status_code == 400
    expected = "has expired" if broken == "expired" else "is not valid"
    assert expected in response.content.decode()
    assert Rsvp.objects.get().response == "going"


def test_another_members_link_is_refused_for_whoever_is_signed_in(client, meetup, her, circle):
    Rsvp.objects.create(meetup=meetup, member=her, response="going")
    client.force_login(circle.organizer)
    response = client.post(rsvp_page(her, meetup), {"response": "cant_go"})
    assert response.status_code == 400
    assert "sent to another member" in response.content.decode()
    assert Rsvp.objects.get().response == "going"


# --- unsubscribe ------------------------------------------------------------------------------


def unsubscribe_path(member, topic):
    return reverse(
        "notifications:email_unsubscribe",
        args=[links.unsubscribe_token(member=member, topic=topic)],
    )


def test_the_one_click_post_turns_reminders_off_and_drops_pending_ones(run_on_commit, meetup, her):
    answer(run_on_commit, meetup, her)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path(her, "reminders"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    her.profile.refresh_from_db()
    assert her.profile.reminder_timing == "none"
    assert pending(recipient=her).count() == 0


def test_the_footer_link_asks_first_and_the_button_turns_announcements_off(client, her):
    path = unsubscribe_path(her, "announcements")
    page = client.get(path)
    assert b"Stop these emails" in page.content
    her.profile.refresh_from_db()
    assert her.profile.announcements == "immediately"
    client.post(path)
    her.profile.refresh_from_db()
    assert her.profile.announcements == "off"


def test_a_tampered_unsubscribe_link_changes_nothing(client, her, circle):
    path = unsubscribe_path(her, "reminders").replace(f"/{her.pk}:", f"/{circle.organizer.pk}:")
    response = Client(enforce_csrf_checks=True).post(path)
    assert response.status_code == 400
    circle.organizer.profile.refresh_from_db()
    assert circle.organizer.profile.reminder_timing == "both"


# --- updates about her meetups ------------------------------------------------------------------


def change_it(run_on_commit, circle, her):
    meetup = MeetupFactory(group=circle.group)
    answer(run_on_commit, meetup, her)
    later = meetup.starts_at + timedelta(hours=1)
    run_on_commit(
        meetup_update,
        meetup=meetup,
        by=circle.organizer,
        details=details_of(meetup, starts_at=later, ends_at=later + timedelta(hours=2)),
    )


def cancel_it(run_on_commit, circle, her):
    meetup = MeetupFactory(group=circle.group)
    answer(run_on_commit, meetup, her)
    run_on_commit(meetup_cancel, meetup=meetup, by=circle.organizer, reason="Flu")


def promote_her(run_on_commit, circle, her):
    meetup = MeetupFactory(group=circle.group, capacity=1)
    first = circle.other_member.member
    answer(run_on_commit, meetup, first)
    answer(run_on_commit, meetup, her)
    answer(run_on_commit, meetup, first, "cant_go")


def reach_the_quorum(run_on_commit, circle, her):
    meetup = MeetupFactory(
        group=circle.group, status="tentative", quorum=1, quorum_deadline=in_days(3)
    )
    answer(run_on_commit, meetup, her)


def miss_the_quorum(run_on_commit, circle, her):
    meetup = MeetupFactory(
        group=circle.group, status="tentative", quorum=2, quorum_deadline=in_days(3)
    )
    answer(run_on_commit, meetup, her)
    run_on_commit(meetups_cancel_without_quorum, now=in_days(4))


UPDATES = {
    "meetup_changed": change_it,
    "meetup_cancelled": cancel_it,
    "waitlist_promoted": promote_her,
    "quorum_reached": reach_the_quorum,
    "quorum_missed": miss_the_quorum,
}


def unsubscribe_topic_of(mail) -> str:
    url = mail["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    return links.unsubscribe_from(token)[1]


@pytest.mark.parametrize("kind", UPDATES)
def test_each_update_offers_a_one_click_stop_for_updates_in_its_headers_and_footer(
    smtp_sink, run_on_commit, circle, her, kind
):
    UPDATES[kind](run_on_commit, circle, her)
    make_due()
    outbox_dispatch()
    (sent,) = OutboxMessage.objects.filter(recipient=her, kind=kind, status=Status.SENT)
    (mail,) = [
        m
        for m in smtp_sink.inbox.to(her.email)
        if m["Message-ID"] == f"<outbox-{sent.pk}@momcircle>"
    ]
    assert unsubscribe_topic_of(mail) == "meetup_updates"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip()[1:-1]
    assert f"Stop these emails: {url}" in mail.get_body(("plain",)).get_content()
    assert escape(url) in mail.get_body(("html",)).get_content()


@pytest.mark.parametrize("kind", UPDATES)
def test_no_update_is_queued_for_her_once_she_turned_updates_off(
    smtp_sink, run_on_commit, circle, her, kind
):
    her.profile.meetup_updates = False
    her.profile.save()
    UPDATES[kind](run_on_commit, circle, her)
    assert not OutboxMessage.objects.filter(recipient=her, kind=kind).exists()


def test_an_update_waiting_when_she_turned_updates_off_is_not_sent(
    smtp_sink, run_on_commit, circle, her
):
    change_it(run_on_commit, circle, her)
    her.profile.meetup_updates = False
    her.profile.save()
    outbox_dispatch()
    assert smtp_sink.inbox.to(her.email) == []
    assert OutboxMessage.objects.get(recipient=her, kind="meetup_changed").status == Status.DROPPED


def test_the_one_click_post_turns_updates_off_and_drops_waiting_ones(run_on_commit, circle, her):
    cancel_it(run_on_commit, circle, her)
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(her, "meetup_updates"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    her.profile.refresh_from_db()
    assert her.profile.meetup_updates is False
    assert OutboxMessage.objects.get(recipient=her, kind="meetup_cancelled").status == (
        Status.DROPPED
    )


def test_the_footer_link_names_updates_and_only_the_button_turns_them_off(client, her):
    path = unsubscribe_path(her, "meetup_updates")
    page = client.get(path).content.decode()
    assert "Stop updates about your meetups" in page
    her.profile.refresh_from_db()
    assert her.profile.meetup_updates is True
    done = client.post(path).content.decode()
    assert "You will get no more updates about your meetups" in done
    her.profile.refresh_from_db()
    assert her.profile.meetup_updates is False
    assert her.profile.reminder_timing == "both"
    assert her.profile.announcements == "immediately"

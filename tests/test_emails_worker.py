"""Every kind of email, end to end: the real services queue it, a real Celery worker process
sends it over SMTP to a sink on loopback, and each message is read as it arrived.

Maya's group meets in Chicago while she lives in New York: every time she reads is on her
clock. Dispatch happens as in production: a service commits, its receivers queue the message
and ask for a dispatch (`dispatch_soon`) that the worker runs. The test process's default Celery
queue is its own (conftest.py), so those dispatches reach this worker and no other test's. A
reminder is the one message whose due time is moved to now (it is due hours before a meetup
days ahead); it is then sent by the beat's task, `outbox.dispatch`, sent through Celery."""

from collections import Counter
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from groups.services import membership_approve, membership_decline
from groups.tests import conftest as groups_conftest
from momcircle.celery import app as celery_app
from momcircle.celery import ping
from momcircle.notifications import links
from momcircle.notifications.digest import digest_moment
from momcircle.notifications.services import weekly_digests_queue
from momcircle.outbox.models import OutboxMessage, subject_key
from scheduling.models import Meetup
from scheduling.services import (
    MeetupDetails,
    meetup_cancel,
    meetup_create,
    meetup_update,
    meetups_cancel_without_quorum,
    rsvp_set,
)
from tests.factories import join_request, member
from tests.smtp_sink import SmtpSink
from tests.workers import outbox_worker, stop, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = OutboxMessage.Status
CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
MEETUP_EMAIL = [
    "multipart/mixed",
    "multipart/alternative",
    "text/plain",
    "text/html",
    "text/calendar",
]
PLAIN_EMAIL = ["multipart/alternative", "text/plain", "text/html"]
REMINDERS = ("reminder_evening", "reminder_hours")

# The groups tests' circle: a group in Chicago with a woman in every position.
circle = groups_conftest.circle


# --- the worker and the sink ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, sink):
    """One worker for the module, on the test database, on the test process's own default
    queue (see conftest.py), where `dispatch_soon` and `outbox.dispatch` go."""
    queue = celery_app.amqp.default_queue.name
    process = outbox_worker(queue, sink.port)
    try:
        assert ping.apply_async(queue=queue).get(timeout=30) == "pong"
        yield process
    finally:
        stop(process)


@pytest.fixture
def inbox(worker, sink):
    sink.inbox.messages.clear()
    return sink.inbox


# --- helpers ------------------------------------------------------------------------------------


def in_chicago(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.now().astimezone(CHICAGO).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


def details(title: str, starts: datetime, **more) -> MeetupDetails:
    return MeetupDetails(
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        kid_mode="kid_free",
        venue_name="Café Lula",
        venue_address="2537 N Kedzie Blvd",
        **more,
    )


def when_in(zone: ZoneInfo, meetup: Meetup) -> str:
    """A meetup's time as she should read it, e.g. "Tue 10 Mar, 19:30–21:00 EDT"."""
    start, end = meetup.starts_at.astimezone(zone), meetup.ends_at.astimezone(zone)
    assert start.date() == end.date()
    assert start.tzname() == end.tzname()
    return f"{start:%a %-d %b, %H:%M}–{end:%H:%M} {end:%Z}"


def moment_in(zone: ZoneInfo, value: datetime) -> str:
    return f"{value.astimezone(zone):%a %-d %b, %H:%M %Z}"


def message_id(row: OutboxMessage) -> str:
    return f"<outbox-{row.pk}@momcircle>"


def subject_of(mail: EmailMessage) -> str:
    return " ".join(str(mail["Subject"]).split())  # unfolded


def quiet(inbox) -> None:
    """Nothing due is waiting or being sent, and everything sent has arrived."""

    def done() -> bool:
        busy = OutboxMessage.objects.filter(
            Q(status=Status.SENDING) | Q(status=Status.PENDING, next_attempt_at__lte=timezone.now())
        )
        sent = OutboxMessage.objects.filter(status=Status.SENT).count()
        return not busy.exists() and len(inbox.messages) >= sent

    wait_until(done, timeout=20, what="every due message is sent and has arrived")


def arrived(inbox, *, to, kind: str, about=None) -> EmailMessage:
    """Waits at the sink for her message of that kind, and returns it."""

    def here() -> EmailMessage | None:
        subject = subject_key(about) if about else ""
        rows = OutboxMessage.objects.filter(recipient=to, kind=kind, subject=subject)
        ids = {message_id(row) for row in rows.filter(status=Status.SENT)}
        found = [mail for mail in list(inbox.messages) if mail["Message-ID"] in ids]
        return found[0] if found else None

    wait_until(lambda: here() is not None, timeout=20, what=f"{kind} arrives for {to.email}")
    quiet(inbox)
    return here()


def announce(inbox, circle, her, details: MeetupDetails) -> Meetup:
    """The organizer plans a meetup, and its announcement reaches her (before anything else
    happens to it: a renderer drops an announcement of a meetup called off meanwhile)."""
    meetup = meetup_create(group=circle.group, by=circle.organizer, details=details)
    arrived(inbox, to=her, kind="meetup_new", about=meetup)
    return meetup


def texts(mail: EmailMessage, parts: list[str]) -> tuple[str, str]:
    """Its plain text and HTML, once the parts are those expected."""
    assert [part.get_content_type() for part in mail.walk()] == parts
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def check_envelope(mail: EmailMessage, to, *, topic: str | None) -> None:
    """From, To, and an unsubscribe for her and the topic (none when `topic` is None)."""
    assert mail["From"] == settings.DEFAULT_FROM_EMAIL
    assert mail["To"] == to.email
    if topic is None:
        assert mail["List-Unsubscribe"] is None
        assert mail["List-Unsubscribe-Post"] is None
        return
    assert mail["List-Unsubscribe"] is not None
    url = str(mail["List-Unsubscribe"]).strip()
    assert url.startswith(f"<{settings.SITE_URL}/email/unsubscribe/")
    assert url.endswith(">")
    token = url[1:-1].rstrip("/").rsplit("/", 1)[-1]
    assert links.unsubscribe_from(token) == (to.pk, topic)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert f"Stop these emails: {url[1:-1]}" in text
    assert f'href="{escape(url[1:-1])}"' in html


def check_meetup_email(
    mail: EmailMessage, to, zone: ZoneInfo, meetup: Meetup, *, topic: str, status: str
) -> str:
    """Both parts, her time, the link and the .ics of the meetup as it is now; the text."""
    meetup.refresh_from_db()
    check_envelope(mail, to, topic=topic)
    text, html = texts(mail, MEETUP_EMAIL)
    when = when_in(zone, meetup)
    assert f"When: {when}" in text
    assert f"When: {when}" in html
    meetup_url = settings.SITE_URL + meetup.get_absolute_url()
    assert f"See the meetup: {meetup_url}" in text
    assert f'href="{meetup_url}"' in html
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "meetup.ics"
    body = attachment.get_content()
    (event,) = Calendar.from_ical(body.encode() if isinstance(body, str) else body).walk("VEVENT")
    assert str(event["UID"]) == f"meetup-{meetup.pk}@momcircle"
    assert int(event["SEQUENCE"]) == meetup.sequence
    assert str(event["STATUS"]) == status
    assert event.decoded("DTSTART") == meetup.starts_at
    assert event.decoded("DTEND") == meetup.ends_at
    assert str(event["URL"]) == meetup_url
    return text


def assert_each_row_arrived_once(inbox, *, may_wait: tuple[str, ...] = ()) -> None:
    """Each row sent is exactly one message at the sink, to its recipient, and nothing else
    arrived; a row not sent is of a kind in `may_wait`, dropped or not due yet."""
    quiet(inbox)
    rows = list(OutboxMessage.objects.select_related("recipient"))
    arrivals = Counter(str(mail["Message-ID"]) for mail in inbox.messages)
    sent = {message_id(row): row for row in rows if row.status == Status.SENT}
    assert set(arrivals) == set(sent)
    assert set(arrivals.values()) == {1}
    for mail in inbox.messages:
        assert mail["To"] == sent[str(mail["Message-ID"])].recipient.email
    now = timezone.now()
    for row in rows:
        if row.status == Status.SENT:
            assert (row.attempts, row.last_error) == (0, "")
            assert row.sent_at is not None
        else:
            assert row.kind in may_wait, f"{row} was not sent"
            assert row.status == Status.DROPPED or (
                row.status == Status.PENDING and row.next_attempt_at > now
            ), row


# --- the tests ----------------------------------------------------------------------------------


def test_her_meetup_emails_come_from_the_worker_on_her_clock(inbox, circle):
    her = circle.member
    her.profile.time_zone = "America/New_York"
    her.profile.reminder_timing = "hours_before"
    her.profile.save()
    tess, organizer, group = circle.other_member.member, circle.organizer, circle.group

    # A new meetup is announced to every member who wants it right away, but its organizer.
    walk = meetup_create(
        group=group, by=organizer, details=details("Walk by the lake", in_chicago(10, 18, 30))
    )
    mail = arrived(inbox, to=her, kind="meetup_new", about=walk)
    assert subject_of(mail) == f"New meetup in {group.name}: Walk by the lake"
    text = check_meetup_email(mail, her, NEW_YORK, walk, topic="announcements", status="CONFIRMED")
    assert f"There is a new meetup in {group.name}. Will you come?" in text
    assert "Answer: http" in text
    told = OutboxMessage.objects.filter(kind="meetup_new", subject=subject_key(walk))
    assert {row.recipient for row in told} == {her, tess, circle.co_organizer}

    # Going plans her reminder, a few hours before; it is made due now and the beat's task
    # sends it.
    rsvp_set(meetup=walk, member=her, response="going")
    (reminder,) = OutboxMessage.objects.filter(
        recipient=her, subject=subject_key(walk), kind__in=REMINDERS
    )
    assert (reminder.kind, reminder.status) == ("reminder_hours", Status.PENDING)
    assert reminder.due_at == walk.starts_at - timedelta(hours=2)
    OutboxMessage.objects.filter(pk=reminder.pk).update(
        due_at=timezone.now(), next_attempt_at=timezone.now()
    )
    celery_app.send_task("outbox.dispatch")
    mail = arrived(inbox, to=her, kind="reminder_hours", about=walk)
    assert subject_of(mail) == f"Reminder: Walk by the lake, {when_in(NEW_YORK, walk)}"
    text = check_meetup_email(mail, her, NEW_YORK, walk, topic="reminders", status="CONFIRMED")
    assert "A reminder: You're going." in text
    assert "Can't go / change my RSVP: http" in text

    # Moved a day and an hour later: old and new times on her clock, a new SEQUENCE.
    before = walk.starts_at
    after = before + timedelta(days=1, hours=1)
    meetup_update(meetup=walk, by=organizer, details=details("Walk by the lake", after))
    mail = arrived(inbox, to=her, kind="meetup_changed", about=walk)
    assert subject_of(mail) == "Changed: Walk by the lake"
    text = check_meetup_email(mail, her, NEW_YORK, walk, topic="meetup_updates", status="CONFIRMED")
    assert walk.sequence == 1
    old, new = moment_in(NEW_YORK, before), moment_in(NEW_YORK, after)
    assert f"Starts: {old} -> {new}" in text
    ended, ends = before + timedelta(minutes=90), after + timedelta(minutes=90)
    assert f"Ends: {moment_in(NEW_YORK, ended)} -> {moment_in(NEW_YORK, ends)}" in text
    html = mail.get_body(("html",)).get_content()
    assert f"Starts: <s>{old}</s> → <strong>{new}</strong>" in html
    assert not OutboxMessage.objects.filter(recipient=organizer, kind="meetup_changed").exists()

    # Cancelled, with the organizer's reason; the calendar copy says CANCELLED.
    meetup_cancel(meetup=walk, by=organizer, reason="Storm warning")
    mail = arrived(inbox, to=her, kind="meetup_cancelled", about=walk)
    assert subject_of(mail) == "Cancelled: Walk by the lake"
    text = check_meetup_email(mail, her, NEW_YORK, walk, topic="meetup_updates", status="CANCELLED")
    assert walk.sequence == 2
    assert 'The organizers wrote: "Storm warning"' in text
    assert "Can't go / change my RSVP" not in text

    # Off the waitlist when Tess gives up the only seat.
    dinner = announce(inbox, circle, her, details("Dinner at Lula", in_chicago(12, 19), capacity=1))
    rsvp_set(meetup=dinner, member=tess, response="going")
    assert rsvp_set(meetup=dinner, member=her, response="going").response == "waitlisted"
    rsvp_set(meetup=dinner, member=tess, response="cant_go")
    mail = arrived(inbox, to=her, kind="waitlist_promoted", about=dinner)
    assert subject_of(mail) == "A seat opened up: you're going to Dinner at Lula"
    text = check_meetup_email(
        mail, her, NEW_YORK, dinner, topic="meetup_updates", status="CONFIRMED"
    )
    assert "you were next on the waitlist. You're going." in text

    # A tentative picnic is on once she is going.
    starts = in_chicago(14, 11)
    picnic = announce(
        inbox,
        circle,
        her,
        details("Picnic", starts, quorum=1, quorum_deadline=starts - timedelta(days=1)),
    )
    assert picnic.status == Meetup.Status.TENTATIVE
    rsvp_set(meetup=picnic, member=her, response="going")
    mail = arrived(inbox, to=her, kind="quorum_reached", about=picnic)
    assert subject_of(mail) == "It's on: Picnic"
    text = check_meetup_email(
        mail, her, NEW_YORK, picnic, topic="meetup_updates", status="CONFIRMED"
    )
    assert picnic.sequence == 1
    assert "Enough members are going: this meetup is on." in text

    # A tentative brunch is off when too few are going by its deadline.
    starts = in_chicago(15, 10, 30)
    deadline = starts - timedelta(days=1)
    brunch = announce(
        inbox, circle, her, details("Brunch", starts, quorum=2, quorum_deadline=deadline)
    )
    rsvp_set(meetup=brunch, member=her, response="going")
    meetups_cancel_without_quorum(now=deadline + timedelta(minutes=1))
    mail = arrived(inbox, to=her, kind="quorum_missed", about=brunch)
    assert subject_of(mail) == "Not enough going: Brunch is off"
    text = check_meetup_email(
        mail, her, NEW_YORK, brunch, topic="meetup_updates", status="CANCELLED"
    )
    assert brunch.sequence == 1
    on_her_clock = f"{deadline.astimezone(NEW_YORK):%a %-d %b, %H:%M}"
    assert f"fewer than 2 members said they were going by {on_her_clock}" in text

    # Reminders for meetups days ahead wait, and those of cancelled meetups were dropped.
    assert_each_row_arrived_once(inbox, may_wait=REMINDERS)
    for meetup in (walk, brunch):
        assert not OutboxMessage.objects.filter(
            subject=subject_key(meetup), kind__in=REMINDERS, status=Status.PENDING
        ).exists()


def test_join_answers_always_go_and_offer_no_unsubscribe(inbox, circle):
    approved = circle.request
    declined = join_request(circle.group, member(first_name="Ines"), answer="Two kids, 3 and 6.")
    for applicant in (approved.member, declined.member):
        applicant.profile.announcements = "off"
        applicant.profile.meetup_updates = False
        applicant.profile.reminder_timing = "none"
        applicant.profile.save()

    membership_approve(membership=approved, by=circle.organizer, message="Welcome, Priya!")
    membership_decline(membership=declined, by=circle.organizer, message="We are full for now.")

    group = circle.group
    mail = arrived(inbox, to=approved.member, kind="join_approved", about=approved)
    assert subject_of(mail) == f"You're in: {group.name}"
    check_envelope(mail, approved.member, topic=None)
    text, html = texts(mail, PLAIN_EMAIL)
    assert f"the organizers of {group.name} welcomed you into the group" in text
    assert 'Their message: "Welcome, Priya!"' in text
    group_url = settings.SITE_URL + group.get_absolute_url()
    assert group_url in text
    assert group_url in html
    assert "Stop these emails" not in text

    mail = arrived(inbox, to=declined.member, kind="join_declined", about=declined)
    assert subject_of(mail) == f"About your request to join {group.name}"
    check_envelope(mail, declined.member, topic=None)
    text, html = texts(mail, PLAIN_EMAIL)
    assert 'Their message: "We are full for now."' in text
    assert f"{settings.SITE_URL}/groups/" in text
    assert "Stop these emails" not in text

    assert_each_row_arrived_once(inbox)
    assert OutboxMessage.objects.count() == 2


def test_the_weekly_digest_comes_from_the_worker_on_her_clock(inbox, circle):
    reader = circle.other_member.member
    reader.profile.announcements = "weekly_digest"
    reader.profile.time_zone = "America/Los_Angeles"
    reader.profile.save()
    swap = announce(inbox, circle, circle.member, details("Book swap", in_chicago(9, 19)))
    assert not OutboxMessage.objects.filter(recipient=reader, kind="meetup_new").exists()

    # Her digest lists what was announced in the week before her latest Sunday 17:00: the swap
    # is dated back into that week, and the beat's digest job runs a minute after 17:00.
    sunday = digest_moment("America/Los_Angeles", timezone.now())
    assert sunday.astimezone(LOS_ANGELES).weekday() == 6
    assert f"{sunday.astimezone(LOS_ANGELES):%H:%M}" == "17:00"
    Meetup.objects.filter(pk=swap.pk).update(created_at=sunday - timedelta(days=1))
    assert weekly_digests_queue(now=sunday + timedelta(minutes=1)) == 1

    mail = arrived(inbox, to=reader, kind="weekly_digest")
    row = OutboxMessage.objects.get(recipient=reader, kind="weekly_digest")
    year, week, _ = sunday.astimezone(LOS_ANGELES).isocalendar()
    assert (row.due_at, row.occurrence) == (sunday, f"{year}-W{week:02d}")
    assert subject_of(mail) == "1 new meetup in your groups this week"
    check_envelope(mail, reader, topic="announcements")
    text, html = texts(mail, PLAIN_EMAIL)
    meetup_url = settings.SITE_URL + swap.get_absolute_url()
    assert f"Book swap ({circle.group.name})" in text
    assert f"When: {when_in(LOS_ANGELES, swap)}" in text
    assert f"When: {when_in(LOS_ANGELES, swap)}" in html
    assert f"See the meetup: {meetup_url}" in text
    assert f'href="{meetup_url}"' in html
    assert "Answer: http" in text

    assert_each_row_arrived_once(inbox)

"""Every kind of email the outbox knows, with a control character in each field a member types
that it shows (a meetup's title and place, a group's name, her first name, an organizer's
note), arrives at the mail server as a message that parses under `email.policy.strict` with
no defect and exactly its own headers: whatever the rows hold, written here without the forms
that now refuse those characters, nobody's text can add a header or push the real ones into
the body."""

import email.policy
from datetime import timedelta
from email.parser import BytesParser

import pytest
from django.conf import settings
from django.utils import timezone

from groups.models import Membership
from momcircle import text
from momcircle.conversation.models import Message
from momcircle.moderation.emails import MEMBER_WARNING
from momcircle.moderation.models import Report
from momcircle.notifications import kinds
from momcircle.notifications.audiences import occurrence_of
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.registry import RENDERERS
from momcircle.outbox.services import outbox_dispatch
from momcircle.profiles.models import Announcements
from scheduling.models import Meetup, MeetupChange, Rsvp, SeriesChange, StandingAnswer
from scheduling.tests.factories import MeetupFactory, in_days
from scheduling.tests.series import plan_series
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db

# Each line-ending character Python's email package knows, the other C0 and C1 controls
# (NUL aside: PostgreSQL stores no NUL, so no row can hold one), format characters, the
# separators, and the three that are kept (tab, the joiners), which must parse as well.
CHARACTERS = [
    *"\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x01\x08\x1b\x7f\x85\x9f",
    *"\xad\u061c\u200b\u200e\u202e\u2060\ufeff\U000e0001\u2028\u2029",
    *"\t\u200c\u200d",
    "\r\n",
]
INJECTED = "Bcc: evil@example.com"
MIME_HEADERS = {"MIME-Version", "Content-Type"}
MESSAGE_HEADERS = {"From", "To", "Subject", "Date", "Message-ID"}
UNSUBSCRIBE_HEADERS = {"List-Unsubscribe", "List-Unsubscribe-Post"}
TOPIC_OF = {kind: name for name, topic in kinds.TOPICS.items() for kind in topic.kinds}


def poisoned(char: str, field: str) -> str:
    return f"{field}{char}{INJECTED}"


class World:
    """Her group and its meetup, every member-typed field holding `char`."""

    def __init__(self, char: str, *, quorum: bool = False) -> None:
        self.char = char
        self.group = organized_group(name=poisoned(char, "Group"))
        self.organizer = self.group.memberships.get().member
        self.her = member(first_name=poisoned(char, "Maya"))
        self.meetup = MeetupFactory(
            group=self.group,
            created_by=self.organizer,
            title=poisoned(char, "Title"),
            venue_name=poisoned(char, "Venue"),
            venue_address=poisoned(char, "Address"),
            description=poisoned(char, "Notes"),
            **({"quorum": 2, "quorum_deadline": in_days(6)} if quorum else {}),
        )

    def member_of_the_group(self) -> None:
        MembershipFactory(group=self.group, member=self.her)

    def going(self) -> None:
        Rsvp.objects.create(meetup=self.meetup, member=self.her, response=Rsvp.Response.GOING)

    def change(self, kind: str, **fields) -> MeetupChange:
        return MeetupChange.objects.create(
            meetup=self.meetup, kind=kind, by=self.organizer, sequence=1, **fields
        )

    def row(self, kind: str, subject: str, occurrence: str = "") -> OutboxMessage:
        now = timezone.now()
        return OutboxMessage.objects.create(
            recipient=self.her,
            kind=kind,
            subject=subject,
            occurrence=occurrence,
            due_at=now,
            next_attempt_at=now,
        )


def reminder(kind: str):
    def write(w: World) -> OutboxMessage:
        w.going()
        occurrence = occurrence_of(kind, w.meetup.starts_at)
        return w.row(kind, subject_key(w.meetup), occurrence)

    return write


def meetup_new(w: World) -> OutboxMessage:
    w.member_of_the_group()
    return w.row(kinds.MEETUP_NEW, subject_key(w.meetup))


def notice(kind: str, change_kind: str, *, going: bool = True):
    def write(w: World) -> OutboxMessage:
        if going:
            w.going()
        change = w.change(
            change_kind,
            old={"venue_name": w.meetup.venue_name},
            new={"venue_name": poisoned(w.char, "New venue")},
            reason=poisoned(w.char, "Reason"),
        )
        return w.row(kind, subject_key(w.meetup), str(change.pk))

    return write


def quorum_missed(w: World) -> OutboxMessage:
    w.going()
    change = w.change(MeetupChange.Kind.CANCELLED, reason=poisoned(w.char, "Reason"))
    Meetup.objects.filter(pk=w.meetup.pk).update(status=Meetup.Status.CANCELLED)
    return w.row(kinds.QUORUM_MISSED, subject_key(w.meetup), str(change.pk))


def weekly_digest(w: World) -> OutboxMessage:
    w.member_of_the_group()
    w.her.profile.announcements = Announcements.WEEKLY_DIGEST
    w.her.profile.save()
    return w.row(kinds.WEEKLY_DIGEST, "", "2026-W01")


def join_answer(kind: str, status: str):
    def write(w: World) -> OutboxMessage:
        membership = MembershipFactory(
            group=w.group,
            member=w.her,
            status=status,
            decision_message=poisoned(w.char, "Note"),
        )
        return w.row(kind, subject_key(membership))

    return write


def meetup_conversation(w: World) -> OutboxMessage:
    w.member_of_the_group()
    w.going()
    Message.objects.create(meetup=w.meetup, author=w.organizer, text=poisoned(w.char, "Hello"))
    return w.row(kinds.MEETUP_CONVERSATION, subject_key(w.meetup))


def series_email(kind: str, change_kind: str | None = None):
    """A weekly series of the group, her in it every time, and the change told of."""

    def write(w: World) -> OutboxMessage:
        w.member_of_the_group()
        series = plan_series(
            w.group,
            w.organizer,
            title=poisoned(w.char, "Series"),
            venue_name=poisoned(w.char, "Venue"),
        )
        StandingAnswer.objects.create(series=series, member=w.her)
        if change_kind is None:
            return w.row(kind, subject_key(series))
        change = SeriesChange.objects.create(
            series=series,
            kind=change_kind,
            by=w.organizer,
            from_date=series.starts_on,
            old={"venue_name": series.venue_name},
            new={"venue_name": poisoned(w.char, "New venue")},
            reason=poisoned(w.char, "Reason"),
        )
        return w.row(kind, subject_key(series), str(change.pk))

    return write


def member_warning(w: World) -> OutboxMessage:
    report = Report.objects.create(
        reporter=w.organizer,
        reported_user=w.her,
        reason=Report.Reason.OTHER,
        details=poisoned(w.char, "Details"),
    )
    return w.row(MEMBER_WARNING, subject_key(report))


WRITERS = {
    kinds.REMINDER_EVENING: reminder(kinds.REMINDER_EVENING),
    kinds.REMINDER_HOURS: reminder(kinds.REMINDER_HOURS),
    kinds.MEETUP_NEW: meetup_new,
    kinds.MEETUP_CHANGED: notice(kinds.MEETUP_CHANGED, MeetupChange.Kind.CHANGED),
    kinds.MEETUP_CANCELLED: notice(kinds.MEETUP_CANCELLED, MeetupChange.Kind.CANCELLED),
    kinds.QUORUM_REACHED: notice(kinds.QUORUM_REACHED, MeetupChange.Kind.CONFIRMED),
    kinds.QUORUM_MISSED: quorum_missed,
    kinds.WAITLIST_PROMOTED: notice(kinds.WAITLIST_PROMOTED, MeetupChange.Kind.CHANGED),
    kinds.WEEKLY_DIGEST: weekly_digest,
    kinds.JOIN_APPROVED: join_answer(kinds.JOIN_APPROVED, Membership.Status.ACTIVE),
    kinds.JOIN_DECLINED: join_answer(kinds.JOIN_DECLINED, Membership.Status.DECLINED),
    kinds.MEETUP_CONVERSATION: meetup_conversation,
    kinds.SERIES_NEW: series_email(kinds.SERIES_NEW),
    kinds.SERIES_CHANGED: series_email(kinds.SERIES_CHANGED, SeriesChange.Kind.CHANGED),
    kinds.SERIES_ENDED: series_email(kinds.SERIES_ENDED, SeriesChange.Kind.ENDED),
    MEMBER_WARNING: member_warning,
}
QUORUM_KINDS = {kinds.QUORUM_REACHED, kinds.QUORUM_MISSED}


def test_every_kind_of_email_has_rows_written_here():
    assert set(WRITERS) == set(RENDERERS)


def expected_headers(kind: str) -> set[str]:
    return MIME_HEADERS | MESSAGE_HEADERS | (UNSUBSCRIBE_HEADERS if kind in TOPIC_OF else set())


def strictly_parsed(raw: bytes):
    """Parsed under email.policy.strict, which raises at the first defect it meets."""
    message = BytesParser(policy=email.policy.strict).parsebytes(raw)
    for part in message.walk():
        assert part.defects == []
        for name, value in part.items():
            assert value.defects == (), (name, value)
    return message


@pytest.mark.parametrize(
    "char", CHARACTERS, ids=lambda chars: "+".join(f"U+{ord(c):04X}" for c in chars)
)
def test_every_kind_of_email_keeps_its_headers_whatever_members_typed(char, smtp_sink):
    rows = {}
    for kind, write in WRITERS.items():
        with_quorum = kind in QUORUM_KINDS
        rows[kind] = write(World(char, quorum=with_quorum))
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    report = outbox_dispatch()
    assert report.sent == len(WRITERS), OutboxMessage.objects.values_list("kind", "last_error")

    by_message_id = {}
    for raw in smtp_sink.inbox.raw:
        message = strictly_parsed(raw)
        by_message_id[message["Message-ID"]] = message
    for kind, row in rows.items():
        message = by_message_id.pop(f"<outbox-{row.pk}@momcircle>")
        assert set(message.keys()) == expected_headers(kind), kind
        assert len(message.keys()) == len(expected_headers(kind)), kind
        assert message["To"] == row.recipient.email
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        subject = str(message["Subject"])
        assert not text.has_control(subject), kind
        if kind in TOPIC_OF:
            assert message["List-Unsubscribe"].strip().startswith(f"<{settings.SITE_URL}/")
        body = message.get_body(("plain",)).get_content()
        assert body.startswith("Hi "), kind
    assert by_message_id == {}


def test_a_title_that_would_break_the_subject_arrives_on_one_line(smtp_sink):
    world = World("\x0b")
    Meetup.objects.filter(pk=world.meetup.pk).update(title="VT\x0bno colon here")
    WRITERS[kinds.REMINDER_HOURS](world)
    outbox_dispatch()
    (raw,) = smtp_sink.inbox.raw
    message = strictly_parsed(raw)
    assert message["Subject"].startswith("Reminder: VT no colon here, ")

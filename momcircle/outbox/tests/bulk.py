"""Many due meetup reminders at once, written with bulk inserts: for the worker fault tests
and bench/reminders.py, which need hundreds or thousands of real rows in seconds."""

import secrets
from datetime import datetime, timedelta
from itertools import product

from momcircle.notifications.audiences import occurrence_of
from momcircle.notifications.kinds import REMINDER_HOURS
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.profiles.models import Profile, ReminderTiming, User
from scheduling.models import Rsvp
from scheduling.tests.factories import MeetupFactory
from tests.factories import ProfileFactory


def bulk_due_reminders(*, members: int, meetups: int, due_at: datetime) -> list[OutboxMessage]:
    """`members` members, each going to each of `meetups` meetups (titled apart, so a mail's
    subject names its meetup), with an hours-before reminder per answer due at `due_at`."""
    tag = secrets.token_hex(4)
    users = User.objects.bulk_create(
        User(email=f"mom{n}-{tag}@example.com", password="!")  # "!": they never log in
        for n in range(members)
    )
    Profile.objects.bulk_create(
        ProfileFactory.build(user=user, reminder_timing=ReminderTiming.HOURS_BEFORE)
        for user in users
    )
    events = [MeetupFactory(title=f"Moms' night out #{n}") for n in range(meetups)]
    pairs = list(product(events, users))
    Rsvp.objects.bulk_create(
        Rsvp(meetup=meetup, member=user, response=Rsvp.Response.GOING) for meetup, user in pairs
    )
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            recipient=user,
            subject=subject_key(meetup),
            kind=REMINDER_HOURS,
            occurrence=occurrence_of(REMINDER_HOURS, meetup.starts_at),
            due_at=due_at,
            next_attempt_at=due_at,
        )
        for meetup, user in pairs
    )


# A line break in an address makes an email that cannot be built (Django refuses the To
# header), as a row written before addresses were checked would.
UNBUILDABLE_ADDRESS = "poison@example.com\nBcc: evil@example.com"


def poisoned_reminder(*, due_at: datetime) -> OutboxMessage:
    """One due reminder, first in line at `due_at`, to a member whose address no email can be
    written to: it fails each time it is built."""
    (row,) = bulk_due_reminders(members=1, meetups=1, due_at=due_at)
    User.objects.filter(pk=row.recipient_id).update(email=UNBUILDABLE_ADDRESS)
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=due_at - timedelta(seconds=1))
    return row

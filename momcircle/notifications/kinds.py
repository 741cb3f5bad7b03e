"""The kinds of email members get about their groups and meetups, and the topics she can turn
off (each one-click unsubscribe turns off one topic). Join answers are replies to her own
request, so they belong to no topic and always go."""

from dataclasses import dataclass

from momcircle.profiles.models import Announcements, ReminderTiming

REMINDER_EVENING = "reminder_evening"
REMINDER_HOURS = "reminder_hours"
REMINDER_KINDS = (REMINDER_EVENING, REMINDER_HOURS)
MEETUP_NEW = "meetup_new"
MEETUP_CHANGED = "meetup_changed"
MEETUP_CANCELLED = "meetup_cancelled"
WAITLIST_PROMOTED = "waitlist_promoted"
QUORUM_REACHED = "quorum_reached"
QUORUM_MISSED = "quorum_missed"
# A series is announced once, and members hear once of each change to it (not of each of its
# meetups the change moved or cancelled).
SERIES_NEW = "series_new"
SERIES_CHANGED = "series_changed"
SERIES_ENDED = "series_ended"
UPDATE_KINDS = (
    MEETUP_CHANGED,
    MEETUP_CANCELLED,
    WAITLIST_PROMOTED,
    QUORUM_REACHED,
    QUORUM_MISSED,
    SERIES_CHANGED,
    SERIES_ENDED,
)
WEEKLY_DIGEST = "weekly_digest"
MEETUP_CONVERSATION = "meetup_conversation"
JOIN_APPROVED = "join_approved"
JOIN_DECLINED = "join_declined"

REMINDERS = "reminders"
ANNOUNCEMENTS = "announcements"
MEETUP_UPDATES = "meetup_updates"
CONVERSATION = "conversation"


@dataclass(frozen=True)
class Topic:
    name: str  # what the unsubscribe page calls it: "Stop …?", "You will get no more …"
    kinds: tuple[str, ...]
    off: dict  # the email preferences that turn it off


TOPICS = {
    REMINDERS: Topic("meetup reminders", REMINDER_KINDS, {"reminder_timing": ReminderTiming.NONE}),
    ANNOUNCEMENTS: Topic(
        "emails about new meetups in your groups",
        (MEETUP_NEW, SERIES_NEW, WEEKLY_DIGEST),
        {"announcements": Announcements.OFF},
    ),
    MEETUP_UPDATES: Topic(
        "updates about your meetups (changes, cancellations, waitlist and quorum news)",
        UPDATE_KINDS,
        {"meetup_updates": False},
    ),
    CONVERSATION: Topic(
        "emails about meetup conversations", (MEETUP_CONVERSATION,), {"conversation_emails": False}
    ),
}

"""What happened to meetups, for whoever tells members about it (the notice emails).

Services send these after their transaction commits, so a receiver (typically queueing a Celery
task with the ids) never sees a change that was rolled back.
"""

from django.dispatch import Signal

# meetup: a new meetup in a group.
meetup_created = Signal()
# change: a MeetupChange (a new time or place, a cancellation, or a confirmation).
meetup_changed = Signal()
# rsvp: the Rsvp of a member moved from the waitlist to going.
rsvp_promoted = Signal()
# rsvp: her Rsvp after she answered (going, maybe, can't go, or a place on the waitlist).
rsvp_changed = Signal()

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
# rsvp: her Rsvp after she answered (going, maybe, can't go, or a place on the waitlist), or
# after her standing answer answered for her on a meetup already made.
rsvp_changed = Signal()
# meetups: new occurrences of a series, with the answers its standing answers gave on them
# (one signal for the lot, not rsvp_changed for each answer).
occurrences_made = Signal()
# series: a new MeetupSeries (its first occurrences are made; they send no meetup_created).
series_created = Signal()
# change: a SeriesChange (new details from a date on, or the series ended). The MeetupChanges
# it makes of its occurrences carry it as their series_change: members hear of this one only.
series_changed = Signal()

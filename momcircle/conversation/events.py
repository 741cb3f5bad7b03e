"""What happens in meetup conversations, for whoever tells members about it (the batched
emails). Sent after the transaction commits (momcircle.events)."""

from django.dispatch import Signal

# message: a new Message on a meetup.
message_posted = Signal()

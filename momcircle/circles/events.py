"""What happened to circles, for the apps above that hang work on it (notifications writes
the emails). Sent with momcircle.events.send_after_commit."""

from django.dispatch import Signal

# proposal: a new circle was proposed to the members of its seats.
proposal_made = Signal()
# proposal, member: she said "I'm in" after her circle had become a group, and joined it.
circle_joined = Signal()
# wish: she let two proposals in a row pass without an answer, so she was paused.
wish_paused = Signal()

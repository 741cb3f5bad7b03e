"""What happened to memberships, for the apps above that hang work on it. Sent with
momcircle.events.send_after_commit."""

from django.dispatch import Signal

# group, member: she is no longer an active member (she left, was removed or banned).
membership_ended = Signal()
# membership: the organizers approved or declined her request to join.
membership_decided = Signal()

"""What happened to memberships, for the apps that hang work on it (meetup answers)."""

from django.dispatch import Signal

# group, member: she is no longer an active member (she left, was removed or banned).
membership_ended = Signal()

"""Scheduling's answers to what happens below it."""

from django.dispatch import receiver

from groups.events import membership_ended
from scheduling.services import rsvps_release


@receiver(membership_ended)
def release_her_answers(sender, *, group, member, **kwargs) -> None:
    """Out of the group, out of its meetups: her seats go to the women waiting."""
    rsvps_release(group=group, member=member)

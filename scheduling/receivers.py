"""Scheduling's answers to what happens elsewhere."""

from django.dispatch import receiver

from groups.events import membership_ended
from momcircle.profiles.events import email_timing_changed
from scheduling.notices import notices_follow_preferences
from scheduling.services import rsvps_release


@receiver(membership_ended)
def release_her_answers(sender, *, group, member, **kwargs) -> None:
    """Out of the group, out of its meetups: her seats go to the women waiting."""
    rsvps_release(group=group, member=member)


@receiver(email_timing_changed)
def follow_her_preferences(sender, *, profile, changed, **kwargs) -> None:
    """A new evening time or time zone moves her reminders; emails she turned off are not
    sent."""
    notices_follow_preferences(profile=profile, changed=changed)

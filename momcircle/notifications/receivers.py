"""Notifications' answers to what happens below: each signal arrives after the change
committed (momcircle.events) and queues what members should hear of it."""

from django.contrib.auth import get_user_model
from django.dispatch import receiver

from groups.events import membership_decided
from momcircle.conversation import events as conversation_events
from momcircle.notifications import services
from momcircle.profiles.events import email_timing_changed
from scheduling import events
from scheduling.models import Meetup

User = get_user_model()


@receiver(events.meetup_created)
def announce_the_meetup(sender, *, meetup, **kwargs) -> None:
    services.announcement_queue(meetup=meetup)


@receiver(events.series_created)
def announce_the_series(sender, *, series, **kwargs) -> None:
    services.series_announcement_queue(series=series)


@receiver(events.series_changed)
def tell_of_the_series_change(sender, *, change, **kwargs) -> None:
    services.series_notice_queue(change=change)


@receiver(events.meetup_changed)
def tell_of_the_change(sender, *, change, **kwargs) -> None:
    services.change_notice_queue(change=change)


@receiver(events.rsvp_changed)
@receiver(events.rsvp_promoted)
def plan_her_reminders(sender, *, rsvp, **kwargs) -> None:
    member = User.objects.select_related("profile").get(pk=rsvp.member_id)
    services.reminders_plan(meetup=Meetup.objects.get(pk=rsvp.meetup_id), member=member)


@receiver(events.occurrences_made)
def plan_their_reminders(sender, *, meetups, **kwargs) -> None:
    services.reminders_plan_new(meetups=meetups)


@receiver(events.rsvp_promoted)
def tell_her_she_is_in(sender, *, rsvp, **kwargs) -> None:
    services.promotion_notice_queue(rsvp=rsvp)


@receiver(membership_decided)
def tell_her_the_answer(sender, *, membership, **kwargs) -> None:
    services.join_answer_queue(membership=membership)


@receiver(email_timing_changed)
def follow_her_preferences(sender, *, profile, changed, **kwargs) -> None:
    """A new evening time or time zone moves her reminders; emails she turned off are not
    sent."""
    services.preferences_follow(profile=profile, changed=changed)


@receiver(conversation_events.message_posted)
def tell_of_the_message(sender, *, message, **kwargs) -> None:
    services.conversation_email_queue(message=message)

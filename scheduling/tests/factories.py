from datetime import timedelta

import factory
from django.utils import timezone

from momcircle.profiles.models import KidMode
from scheduling.models import Meetup
from tests.factories import GroupFactory


def in_days(days: float, hour: int = 19) -> "timezone.datetime":
    """`days` from now at about `hour` UTC, on the minute."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


class MeetupFactory(factory.django.DjangoModelFactory):
    """A confirmed kid-free evening a week from now, at a café."""

    class Meta:
        model = Meetup

    group = factory.SubFactory(GroupFactory)
    title = "Moms' night out"
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda meetup: meetup.starts_at + timedelta(minutes=90))
    venue_name = "Café Lula"
    venue_address = "2537 N Kedzie Blvd"
    kid_mode = KidMode.KID_FREE

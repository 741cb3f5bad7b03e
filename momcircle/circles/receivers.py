"""What circles do when something happens below them."""

from django.dispatch import receiver

from momcircle.circles.services import proposals_keep_apart
from momcircle.profiles.events import member_blocked


@receiver(member_blocked)
def keep_the_two_apart(sender, *, blocker, blocked, **kwargs) -> None:
    """A circle never holds two women where one blocked the other."""
    proposals_keep_apart(blocker=blocker, blocked=blocked)

"""Who blocked whom."""

from momcircle.profiles.models import Block


def has_blocked(blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()

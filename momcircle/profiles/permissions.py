"""Who blocked whom."""

from momcircle.profiles.models import Block


def has_blocked(blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def kept_apart(first, second) -> bool:
    """One of the two blocked the other, whichever it was."""
    return Block.objects.between(first, second).exists()

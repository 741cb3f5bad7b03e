"""Per-member limits on actions that others see (join requests, reports, messages), counted in
the shared Redis cache so every web process sees the same counters. A fixed window: simple, and
a burst at a window's edge is at most twice the limit, which is fine for these."""

import time
from dataclasses import dataclass

from django.core.cache import cache

from momcircle.rules import RuleBroken

TOO_MANY = "You've sent a lot of requests; please try again in a while."


@dataclass(frozen=True)
class Limit:
    action: str
    count: int
    seconds: int


JOIN_REQUESTS = Limit("join", count=10, seconds=3600)
REPORTS = Limit("report", count=5, seconds=3600)
RSVP_CHANGES = Limit("rsvp", count=30, seconds=600)
# Posting and editing messages in meetup conversations.
MESSAGES = Limit("message", count=30, seconds=600)


def counter_key(limit: Limit, *, member) -> str:
    """Her counter in the current window."""
    window = int(time.time()) // limit.seconds
    return f"ratelimit:{limit.action}:{member.pk}:{window}"


def spend(limit: Limit, *, member) -> None:
    """Counts one more of her attempts in the current window; past the limit, refuses it."""
    key = counter_key(limit, member=member)
    cache.add(key, 0, timeout=limit.seconds)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the window's key expired between add() and incr()
        cache.set(key, 1, timeout=limit.seconds)
        attempts = 1
    if attempts > limit.count:
        raise RuleBroken(TOO_MANY)

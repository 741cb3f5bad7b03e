from datetime import timedelta

import pytest
from django.utils import timezone

from momcircle.conversation.models import Message
from momcircle.conversation.services import message_post
from scheduling.tests import conftest as scheduling_conftest

# The scheduling tests' circle (a woman in every position) and its meetup a week from now.
circle = scheduling_conftest.circle
meetup = scheduling_conftest.meetup


@pytest.fixture
def say():
    """say(woman, meetup, "text"): her message, posted through the service."""

    def posted(author, meetup, text, **kwargs):
        return message_post(meetup=meetup, author=author, text=text, **kwargs)

    return posted


def history(meetup, authors, count: int, text: str = "Message number {n}.") -> list[Message]:
    """`count` messages a minute apart, the last a minute ago, by `authors` in turn (written
    straight to the table: the rate limit is for members, not for setting a scene)."""
    start = timezone.now() - timedelta(minutes=count)
    return Message.objects.bulk_create(
        Message(
            meetup=meetup,
            author=authors[n % len(authors)],
            text=text.format(n=n),
            created_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    )

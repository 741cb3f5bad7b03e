import pytest

from groups.tests import conftest as groups_conftest
from scheduling.tests.factories import MeetupFactory

# The groups tests' circle: a group with a woman in every position, and a stranger.
circle = groups_conftest.circle


@pytest.fixture
def meetup(circle):
    """A meetup of the circle's group, a week from now."""
    return MeetupFactory(group=circle.group, created_by=circle.organizer)

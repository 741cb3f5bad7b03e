import pytest

from momcircle.circles.tests.factories import seeker

NAMES = ("Ana", "Bea", "Cleo", "Dana", "Eva", "Fay", "Gia", "Hana")


@pytest.fixture
def five(db):
    """Five neighbours in Lincoln Park, each free on Tuesday evenings, looking for a circle."""
    return [seeker(name) for name in NAMES[:5]]

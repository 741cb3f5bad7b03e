"""The PostgreSQL side of the shared cache (momcircle/cache.py) counts as Redis does: one more
each time, with the window's expiry kept, and a missing counter is a ValueError."""

import pytest
from django.core.cache import cache
from django.db import connection

from tests.workers import at_once

pytestmark = pytest.mark.django_db
COUNTS_EACH = 50


def expiry_of(key: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM momcircle_cache WHERE cache_key = %s",
            [cache.database.make_key(key)],
        )
        return cursor.fetchone()[0]


def test_a_counter_in_postgresql_counts_and_keeps_its_window_s_expiry():
    cache.database.add("counter", 0, timeout=3600)
    expires = expiry_of("counter")
    assert [cache.database.incr("counter") for _ in range(3)] == [1, 2, 3]
    assert abs((expiry_of("counter") - expires).total_seconds()) <= 1


def test_a_counter_postgresql_does_not_have_cannot_be_counted():
    with pytest.raises(ValueError, match="not found"):
        cache.database.incr("never-added")


@pytest.mark.django_db(transaction=True)
def test_two_requests_counting_at_once_in_postgresql_count_two():
    cache.database.add("together", 0, timeout=3600)

    def count_many():
        for _ in range(COUNTS_EACH):
            cache.database.incr("together")

    at_once(count_many)
    assert cache.database.get("together") == 2 * COUNTS_EACH

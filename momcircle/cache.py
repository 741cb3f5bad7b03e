"""The shared cache: Redis while it answers, a table in PostgreSQL while it does not.

The rate limits count here (ours in momcircle/ratelimit.py, allauth's on log in, sign up and
password resets), so Redis being down must turn them neither into server errors nor off. Every
call goes to Redis first; when Redis refuses the connection, times out or fails the call (out
of memory, read-only), this process sends its calls to Django's DatabaseCache for
`RETRY_SECONDS`, then tries Redis again. Nothing is copied between the two: when Redis
answers again, the counters it holds (none, after a crash) are the ones that count.

In PostgreSQL a counter is written in the transaction of the service that spends it, so an
attempt that a rule refuses (and rolls back) is not counted; in Redis it is."""

import logging
import time
from datetime import datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import BaseDatabaseCache, DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from django.utils import timezone
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

SHARED_PARAMS = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
# The table keeps every counter of an outage: culling (past MAX_ENTRIES) would forget some.
FALLBACK_MAX_ENTRIES = 100_000


class CountingDatabaseCache(DatabaseCache):
    """DatabaseCache, whose incr() reads and writes with the row locked (two requests at once
    count two) and keeps the key's expiry (Django's would start the default timeout again)."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT expires FROM {table} WHERE cache_key = %s FOR UPDATE",
                [self.make_and_validate_key(key, version=version)],
            )
            row = cursor.fetchone()
            value = self.get(key, version=version)
            if row is None or value is None:
                raise ValueError(f"Key '{key}' not found")
            self.set(key, value + delta, timeout=_seconds_until(row[0]), version=version)
            return value + delta


def _seconds_until(expires: datetime) -> float | None:
    if expires.year == datetime.max.year:  # set without a timeout
        return None
    return max((expires - timezone.now()).total_seconds(), 1)


class RedisOrDatabaseCache(BaseDatabaseCache):
    """LOCATION is Redis's URL and OPTIONS go to its connection pool; TABLE is the PostgreSQL
    table (being a database cache, `manage.py createcachetable` creates it)."""

    def __init__(self, location: str, params: dict):
        super().__init__(params["TABLE"], params)
        shared = {name: params[name] for name in SHARED_PARAMS if name in params}
        self.redis = RedisCache(location, {**shared, "OPTIONS": params.get("OPTIONS", {})})
        self.database = CountingDatabaseCache(
            params["TABLE"], {**shared, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}}
        )
        self.retry_seconds = params.get("RETRY_SECONDS", 5)
        self._redis_skipped_until = 0.0

    @property
    def in_database(self) -> bool:
        """Whether this process sends its calls to PostgreSQL now."""
        return time.monotonic() < self._redis_skipped_until

    def _call(self, name: str, *args, **kwargs):
        if not self.in_database:
            try:
                return getattr(self.redis, name)(*args, **kwargs)
            except RedisError as error:
                self._redis_skipped_until = time.monotonic() + self.retry_seconds
                log.warning("Redis does not answer (%s); the cache is in PostgreSQL.", error)
        return getattr(self.database, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._call("incr", key, -delta, version)

    def clear(self):
        return self._call("clear")

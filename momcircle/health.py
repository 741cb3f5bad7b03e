"""Liveness of the parts every request depends on: PostgreSQL and Redis."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def redis_answers() -> bool:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def failing_parts() -> list[str]:
    checks = {"postgresql": database_answers, "redis": redis_answers}
    return [name for name, answers in checks.items() if not answers()]

"""Redis goes away: a real redis-server of the test's own, the site's cache and broker, is
stopped and started again. While it is down a member still logs in, signs up, asks for a new
password, answers a meetup, asks to join a group and files a report, and an organizer approves
a request (its email waits in the outbox), each at once; the rate limits still count (in
PostgreSQL) and still refuse; /healthz names Redis. Back, the counters and the broker are
Redis's again."""

import re
import time

import pytest
import redis
from django.db import connection
from django.urls import reverse

from groups.models import JoinPolicy, Membership
from momcircle.celery import app as celery_app
from momcircle.moderation.models import Report
from momcircle.outbox.models import OutboxMessage
from momcircle.ratelimit import REPORTS, TOO_MANY
from scheduling.models import Rsvp
from scheduling.tests.factories import MeetupFactory
from tests.factories import PASSWORD, MembershipFactory, join_request, member, organized_group
from tests.workers import PrivateRedis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A request that waits on Redis (or the broker) for seconds fails this; a fast one is
# milliseconds here.
PROMPT_SECONDS = 3
RETRY_SECONDS = 0.5


@pytest.fixture
def redis_server(tmp_path, settings):
    """The site's Redis, for the cache, the broker and /healthz: running, and the test's."""
    server = PrivateRedis(tmp_path)
    server.start()
    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": server.url,
            "RETRY_SECONDS": RETRY_SECONDS,
        }
    }
    broker_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = server.url
    yield server
    celery_app.conf.broker_url = broker_url
    server.stop()


@pytest.fixture
def redis_down(redis_server):
    redis_server.stop()
    return redis_server


def promptly(request):
    """The response to `request()`, which must not be a server error nor slow."""
    started = time.monotonic()
    response = request()
    took = time.monotonic() - started
    assert response.status_code < 500, response.status_code
    assert took < PROMPT_SECONDS, f"took {took:.1f} s"
    return response


def fallback_keys(pattern: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM momcircle_cache")
        return [key for (key,) in cursor.fetchall() if re.search(pattern, key)]


def redis_keys(server: PrivateRedis, pattern: str) -> list[str]:
    with redis.Redis.from_url(server.url) as client:
        return [key.decode() for key in client.keys(f"*{pattern}*")]


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_with_redis_down_she_logs_in(client, redis_down):
    dana = member()
    response = promptly(lambda: log_in(client, dana.email))
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(dana.pk)


def test_with_redis_down_she_signs_up(client, redis_down):
    fields = {"email": "new.mom@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = promptly(lambda: client.post(reverse("account_signup"), fields))
    assert response.url == reverse("account_email_verification_sent")


def test_with_redis_down_she_asks_for_a_new_password(client, redis_down, mailoutbox):
    dana = member()
    url = reverse("account_reset_password")
    response = promptly(lambda: client.post(url, {"email": dana.email}))
    assert response.url == reverse("account_reset_password_done")
    assert [message.to for message in mailoutbox] == [[dana.email]]


def test_with_redis_down_she_answers_a_meetup(client, redis_down):
    organizer = member()
    meetup = MeetupFactory(group=organized_group(organizer), created_by=organizer)
    dana = MembershipFactory(group=meetup.group).member
    client.force_login(dana)
    url = reverse("scheduling:rsvp", args=[meetup.pk])
    promptly(lambda: client.post(url, {"response": "going"}))
    assert Rsvp.objects.get(meetup=meetup, member=dana).response == Rsvp.Response.GOING


def test_with_redis_down_she_asks_to_join_a_group(client, redis_down):
    group = organized_group(join_policy=JoinPolicy.REQUEST, join_question="Your kids?")
    dana = member()
    client.force_login(dana)
    url = reverse("groups:join", args=[group.slug])
    promptly(lambda: client.post(url, {"answer": "Two toddlers."}))
    assert Membership.objects.get(group=group, member=dana).status == Membership.Status.PENDING


def test_with_redis_down_she_reports_a_group(client, redis_down):
    group = organized_group()
    client.force_login(member())
    url = reverse("moderation:report_group", args=[group.slug])
    promptly(lambda: client.post(url, {"reason": "spam", "details": "Selling leggings."}))
    assert Report.objects.filter(reported_group=group).count() == 1


def test_with_redis_down_our_limits_count_in_postgresql_and_still_refuse(client, redis_down):
    groups = [organized_group() for _ in range(REPORTS.count + 1)]
    dana = member()
    client.force_login(dana)
    for group in groups:
        url = reverse("moderation:report_group", args=[group.slug])
        response = promptly(lambda url=url: client.post(url, {"reason": "spam"}, follow=True))
    assert TOO_MANY in response.content.decode().replace("&#x27;", "'")
    assert Report.objects.filter(reporter=dana).count() == REPORTS.count
    assert fallback_keys(rf"ratelimit:report:{dana.pk}:")


def test_with_redis_down_allauth_s_limit_on_failed_logins_still_refuses(client, redis_down):
    dana = member()
    for _ in range(5):  # ACCOUNT_RATE_LIMITS: login_failed 5 in 5 minutes for one address
        promptly(lambda: log_in(client, dana.email, "not-her-password"))
    response = promptly(lambda: log_in(client, dana.email))
    assert "Your password is locked for a few minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert fallback_keys(r"allauth:rl:allauth\.account:login_failed:")


def test_with_redis_down_an_organizer_approves_a_request_and_the_email_waits(client, redis_down):
    organizer = member()
    request = join_request(organized_group(organizer, join_policy=JoinPolicy.REQUEST))
    client.force_login(organizer)
    url = reverse("groups:approve", args=[request.group.slug, request.pk])
    promptly(lambda: client.post(url))
    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE
    assert OutboxMessage.objects.filter(recipient=request.member).count() == 1


def test_healthz_names_redis_while_it_is_down_and_not_once_it_is_back(client, redis_server):
    redis_server.stop()
    down = client.get("/healthz")
    assert (down.status_code, down.json()["failing"]) == (503, ["redis"])
    redis_server.start()
    assert client.get("/healthz").json() == {"status": "ok", "failing": []}


def test_once_redis_is_back_the_limits_count_there_again(client, redis_server):
    groups = [organized_group(join_policy=JoinPolicy.REQUEST) for _ in range(2)]
    dana = member()
    client.force_login(dana)
    redis_server.stop()
    promptly(lambda: client.post(reverse("groups:join", args=[groups[0].slug])))
    assert fallback_keys(rf"ratelimit:join:{dana.pk}:")
    redis_server.start()
    time.sleep(RETRY_SECONDS)
    promptly(lambda: client.post(reverse("groups:join", args=[groups[1].slug])))
    assert redis_keys(redis_server, f"ratelimit:join:{dana.pk}:")


def test_once_redis_is_back_a_dispatch_reaches_the_broker_again(client, redis_server):
    organizer = member()
    group = organized_group(organizer, join_policy=JoinPolicy.REQUEST)
    requests = [join_request(group) for _ in range(2)]
    client.force_login(organizer)
    redis_server.stop()
    promptly(lambda: client.post(reverse("groups:approve", args=[group.slug, requests[0].pk])))
    redis_server.start()
    promptly(lambda: client.post(reverse("groups:approve", args=[group.slug, requests[1].pk])))
    queue = celery_app.conf.task_default_queue
    with redis.Redis.from_url(redis_server.url) as broker:
        assert broker.llen(queue) == 1

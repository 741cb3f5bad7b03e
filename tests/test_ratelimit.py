import re

import pytest
from django.urls import reverse

from groups.models import Membership
from groups.services import membership_join
from momcircle import ratelimit
from momcircle.ratelimit import TOO_MANY, Limit, spend
from momcircle.rules import RuleBroken
from tests.factories import member, organized_group

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = Limit("test", count=3, seconds=60)


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(1_800_000_000.0)
    monkeypatch.setattr(ratelimit.time, "time", clock)
    return clock


def attempts_allowed(limit: Limit, user, tries: int) -> int:
    refusals = []
    for _ in range(tries):
        try:
            spend(limit, member=user)
        except RuleBroken as broken:
            refusals.append(str(broken))
    assert set(refusals) <= {TOO_MANY}
    return tries - len(refusals)


def test_she_gets_as_many_attempts_as_the_limit_allows(clock):
    assert attempts_allowed(THREE_A_MINUTE, member(), 5) == 3


def test_the_count_starts_again_in_the_next_window(clock):
    dana = member()
    attempts_allowed(THREE_A_MINUTE, dana, 3)
    clock.now += 60
    assert attempts_allowed(THREE_A_MINUTE, dana, 5) == 3


def test_each_member_has_her_own_count(clock):
    attempts_allowed(THREE_A_MINUTE, member(), 3)
    assert attempts_allowed(THREE_A_MINUTE, member(), 3) == 3


def test_each_action_has_its_own_count(clock):
    dana = member()
    attempts_allowed(THREE_A_MINUTE, dana, 3)
    assert attempts_allowed(Limit("other", count=3, seconds=60), dana, 3) == 3


def test_the_eleventh_join_in_an_hour_is_refused_and_nothing_is_saved():
    dana = member()
    groups = [organized_group() for _ in range(11)]
    for group in groups[:10]:
        membership_join(group=group, member=dana)
    with pytest.raises(RuleBroken, match=re.escape(TOO_MANY)):
        membership_join(group=groups[10], member=dana)
    assert Membership.objects.filter(member=dana).count() == 10


def test_a_member_over_the_join_limit_reads_why(client):
    dana = member()
    client.force_login(dana)
    groups = [organized_group() for _ in range(11)]
    for group in groups:
        response = client.post(reverse("groups:join", args=[group.slug]), follow=True)
    assert TOO_MANY in response.content.decode().replace("&#x27;", "'")
    assert not groups[10].memberships.filter(member=dana).exists()


def test_a_woman_over_allauth_s_limit_reads_why_on_a_page_of_the_site(client):
    dana = member()
    url = reverse("account_reset_password")
    for _ in range(5):  # ACCOUNT_RATE_LIMITS: reset_password 5 a minute for one address
        client.post(url, {"email": dana.email})
    response = client.post(url, {"email": dana.email})
    assert response.status_code == 429
    assert "MomCircle pauses here for a few minutes" in response.content.decode()

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from momcircle.moderation.models import Report
from momcircle.profiles import services
from momcircle.profiles.models import Block
from momcircle.rules import RuleBroken
from tests.factories import MembershipFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbors(db):
    """Dana and Erin, in one group."""
    dana, erin = member(first_name="Dana"), member(first_name="Erin", last_initial="W")
    group = MembershipFactory(member=dana).group
    MembershipFactory(member=erin, group=group)
    return dana, erin


def profile_url(user) -> str:
    return reverse("members:detail", args=[user.pk])


def test_she_cannot_block_herself():
    dana = member()
    with pytest.raises(RuleBroken, match="You can't block yourself"):
        services.member_block(blocker=dana, blocked=dana)
    assert not Block.objects.exists()


def test_blocking_twice_keeps_one_block(neighbors):
    dana, erin = neighbors
    first = services.member_block(blocker=dana, blocked=erin)
    again = services.member_block(blocker=dana, blocked=erin)
    assert first.pk == again.pk
    assert Block.objects.count() == 1


def test_unblocking_lifts_only_her_own_block(neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    services.member_block(blocker=erin, blocked=dana)
    services.member_unblock(blocker=dana, blocked=erin)
    assert list(Block.objects.values_list("blocker", "blocked")) == [(erin.pk, dana.pk)]


@pytest.mark.parametrize("who", ["herself", "twice"])
def test_the_database_refuses_a_block_of_herself_or_a_second_one(neighbors, who):
    dana, erin = neighbors
    Block.objects.create(blocker=dana, blocked=erin)
    blocked = dana if who == "herself" else erin
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=dana, blocked=blocked)


def test_she_blocks_a_member_from_her_profile_page(client, neighbors):
    dana, erin = neighbors
    client.force_login(dana)
    assert "Block Erin W." in client.get(profile_url(erin)).content.decode()
    response = client.post(reverse("moderation:block", args=[erin.pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("moderation:blocked")
    assert "You blocked Erin W." in html
    assert f'action="{reverse("moderation:unblock", args=[erin.pk])}"' in html
    assert Block.objects.filter(blocker=dana, blocked=erin).exists()


def test_a_link_never_blocks_anyone(client, neighbors):
    dana, erin = neighbors
    client.force_login(dana)
    assert client.get(reverse("moderation:block", args=[erin.pk])).status_code == 405
    assert client.get(reverse("moderation:unblock", args=[erin.pk])).status_code == 405
    assert not Block.objects.exists()


def test_she_cannot_block_a_woman_whose_profile_she_cannot_see(client):
    dana, stranger = member(), member()
    client.force_login(dana)
    assert client.post(reverse("moderation:block", args=[stranger.pk])).status_code == 404
    assert not Block.objects.exists()


def test_her_own_profile_offers_no_block_or_report(client):
    dana = member()
    client.force_login(dana)
    html = client.get(profile_url(dana)).content.decode()
    assert "Block " not in html
    assert "Report " not in html


@pytest.mark.parametrize("viewer", ["the blocked woman", "the blocker"])
def test_a_block_hides_the_two_profiles_from_each_other(client, neighbors, viewer):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    looking, looked_at = (erin, dana) if viewer == "the blocked woman" else (dana, erin)
    client.force_login(looking)
    assert client.get(profile_url(looked_at)).status_code == 404


def test_unblocking_shows_the_two_profiles_again(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    services.member_unblock(blocker=dana, blocked=erin)
    for viewer, other in ((dana, erin), (erin, dana)):
        client.force_login(viewer)
        assert client.get(profile_url(other)).status_code == 200


def test_she_can_still_report_the_woman_she_blocked_from_her_blocked_list(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(dana)
    report_url = reverse("moderation:report_member", args=[erin.pk])
    assert f'href="{report_url}"' in client.get(reverse("moderation:blocked")).content.decode()
    response = client.post(report_url, {"reason": "harassment", "details": "Rude messages."})
    assert response.url == reverse("moderation:blocked")
    assert Report.objects.get().reported_user == erin


def test_the_blocked_woman_cannot_report_the_blocker(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(erin)
    response = client.post(
        reverse("moderation:report_member", args=[dana.pk]), {"reason": "spam", "details": ""}
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_her_settings_list_the_women_she_blocked(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(dana)
    html = client.get(reverse("moderation:blocked")).content.decode()
    assert "Erin W." in html
    assert f'action="{reverse("moderation:unblock", args=[erin.pk])}"' in html
    assert 'aria-current="page" href="/me/blocked/"' in html


def test_nobody_blocked_says_so(client):
    client.force_login(member())
    assert (
        "You haven't blocked anyone." in client.get(reverse("moderation:blocked")).content.decode()
    )


def test_unblocking_from_her_settings_takes_her_back_there(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(dana)
    response = client.post(
        reverse("moderation:unblock", args=[erin.pk]), {"next": reverse("moderation:blocked")}
    )
    assert response.url == reverse("moderation:blocked")
    assert not Block.objects.exists()


def test_unblocking_never_sends_her_to_another_site(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(dana)
    response = client.post(
        reverse("moderation:unblock", args=[erin.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("moderation:blocked")


@pytest.mark.parametrize("blocks", [1, 12])
def test_the_blocked_list_query_count_does_not_grow(client, django_assert_max_num_queries, blocks):
    dana = member()
    for _ in range(blocks):
        services.member_block(blocker=dana, blocked=member())
    client.force_login(dana)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("moderation:blocked"))
    assert len(response.context["blocks"]) == blocks


def test_her_data_export_lists_the_women_she_blocked(client, neighbors):
    dana, erin = neighbors
    services.member_block(blocker=dana, blocked=erin)
    client.force_login(dana)
    data = client.get(reverse("privacy:export")).json()
    assert [entry["member"] for entry in data["blocked_members"]] == ["Erin W."]

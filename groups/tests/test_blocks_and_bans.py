"""Organizers remove and ban; a block keeps two women apart in groups and in suggestions."""

import pytest
from django.urls import reverse

from groups import selectors, services
from groups.models import JoinPolicy, Membership
from momcircle.profiles.services import member_block
from momcircle.rules import RuleBroken
from tests.factories import MembershipFactory, join_request, member, organized_group

pytestmark = pytest.mark.django_db

CANNOT_JOIN = "You can't join this group."


def refused(action, **arguments) -> str:
    with pytest.raises(RuleBroken) as broken:
        action(**arguments)
    return str(broken.value)


def names(rows) -> list[str]:
    return [row.membership.member.profile.first_name for row in rows]


def card_names(response) -> list[str]:
    return [card.group.name for card in response.context["cards"]]


# Remove and ban


def test_a_banned_member_leaves_the_group_and_cannot_ask_again(circle):
    membership = Membership.objects.get(group=circle.group, member=circle.member)
    services.membership_ban(membership=membership, by=circle.organizer)
    assert not Membership.objects.filter(member=circle.member, status="active").exists()
    message = refused(
        services.membership_join, group=circle.group, member=circle.member, answer="Please?"
    )
    assert message == CANNOT_JOIN


def test_banning_frees_her_seat(circle):
    before = circle.group.active_count
    services.membership_ban(membership=circle.other_member, by=circle.co_organizer)
    circle.group.refresh_from_db()
    assert circle.group.memberships.filter(status="active").count() == before - 1


def test_a_banned_co_organizer_keeps_no_role(circle):
    membership = Membership.objects.get(group=circle.group, member=circle.co_organizer)
    services.membership_ban(membership=membership, by=circle.organizer)
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("banned", "member")


def test_a_member_cannot_ban_another(circle):
    message = refused(services.membership_ban, membership=circle.other_member, by=circle.member)
    assert message == "Only the organizers of this group can do that."
    circle.other_member.refresh_from_db()
    assert circle.other_member.status == "active"


def test_a_co_organizer_cannot_ban_another_co_organizer(circle):
    membership = Membership.objects.get(group=circle.group, member=circle.co_organizer)
    second = MembershipFactory(group=circle.group, role=Membership.Role.CO_ORGANIZER)
    message = refused(services.membership_ban, membership=membership, by=second.member)
    assert message == "Only the organizer can remove a co-organizer."


def test_the_organizer_tools_offer_remove_and_ban_next_to_remove(client, circle):
    client.force_login(circle.organizer)
    html = client.get(reverse("groups:manage", args=[circle.group.slug])).content.decode()
    ban_url = reverse("groups:ban", args=[circle.group.slug, circle.other_member.pk])
    assert f'action="{ban_url}"' in html
    assert "Remove and ban" in html


def test_banning_from_the_organizer_tools_says_she_cannot_come_back(client, circle):
    client.force_login(circle.organizer)
    url = reverse("groups:ban", args=[circle.group.slug, circle.other_member.pk])
    html = client.post(url, follow=True).content.decode()
    assert "is no longer in the group and can&#x27;t join it again." in html
    circle.other_member.refresh_from_db()
    assert circle.other_member.status == "banned"


def test_a_banned_member_reads_that_she_cannot_join(client, circle):
    services.membership_ban(membership=circle.other_member, by=circle.organizer)
    client.force_login(circle.other_member.member)
    html = client.get(circle.group.get_absolute_url()).content.decode()
    assert "You can't join this group." in html
    assert "Request to join" not in html


def test_a_banned_member_no_longer_finds_the_group_among_hers(client, circle):
    services.membership_ban(membership=circle.other_member, by=circle.organizer)
    client.force_login(circle.other_member.member)
    assert circle.group.name not in client.get(reverse("groups:mine")).content.decode()


# Blocks and joining


def test_she_cannot_ask_to_join_a_group_whose_organizer_blocked_her(circle):
    member_block(blocker=circle.organizer, blocked=circle.stranger)
    message = refused(
        services.membership_join, group=circle.group, member=circle.stranger, answer="Two"
    )
    assert message == CANNOT_JOIN
    assert not Membership.objects.filter(member=circle.stranger).exists()


def test_a_co_organizer_s_block_keeps_her_out_too(circle):
    member_block(blocker=circle.co_organizer, blocked=circle.stranger)
    message = refused(
        services.membership_join, group=circle.group, member=circle.stranger, answer="Two"
    )
    assert message == CANNOT_JOIN


def test_a_plain_member_s_block_does_not_keep_her_out(circle):
    member_block(blocker=circle.member, blocked=circle.stranger)
    joined = services.membership_join(group=circle.group, member=circle.stranger, answer="Two")
    assert joined.status == "pending"


def test_she_is_told_to_unblock_an_organizer_she_blocked_before_joining(circle):
    member_block(blocker=circle.stranger, blocked=circle.organizer)
    message = refused(
        services.membership_join, group=circle.group, member=circle.stranger, answer="Two"
    )
    assert message == "You blocked one of this group's organizers; unblock her to join."


def test_an_open_group_s_organizer_s_block_keeps_her_out(client):
    organizer, sara = member(), member()
    group = organized_group(organizer, join_policy=JoinPolicy.OPEN)
    member_block(blocker=organizer, blocked=sara)
    client.force_login(sara)
    html = client.post(reverse("groups:join", args=[group.slug]), follow=True).content.decode()
    assert "You can&#x27;t join this group." in html
    assert not group.memberships.filter(member=sara).exists()


# Blocks and member lists


def test_women_who_blocked_each_other_do_not_see_each_other_among_the_members(circle):
    member_block(blocker=circle.member, blocked=circle.other_member.member)
    blocker_sees = names(selectors.member_rows(group=circle.group, viewer=circle.member))
    blocked_sees = names(
        selectors.member_rows(group=circle.group, viewer=circle.other_member.member)
    )
    assert "Tess" not in blocker_sees
    assert "Maya" not in blocked_sees
    assert "Olivia" in blocker_sees
    assert "Olivia" in blocked_sees


def test_the_group_page_leaves_out_the_woman_she_blocked(client, circle):
    member_block(blocker=circle.other_member.member, blocked=circle.member)
    client.force_login(circle.other_member.member)
    members = client.get(circle.group.get_absolute_url()).context["members"]
    assert "Maya" not in names(members)
    assert "Corinne" in names(members)


def test_a_co_organizer_does_not_see_a_request_from_a_woman_she_blocked(circle):
    member_block(blocker=circle.co_organizer, blocked=circle.applicant)
    hers = names(selectors.request_rows(group=circle.group, viewer=circle.co_organizer))
    organizers = names(selectors.request_rows(group=circle.group, viewer=circle.organizer))
    assert hers == []
    assert organizers == ["Priya"]


def test_she_cannot_hand_the_group_over_to_a_woman_she_blocked(client, circle):
    member_block(blocker=circle.organizer, blocked=circle.member)
    client.force_login(circle.organizer)
    form = client.get(reverse("groups:manage", args=[circle.group.slug])).context["transfer_form"]
    candidates = [choice.member for choice in form.fields["to"].queryset]
    assert circle.member not in candidates
    assert circle.co_organizer in candidates


def test_a_block_outside_the_group_changes_nothing_in_it(circle):
    member_block(blocker=circle.member, blocked=member())
    rows = selectors.member_rows(group=circle.group, viewer=circle.member)
    assert len(rows) == 4


# Blocks and suggestions


def test_groups_led_by_a_woman_she_blocked_or_who_blocked_her_are_not_suggested(client):
    dana = member()
    blocked_by_her, blocked_her, co_led, friendly = member(), member(), member(), member()
    organized_group(blocked_by_her, name="Led by one she blocked")
    organized_group(blocked_her, name="Led by one who blocked her")
    co_led_group = organized_group(name="Co-led by one she blocked")
    MembershipFactory(group=co_led_group, member=co_led, role=Membership.Role.CO_ORGANIZER)
    organized_group(friendly, name="Friendly")
    member_block(blocker=dana, blocked=blocked_by_her)
    member_block(blocker=blocked_her, blocked=dana)
    member_block(blocker=dana, blocked=co_led)
    client.force_login(dana)
    assert card_names(client.get("/groups/")) == ["Friendly"]


def test_a_group_where_a_blocked_woman_is_only_a_member_is_still_suggested(client):
    dana, neighbor = member(), member()
    group = organized_group(name="Neighbors")
    MembershipFactory(group=group, member=neighbor)
    member_block(blocker=dana, blocked=neighbor)
    client.force_login(dana)
    assert card_names(client.get("/groups/")) == ["Neighbors"]


@pytest.mark.parametrize("blocks", [1, 15])
def test_the_browse_page_query_count_does_not_grow_with_blocks(
    client, django_assert_max_num_queries, blocks
):
    dana = member()
    for _ in range(blocks):
        organizer = member()
        organized_group(organizer)
        organized_group()
        member_block(blocker=organizer, blocked=dana)
    client.force_login(dana)
    with django_assert_max_num_queries(6):
        response = client.get("/groups/")
    assert len(response.context["cards"]) == min(blocks, 10)


def test_a_request_she_sent_before_the_block_stays_out_of_her_lists(circle):
    request = join_request(circle.group, member(first_name="Rita"))
    member_block(blocker=circle.organizer, blocked=request.member)
    assert "Rita" not in names(selectors.request_rows(group=circle.group, viewer=circle.organizer))

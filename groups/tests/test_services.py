import pytest

from groups import services
from groups.models import Group, JoinPolicy, MeetingStyle, Membership
from momcircle.rules import RuleBroken
from tests.factories import MembershipFactory, UserFactory, join_request, member, organized_group

pytestmark = pytest.mark.django_db

ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
DECLINED = Membership.Status.DECLINED
ORGANIZER = Membership.Role.ORGANIZER
CO_ORGANIZER = Membership.Role.CO_ORGANIZER


def new_group(organizer, **changes) -> Group:
    fields = {
        "name": "Logan Square Working Moms",
        "description": "After-bedtime walks and Saturday pancakes.",
        "zip_code": "60647",
        "focus": ["walks"],
        "kids_age_focus": ["toddler"],
        "meeting_style": MeetingStyle.BOTH,
        "size_cap": 10,
        "join_policy": JoinPolicy.OPEN,
        "join_question": "",
        "is_listed": True,
    }
    return services.group_create(organizer=organizer, **{**fields, **changes})


def refused(action, **arguments) -> str:
    with pytest.raises(RuleBroken) as broken:
        action(**arguments)
    return str(broken.value)


def status_of(membership: Membership) -> str:
    membership.refresh_from_db()
    return membership.status


def role_of(user, group: Group) -> str:
    return Membership.objects.get(member=user, group=group).role


def refused_role(membership: Membership, by, role: str) -> str:
    return refused(services.membership_set_role, membership=membership, by=by, role=role)


def full_group(**fields) -> Group:
    group = organized_group(size_cap=2, **fields)
    MembershipFactory(group=group)
    return group


# Starting a group


def test_starting_a_group_makes_her_its_organizer():
    dana = member()
    group = new_group(dana)
    assert Membership.objects.get(group=group, member=dana).role == ORGANIZER


def test_a_new_group_sits_at_its_zip_centroid_in_its_time_zone():
    group = new_group(member(), zip_code="10001")
    assert (group.time_zone, round(group.latitude)) == ("America/New_York", 41)


def test_groups_with_the_same_name_get_their_own_addresses():
    first, second = new_group(member()), new_group(member())
    assert (first.slug, second.slug) == ("logan-square-working-moms", "logan-square-working-moms-2")


def test_a_group_named_like_a_page_does_not_take_that_page_s_address():
    assert new_group(member(), name="New").slug == "new-2"


def test_an_unknown_zip_refuses_the_group_and_saves_nothing():
    sentence = refused(new_group, organizer=member(), zip_code="00000")
    assert "00000" in sentence
    assert not Group.objects.exists()


@pytest.mark.parametrize("size_cap", [1, 51])
def test_a_size_cap_outside_2_to_50_is_refused(size_cap):
    assert refused(new_group, organizer=member(), size_cap=size_cap) == (
        "A group has room for 2 to 50 members."
    )


def test_a_name_longer_than_80_characters_is_refused():
    assert "80 characters" in refused(new_group, organizer=member(), name="x" * 81)
    assert not Membership.objects.exists()


def test_an_account_without_a_profile_cannot_start_a_group():
    assert refused(new_group, organizer=UserFactory()) == "Please finish your profile first."


# Editing and archiving


def test_a_co_organizer_can_edit_the_group(circle):
    services.group_update(group=circle.group, by=circle.co_organizer, name="Evening Moms")
    circle.group.refresh_from_db()
    assert circle.group.name == "Evening Moms"


def test_a_member_cannot_edit_the_group(circle):
    sentence = refused(services.group_update, group=circle.group, by=circle.member, name="Mine")
    assert sentence == "Only the organizers of this group can do that."


def test_the_cap_cannot_go_below_the_current_size(circle):
    name = circle.group.name
    sentence = refused(
        services.group_update, group=circle.group, by=circle.organizer, size_cap=3, name="Renamed"
    )
    assert sentence == "The group has 4 members, so its size cap can't be lower than 4."
    circle.group.refresh_from_db()
    assert (circle.group.size_cap, circle.group.name) == (8, name)


def test_the_cap_can_go_down_to_the_current_size(circle):
    group = services.group_update(group=circle.group, by=circle.organizer, size_cap=4)
    assert group.size_cap == 4


def test_a_new_zip_moves_the_group(circle):
    group = services.group_update(group=circle.group, by=circle.organizer, zip_code="94110")
    assert (group.zip_code, group.time_zone) == ("94110", "America/Los_Angeles")


def test_renaming_keeps_the_address_so_shared_links_work(circle):
    slug = circle.group.slug
    group = services.group_update(group=circle.group, by=circle.organizer, name="Brand New Name")
    assert group.slug == slug


def test_the_organizer_archives_the_group():
    group = organized_group()
    organizer = Membership.objects.get(group=group).member
    assert services.group_archive(group=group, by=organizer).is_archived


def test_archiving_declines_the_waiting_requests(circle):
    services.group_archive(group=circle.group, by=circle.organizer)
    circle.request.refresh_from_db()
    assert (circle.request.status, circle.request.decision_message) == (
        DECLINED,
        "This group has closed.",
    )


def test_a_co_organizer_cannot_archive_the_group(circle):
    sentence = refused(services.group_archive, group=circle.group, by=circle.co_organizer)
    assert sentence == "Only the organizer can archive the group."


def test_an_archived_group_cannot_be_edited(circle):
    services.group_archive(group=circle.group, by=circle.organizer)
    sentence = refused(services.group_update, group=circle.group, by=circle.organizer, name="X")
    assert "archived" in sentence


# Joining


def test_joining_an_open_group_makes_her_a_member_at_once():
    membership = services.membership_join(group=organized_group(), member=member())
    assert (membership.status, membership.joined_at is not None) == (ACTIVE, True)


def test_a_full_group_refuses_another_member():
    group = full_group()
    assert refused(services.membership_join, group=group, member=member()) == "This group is full."
    assert Membership.objects.filter(group=group).count() == 2


def test_a_full_group_refuses_requests_too():
    group = full_group(join_policy=JoinPolicy.REQUEST)
    assert refused(services.membership_join, group=group, member=member()) == "This group is full."


def test_asking_to_join_waits_for_the_organizer_with_her_answer(circle):
    membership = services.membership_join(
        group=circle.group, member=circle.stranger, answer="  Two toddlers.  "
    )
    assert (membership.status, membership.answer) == (PENDING, "Two toddlers.")


def test_a_request_must_answer_the_organizer_s_question(circle):
    sentence = refused(
        services.membership_join, group=circle.group, member=circle.stranger, answer="   "
    )
    assert sentence == "Please answer the organizer's question: How old are your kids?"


def test_a_request_may_come_without_an_answer_when_there_is_no_question():
    group = organized_group(join_policy=JoinPolicy.REQUEST, join_question="")
    assert services.membership_join(group=group, member=member()).status == PENDING


def test_a_second_request_is_refused_with_a_sentence(circle):
    sentence = refused(
        services.membership_join, group=circle.group, member=circle.applicant, answer="Again"
    )
    assert sentence == "You have already asked to join; the organizer will answer soon."


def test_a_member_joining_again_is_told_she_is_in():
    group = organized_group()
    dana = MembershipFactory(group=group).member
    sentence = refused(services.membership_join, group=group, member=dana)
    assert sentence == "You are already a member of this group."


def test_after_a_decline_she_cannot_ask_again(circle):
    services.membership_decline(membership=circle.request, by=circle.organizer)
    sentence = refused(
        services.membership_join, group=circle.group, member=circle.applicant, answer="Please?"
    )
    assert sentence == "The organizers declined your request to join this group."


def test_an_archived_group_takes_no_one():
    group = organized_group(is_archived=True)
    assert "archived" in refused(services.membership_join, group=group, member=member())


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_an_unlisted_group_is_not_joined_without_its_invite_token(token):
    group = organized_group(is_listed=False)
    sentence = refused(services.membership_join, group=group, member=member(), invite_token=token)
    assert sentence == "This group is by invitation only: ask its organizer for the link."


def test_an_unlisted_group_is_joined_with_its_invite_token():
    group = organized_group(is_listed=False)
    membership = services.membership_join(
        group=group, member=member(), invite_token=group.invite_token
    )
    assert membership.status == ACTIVE


# Leaving


def test_a_member_leaves(circle):
    services.membership_leave(group=circle.group, member=circle.member)
    assert not Membership.objects.filter(group=circle.group, member=circle.member).exists()


def test_withdrawing_a_request_removes_it(circle):
    services.membership_leave(group=circle.group, member=circle.applicant)
    assert not Membership.objects.filter(pk=circle.request.pk).exists()


def test_the_organizer_leaving_hands_the_group_to_her_co_organizer(circle):
    services.membership_leave(group=circle.group, member=circle.organizer)
    assert role_of(circle.co_organizer, circle.group) == ORGANIZER


def test_the_organizer_leaving_without_a_co_organizer_archives_the_group():
    group = organized_group()
    MembershipFactory(group=group)
    organizer = Membership.objects.get(group=group, role=ORGANIZER).member
    assert services.membership_leave(group=group, member=organizer).is_archived


def test_leaving_a_group_she_is_not_in_is_refused(circle):
    sentence = refused(services.membership_leave, group=circle.group, member=circle.stranger)
    assert sentence == "Only members of this group can do that."


# Answering requests


def test_approving_a_request_makes_her_a_member_with_the_organizers_note(circle):
    services.membership_approve(membership=circle.request, by=circle.co_organizer, message="Hi!")
    circle.request.refresh_from_db()
    assert (circle.request.status, circle.request.decision_message) == (ACTIVE, "Hi!")
    assert circle.request.joined_at == circle.request.decided_at


def test_declining_a_request_records_the_answer(circle):
    services.membership_decline(
        membership=circle.request, by=circle.organizer, message="We're full of toddlers."
    )
    circle.request.refresh_from_db()
    assert (circle.request.status, circle.request.decided_at is not None) == (DECLINED, True)


@pytest.mark.parametrize("answer", [services.membership_approve, services.membership_decline])
def test_a_member_cannot_answer_requests(circle, answer):
    sentence = refused(answer, membership=circle.request, by=circle.member)
    assert sentence == "Only the organizers of this group can do that."
    assert status_of(circle.request) == PENDING


def test_approving_into_a_full_group_is_refused(circle):
    services.group_update(group=circle.group, by=circle.organizer, size_cap=4)
    sentence = refused(services.membership_approve, membership=circle.request, by=circle.organizer)
    assert sentence == "The group is full: a seat must free up before you approve her."
    assert status_of(circle.request) == PENDING


def test_a_request_is_answered_only_once(circle):
    services.membership_decline(membership=circle.request, by=circle.organizer)
    sentence = refused(services.membership_approve, membership=circle.request, by=circle.organizer)
    assert sentence == "This request has already been answered."


def test_a_withdrawn_request_cannot_be_approved(circle):
    services.membership_leave(group=circle.group, member=circle.applicant)
    sentence = refused(services.membership_approve, membership=circle.request, by=circle.organizer)
    assert "withdrawn" in sentence


def test_a_note_longer_than_500_characters_is_refused(circle):
    sentence = refused(
        services.membership_decline,
        membership=circle.request,
        by=circle.organizer,
        message="x" * 501,
    )
    assert sentence == "Keep your message to 500 characters or fewer."
    assert status_of(circle.request) == PENDING


# Removing members


def test_a_co_organizer_removes_a_member(circle):
    services.membership_remove(membership=circle.other_member, by=circle.co_organizer)
    assert not Membership.objects.filter(pk=circle.other_member.pk).exists()


def test_a_co_organizer_cannot_remove_another_co_organizer(circle):
    second = MembershipFactory(group=circle.group, role=CO_ORGANIZER)
    sentence = refused(services.membership_remove, membership=second, by=circle.co_organizer)
    assert sentence == "Only the organizer can remove a co-organizer."


def test_the_organizer_removes_a_co_organizer(circle):
    target = Membership.objects.get(member=circle.co_organizer)
    services.membership_remove(membership=target, by=circle.organizer)
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_nobody_removes_the_organizer(circle):
    target = Membership.objects.get(member=circle.organizer)
    sentence = refused(services.membership_remove, membership=target, by=circle.co_organizer)
    assert "organizer" in sentence
    assert Membership.objects.filter(pk=target.pk).exists()


def test_a_member_cannot_remove_anyone(circle):
    sentence = refused(services.membership_remove, membership=circle.other_member, by=circle.member)
    assert sentence == "Only the organizers of this group can do that."


# Roles and handing over


def test_the_organizer_names_a_co_organizer(circle):
    services.membership_set_role(
        membership=circle.other_member, by=circle.organizer, role=CO_ORGANIZER
    )
    assert role_of(circle.other_member.member, circle.group) == CO_ORGANIZER


def test_the_organizer_makes_a_co_organizer_a_member_again(circle):
    target = Membership.objects.get(member=circle.co_organizer)
    services.membership_set_role(membership=target, by=circle.organizer, role="member")
    assert role_of(circle.co_organizer, circle.group) == "member"


def test_a_co_organizer_cannot_promote_a_member(circle):
    sentence = refused_role(circle.other_member, circle.co_organizer, CO_ORGANIZER)
    assert sentence == "Only the organizer can do that."
    assert role_of(circle.other_member.member, circle.group) == "member"


def test_a_co_organizer_cannot_demote_another_co_organizer(circle):
    second = MembershipFactory(group=circle.group, role=CO_ORGANIZER)
    sentence = refused_role(second, circle.co_organizer, "member")
    assert sentence == "Only the organizer can do that."


def test_the_organizer_role_is_handed_over_not_set(circle):
    sentence = refused_role(circle.other_member, circle.organizer, ORGANIZER)
    assert sentence == "A member can be made a co-organizer or a member."


def test_a_waiting_request_cannot_be_made_co_organizer(circle):
    sentence = refused_role(circle.request, circle.organizer, CO_ORGANIZER)
    assert sentence == "She is not a member of this group."


def test_handing_over_makes_her_organizer_and_the_old_one_co_organizer(circle):
    services.group_transfer(group=circle.group, by=circle.organizer, to=circle.member)
    assert (role_of(circle.member, circle.group), role_of(circle.organizer, circle.group)) == (
        ORGANIZER,
        CO_ORGANIZER,
    )


def test_only_the_organizer_hands_the_group_over(circle):
    sentence = refused(
        services.group_transfer, group=circle.group, by=circle.co_organizer, to=circle.member
    )
    assert sentence == "Only the organizer can do that."
    assert role_of(circle.organizer, circle.group) == ORGANIZER


def test_the_group_is_not_handed_to_someone_still_waiting(circle):
    sentence = refused(
        services.group_transfer, group=circle.group, by=circle.organizer, to=circle.applicant
    )
    assert sentence == "She is not a member of this group."


def test_the_group_is_not_handed_to_a_stranger(circle):
    sentence = refused(
        services.group_transfer, group=circle.group, by=circle.organizer, to=circle.stranger
    )
    assert sentence == "She is not a member of this group."


# Invite links


def test_a_new_invite_link_retires_the_old_one(circle):
    old = circle.group.invite_token
    group = services.group_regenerate_invite(group=circle.group, by=circle.co_organizer)
    assert group.invite_token != old
    assert not Group.objects.filter(invite_token=old).exists()


def test_a_member_cannot_make_a_new_invite_link(circle):
    sentence = refused(services.group_regenerate_invite, group=circle.group, by=circle.member)
    assert sentence == "Only the organizers of this group can do that."


def test_a_pending_request_for_an_archived_group_is_already_answered():
    group = organized_group(join_policy=JoinPolicy.REQUEST)
    request = join_request(group)
    organizer = Membership.objects.get(group=group, role=ORGANIZER).member
    services.group_archive(group=group, by=organizer)
    assert "archived" in refused(services.membership_approve, membership=request, by=organizer)

import pytest
from django.urls import reverse

from groups.models import Group, JoinPolicy, Membership
from tests.factories import MembershipFactory, join_request, member, organized_group

pytestmark = pytest.mark.django_db

NEW_GROUP = {
    "name": "Wicker Park Working Moms",
    "description": "Walks after bedtime, pancakes on Saturdays.",
    "focus_text": "walks, Pancakes, walks",
    "kids_age_focus": ["toddler", "preschool"],
    "zip_code": "60622",
    "meeting_style": "both",
    "size_cap": "10",
    "join_policy": "request",
    "join_question": "How old are your kids?",
    "is_listed": "on",
}


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def followed(response) -> str:
    """The page she lands on after a POST, with its flash message."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def group_fields(group: Group, **changes) -> dict:
    fields = {
        "name": group.name,
        "description": group.description,
        "zip_code": group.zip_code,
        "meeting_style": group.meeting_style,
        "size_cap": str(group.size_cap),
        "join_policy": group.join_policy,
        "join_question": group.join_question,
        "is_listed": "on",
    }
    return {**fields, **changes}


def ask_to_join(client, circle, position: str, answer: str, follow: bool = True):
    client.force_login(circle.person(position))
    url = reverse("groups:join", args=[circle.group.slug])
    return client.post(url, {"answer": answer}, follow=follow)


# Starting and editing a group


def test_starting_a_group_takes_her_to_its_page_as_organizer(client):
    dana = member()
    client.force_login(dana)
    response = client.post(reverse("groups:create"), NEW_GROUP)
    group = Group.objects.get()
    assert response.url == group.get_absolute_url()
    assert Membership.objects.get(group=group).member == dana
    assert (group.focus, group.kids_age_focus) == (["walks", "pancakes"], ["toddler", "preschool"])


def test_a_name_too_long_is_explained_and_nothing_is_saved(client):
    client.force_login(member())
    response = client.post(reverse("groups:create"), {**NEW_GROUP, "name": "x" * 81})
    assert "Keep the name to 80 characters or fewer." in followed(response)
    assert not Group.objects.exists()


def test_an_unknown_zip_is_explained_and_nothing_is_saved(client):
    client.force_login(member())
    response = client.post(reverse("groups:create"), {**NEW_GROUP, "zip_code": "00000"})
    assert "We don&#x27;t know the ZIP code 00000. Please check it." in followed(response)
    assert not Group.objects.exists()


def test_lowering_the_cap_below_the_size_is_explained_and_nothing_changes(client, circle):
    client.force_login(circle.organizer)
    response = client.post(
        reverse("groups:edit", args=[circle.group.slug]),
        group_fields(circle.group, name="Renamed", size_cap="3"),
    )
    assert "The group has 4 members, so its size cap can&#x27;t be lower than 4." in followed(
        response
    )
    circle.group.refresh_from_db()
    assert (circle.group.name, circle.group.size_cap) != ("Renamed", 3)


def test_the_edit_form_starts_from_what_the_group_says(client, circle):
    client.force_login(circle.organizer)
    html = page(client, reverse("groups:edit", args=[circle.group.slug]))
    assert 'value="How old are your kids?"' in html


# Joining


def test_joining_an_open_group_welcomes_her(client):
    group = organized_group()
    client.force_login(member())
    response = client.post(reverse("groups:join", args=[group.slug]), follow=True)
    assert "Welcome to the group!" in followed(response)
    assert "You're a member" in followed(response)


def test_joining_a_full_group_says_it_is_full(client):
    group = organized_group(size_cap=2)
    MembershipFactory(group=group)
    dana = member()
    client.force_login(dana)
    response = client.post(reverse("groups:join", args=[group.slug]), follow=True)
    assert "This group is full." in followed(response)
    assert not Membership.objects.filter(member=dana).exists()


def test_a_second_request_says_the_organizer_will_answer_soon(client, circle):
    html = followed(ask_to_join(client, circle, "pending", "Again"))
    assert "You have already asked to join; the organizer will answer soon." in html
    assert Membership.objects.get(member=circle.applicant).answer == "A toddler and a baby."


def test_a_request_without_an_answer_asks_the_question_again(client, circle):
    html = followed(ask_to_join(client, circle, "stranger", " ", follow=False))
    assert "Please answer the organizer&#x27;s question." in html
    assert "How old are your kids?" in html
    assert not Membership.objects.filter(member=circle.stranger).exists()


def test_a_request_is_acknowledged_and_shown_as_waiting(client, circle):
    html = followed(ask_to_join(client, circle, "stranger", "One baby."))
    assert "Your request is on its way to the organizer." in html
    assert "Your request is waiting for the organizer" in html


def test_an_unlisted_group_is_joined_through_its_invite_link(client):
    group = organized_group(is_listed=False)
    client.force_login(member())
    invite = reverse("groups:invite", args=[group.slug, group.invite_token])
    assert 'action="' + invite in page(client, invite)
    response = client.post(invite, follow=True)
    assert "Welcome to the group!" in followed(response)


# The group page


def test_the_group_page_tells_its_size_and_seats_left(client):
    group = organized_group(size_cap=12)
    MembershipFactory.create_batch(6, group=group)
    client.force_login(member())
    assert "7 of 12 members · 5 seats left" in page(client, group.get_absolute_url())


def test_the_group_page_names_its_organizer(client):
    group = organized_group(member(first_name="Olivia", last_initial="N"))
    client.force_login(member())
    assert "Organized by <strong>Olivia N.</strong>" in page(client, group.get_absolute_url())


def test_a_group_by_request_offers_to_ask_with_its_question(client, circle):
    client.force_login(circle.stranger)
    html = page(client, circle.group.get_absolute_url())
    assert 'value="Request to join"' in html
    assert "How old are your kids?" in html


def test_the_group_page_is_honest_about_meetups(client, circle):
    client.force_login(circle.member)
    assert "No meetups planned yet." in page(client, circle.group.get_absolute_url())


@pytest.mark.parametrize("position", ["stranger", "pending"])
def test_only_members_see_the_member_list(client, circle, position):
    client.force_login(circle.person(position))
    html = page(client, circle.group.get_absolute_url())
    assert circle.member.profile.display_name not in html
    assert "member-list" not in html


def test_members_see_first_names_distance_and_kids_but_never_emails(client, circle):
    neighbor = member(
        first_name="Nadia",
        last_initial="O",
        zip_code="60622",
        latitude=41.9019,
        longitude=-87.6779,
        kids={"baby": 1, "school_age": 2},
    )
    MembershipFactory(group=circle.group, member=neighbor)
    client.force_login(circle.member)
    html = page(client, circle.group.get_absolute_url())
    assert "Nadia O." in html
    assert "about 2 miles away · Kids: 1 × Baby (under 1), 2 × School age (6–12)" in html
    assert "Okafor" not in html
    assert neighbor.email not in html
    assert circle.organizer.email not in html


# Organizer tools


def test_the_organizer_sees_requests_with_their_answers(client, circle):
    client.force_login(circle.co_organizer)
    html = page(client, reverse("groups:manage", args=[circle.group.slug]))
    assert "Priya" in html
    assert "A toddler and a baby." in html


def test_approving_lets_her_in_and_says_so(client, circle):
    client.force_login(circle.organizer)
    url = reverse("groups:approve", args=[circle.group.slug, circle.request.pk])
    response = client.post(url, {"message": "Welcome!"}, follow=True)
    assert f"{circle.applicant.profile.display_name} is now a member." in followed(response)
    circle.request.refresh_from_db()
    assert (circle.request.status, circle.request.decision_message) == ("active", "Welcome!")


def test_a_decline_message_too_long_is_explained_and_nothing_changes(client, circle):
    client.force_login(circle.organizer)
    url = reverse("groups:decline", args=[circle.group.slug, circle.request.pk])
    response = client.post(url, {"message": "x" * 501}, follow=True)
    assert "at most 500 characters" in followed(response)
    circle.request.refresh_from_db()
    assert circle.request.status == "pending"


def test_a_made_up_role_is_refused_politely(client, circle):
    client.force_login(circle.organizer)
    url = reverse("groups:set_role", args=[circle.group.slug, circle.other_member.pk])
    response = client.post(url, {"role": "organizer"}, follow=True)
    assert "Select a valid choice." in followed(response)
    assert Membership.objects.get(pk=circle.other_member.pk).role == "member"


def test_handing_over_without_choosing_anyone_is_explained(client, circle):
    client.force_login(circle.organizer)
    response = client.post(reverse("groups:transfer", args=[circle.group.slug]), follow=True)
    assert "Choose who will organize the group." in followed(response)


def test_a_new_invite_link_is_shown_at_once(client, circle):
    client.force_login(circle.organizer)
    old = circle.group.invite_token
    response = client.post(
        reverse("groups:regenerate_invite", args=[circle.group.slug]), follow=True
    )
    html = followed(response)
    circle.group.refresh_from_db()
    assert circle.group.invite_token in html
    assert old not in html


def test_an_impossible_request_number_is_not_found(client, circle):
    client.force_login(circle.organizer)
    url = f"/groups/{circle.group.slug}/requests/99999999999999999999999/approve/"
    assert client.post(url).status_code == 404


# My groups


def test_my_groups_lists_her_groups_and_waiting_requests(client, circle):
    elsewhere = organized_group(name="Pilsen Moms")
    MembershipFactory(group=elsewhere, member=circle.applicant)
    client.force_login(circle.applicant)
    html = page(client, reverse("groups:mine"))
    assert "Pilsen Moms" in html
    assert "Waiting for the organizer" in html


def test_leaving_says_goodbye_and_takes_the_group_off_her_list(client, circle):
    client.force_login(circle.member)
    response = client.post(reverse("groups:leave", args=[circle.group.slug]), follow=True)
    html = followed(response)
    assert f"You are no longer in {circle.group.name}." in html
    assert f'href="{circle.group.get_absolute_url()}"' not in html


def test_my_groups_invites_her_to_start_one_when_she_has_none(client):
    client.force_login(member())
    html = page(client, reverse("groups:mine"))
    assert "You're not in a group yet." in html
    assert f'href="{reverse("groups:create")}"' in html


# Query counts do not grow with the data

# Session, user, her profile, then the page's own: the group, her membership, the organizer,
# the members (or the requests, members and hand-over choices on the organizer tools), and the
# upcoming meetups with her answers (scheduling's upcoming_meetups tag).
GROUP_PAGE_QUERIES = 8
ORGANIZER_TOOLS_QUERIES = 8
MY_GROUPS_QUERIES = 4


@pytest.mark.parametrize("members", [2, 20])
def test_the_group_page_costs_the_same_for_2_or_20_members(
    client, django_assert_max_num_queries, members
):
    group = organized_group(size_cap=25)
    viewer = MembershipFactory.create_batch(members - 1, group=group)[0].member
    client.force_login(viewer)
    with django_assert_max_num_queries(GROUP_PAGE_QUERIES):
        html = page(client, group.get_absolute_url())
    assert html.count('class="list-group-item"') == members


@pytest.mark.parametrize("members", [2, 20])
def test_the_organizer_tools_cost_the_same_for_2_or_20_members(
    client, django_assert_max_num_queries, members
):
    group = organized_group(size_cap=50, join_policy=JoinPolicy.REQUEST)
    MembershipFactory.create_batch(members - 1, group=group)
    for _ in range(members):
        join_request(group)
    client.force_login(Membership.objects.get(group=group, role="organizer").member)
    with django_assert_max_num_queries(ORGANIZER_TOOLS_QUERIES):
        page(client, reverse("groups:manage", args=[group.slug]))


@pytest.mark.parametrize("groups", [2, 20])
def test_my_groups_costs_the_same_for_2_or_20_groups(client, django_assert_max_num_queries, groups):
    dana = member()
    for _ in range(groups):
        MembershipFactory(group=organized_group(), member=dana)
    client.force_login(dana)
    with django_assert_max_num_queries(MY_GROUPS_QUERIES):
        html = page(client, reverse("groups:mine"))
    assert html.count("2 of 12 members") == groups

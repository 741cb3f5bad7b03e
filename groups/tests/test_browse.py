import pytest
from django.db import connection

from groups.forms import BrowseForm
from groups.models import Group
from groups.nearby import BrowseFilters, groups_near
from groups.services import membership_join
from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.services import availability_replace
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db

HOME = (41.9229, -87.6483)  # Lincoln Park, 60614: where factory members live
MILES_PER_DEGREE = 69.0
TUE_EVENING = WeeklyWindow(1, 20 * 60 + 30, 22 * 60, "kid_free")
SAT_MORNING = WeeklyWindow(5, 9 * 60, 12 * 60, "kids_along")


def group_north(miles: float, **fields) -> Group:
    return organized_group(latitude=HOME[0] + miles / MILES_PER_DEGREE, longitude=HOME[1], **fields)


def names(response) -> list[str]:
    return [card.group.name for card in response.context["cards"]]


@pytest.fixture
def dana(client):
    her = member(kids={"toddler": 1})
    availability_replace(member=her, windows=[TUE_EVENING])
    client.force_login(her)
    return her


def test_groups_within_the_chosen_distance_are_listed(client, dana):
    group_north(2, name="Two miles")
    group_north(4, name="Four miles")
    group_north(8, name="Eight miles")
    assert sorted(names(client.get("/groups/"))) == ["Four miles", "Two miles"]
    assert len(names(client.get("/groups/?miles=10"))) == 3
    assert names(client.get("/groups/?miles=1")) == []


def test_archived_unlisted_and_her_own_groups_are_not_suggested(client, dana):
    group_north(1, name="Archived", is_archived=True)
    group_north(1, name="Unlisted", is_listed=False)
    hers = group_north(1, name="Hers")
    MembershipFactory(group=hers, member=dana)
    response = client.get("/groups/")
    assert names(response) == []
    assert [m.group.name for m in response.context["memberships"]] == ["Hers"]


def test_the_group_whose_members_are_free_when_she_is_ranks_first(client, dana):
    busy = group_north(2, name="Busy on Tuesdays", join_policy="open")
    matching = group_north(2, name="Free on Tuesdays", join_policy="open")
    for group, window in [(busy, SAT_MORNING), (matching, TUE_EVENING)]:
        friend = member()
        availability_replace(member=friend, windows=[window])
        membership_join(group=group, member=friend)
    response = client.get("/groups/")
    assert names(response) == ["Free on Tuesdays", "Busy on Tuesdays"]
    card = response.context["cards"][0]
    assert (card.fit_count, card.shared_windows) == (1, ["Tue evenings"])
    assert "1 member free when you are</strong>: Tue evenings" in response.content.decode()


def test_a_group_for_her_kids_ages_ranks_above_one_for_other_ages(client, dana):
    group_north(2, name="Teens", kids_age_focus=["teen"])
    group_north(2, name="Toddlers", kids_age_focus=["toddler", "preschool"])
    assert names(client.get("/groups/")) == ["Toddlers", "Teens"]


def test_a_closer_group_ranks_above_an_otherwise_equal_farther_one(client, dana):
    group_north(4, name="Farther")
    group_north(1, name="Closer")
    assert names(client.get("/groups/")) == ["Closer", "Farther"]


def test_filters_for_kids_ages_meeting_style_and_space(client, dana):
    group_north(1, name="Teens only", kids_age_focus=["teen"])
    group_north(1, name="All ages, evenings", meeting_style="kid_free_evenings")
    group_north(1, name="Full weekends", meeting_style="family_weekends", size_cap=2)
    full = Group.objects.get(name="Full weekends")
    MembershipFactory(group=full)
    assert sorted(names(client.get("/groups/?kids=toddler"))) == [
        "All ages, evenings",
        "Full weekends",
    ]
    assert sorted(names(client.get("/groups/?style=kid_free_evenings"))) == [
        "All ages, evenings",
        "Teens only",
    ]
    assert "Full weekends" not in names(client.get("/groups/?has_space=on"))


def test_text_search_matches_name_and_description_words(client, dana):
    group_north(1, name="Stroller crew", description="Saturday walks by the lake.")
    group_north(1, name="Book club moms", description="We read, slowly.")
    assert names(client.get("/groups/?q=walk")) == ["Stroller crew"]
    assert names(client.get("/groups/?q=book")) == ["Book club moms"]


def test_no_groups_nearby_invites_her_to_start_one(client, dana):
    html = client.get("/groups/").content.decode()
    assert "There is no group like that near you yet." in html
    assert 'href="/groups/new/"' in html


def test_filters_she_cannot_have_typed_fall_back_to_the_defaults(client, dana):
    group_north(2, name="Nearby")
    response = client.get("/groups/?miles=7&kids=martian&page=zzz")
    assert response.status_code == 200
    assert names(response) == ["Nearby"]
    assert "Some filters were not valid" in response.content.decode()


def test_results_come_ten_to_a_page(client, dana):
    for number in range(12):
        group_north(1 + number / 10, name=f"Group {number:02d}")
    assert len(names(client.get("/groups/"))) == 10
    second = client.get("/groups/?page=2")
    assert names(second) == ["Group 10", "Group 11"]
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("page", ["9", "0", "99999999999999999999"])
def test_a_page_past_either_end_shows_the_last_one(client, dana, page):
    for number in range(12):
        group_north(1 + number / 10, name=f"Group {number:02d}")
    response = client.get(f"/groups/?page={page}")
    assert names(response) == ["Group 10", "Group 11"]
    assert "Page 2 of 2" in response.content.decode()


def test_browsing_needs_a_login(client):
    assert client.get("/groups/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("groups", [3, 25])
def test_the_browse_page_query_count_does_not_grow_with_groups(
    client, dana, django_assert_max_num_queries, groups
):
    for number in range(groups):
        group = group_north(0.1 * number, join_policy="open")
        membership_join(group=group, member=member())
    with django_assert_max_num_queries(6):
        assert client.get("/groups/").status_code == 200


def test_the_distance_query_can_use_the_latitude_longitude_index(dana):
    for number in range(30):
        group_north(number, name=f"Group {number}")
    query = groups_near(dana.profile, BrowseFilters(miles=5), [])
    with connection.cursor() as cursor:
        # Fresh statistics: with ones left by earlier tests (an empty table, say) the planner
        # may prefer walking the primary key.
        cursor.execute("ANALYZE groups_group")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "group_lat_lng" in plan


@pytest.mark.parametrize(
    ("query", "summary"),
    [
        ({}, "Within 5 miles"),
        ({"miles": "1", "has_space": "on"}, "Within 1 mile · has space"),
        (
            {"q": "walk", "style": "kid_free_evenings", "kids": ["baby", "school_age"]},
            "Within 5 miles · “walk” · kid-free evenings · baby, school age",
        ),
        ({"miles": "7000"}, "Within 5 miles"),
    ],
)
def test_the_filters_in_use_are_summed_up_in_one_line(query, summary):
    assert BrowseForm(query).summary() == summary

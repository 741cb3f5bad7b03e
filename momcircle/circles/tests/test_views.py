"""The circle pages: "Find me a circle", "Meet your circle" and the home card."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from momcircle.circles.models import CircleWish, Proposal, ProposalSeat
from momcircle.circles.tests.factories import proposal_for, seeker
from momcircle.profiles.models import Block
from tests.factories import member

pytestmark = pytest.mark.django_db
WISH = "/circles/find-me-a-circle/"


def signed_in(client, woman):
    client.force_login(woman)
    return client


def wish_fields(**changes) -> dict:
    return {"radius_miles": "5", "size": "large", "style": "kid_free", "match_kids": "on"} | changes


# --- "Find me a circle" ----------------------------------------------------------------------


def test_the_form_starts_from_sensible_defaults(client):
    html = signed_in(client, member()).get(WISH).content.decode()
    assert "How far would you go?" in html
    form = client.get(WISH).context["form"]
    assert (form["radius_miles"].value(), form["size"].value(), form["style"].value()) == (
        3,
        "small",
        "either",
    )
    assert not form["match_kids"].value()


def test_saving_the_form_asks_for_a_circle(client):
    dana = member()
    response = signed_in(client, dana).post(WISH, wish_fields())
    assert response["Location"] == "/"
    wish = CircleWish.objects.get(member=dana)
    assert (wish.radius_miles, wish.size, wish.style, wish.match_kids, wish.active) == (
        5,
        "large",
        "kid_free",
        True,
        True,
    )


def test_a_distance_she_cannot_choose_is_explained_and_nothing_saved(client):
    response = signed_in(client, member()).post(WISH, wish_fields(radius_miles="7"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CircleWish.objects.exists()


def test_the_off_switch_stops_the_search(client):
    ana = seeker()
    response = signed_in(client, ana).post(reverse("circles:wish_off"), follow=True)
    assert "We&#x27;ve stopped looking for a circle for you." in response.content.decode()
    assert not CircleWish.objects.get(member=ana).active


def test_a_paused_search_resumes_with_one_button(client):
    ana = seeker()
    CircleWish.objects.filter(member=ana).update(paused_at=timezone.now(), lapses=2)
    html = signed_in(client, ana).get(WISH).content.decode()
    assert "We paused your search" in html
    client.post(reverse("circles:wish_resume"))
    assert CircleWish.objects.get(member=ana).is_looking


def test_the_last_step_of_onboarding_can_go_on_to_find_a_circle(client):
    newcomer = member(onboarded_at=None)
    response = signed_in(client, newcomer).post(
        reverse("profiles:availability"), {"window": ["1,1230,1320,kid_free"], "next": WISH}
    )
    assert response["Location"] == WISH


def test_the_last_step_of_onboarding_never_sends_her_off_the_site(client):
    newcomer = member(onboarded_at=None)
    response = signed_in(client, newcomer).post(
        reverse("profiles:availability"),
        {"window": ["1,1230,1320,kid_free"], "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


# --- "Meet your circle" --------------------------------------------------------------------------


@pytest.fixture
def circle_of_five():
    """Five women a circle was proposed to: Ana in Lincoln Park, the others north of her."""
    women = [seeker("Ana", last_initial="K", work_pattern="remote", kids={"baby": 1})]
    women += [
        seeker(name, north_miles=miles, last_initial="T", kids={"school_age": 2})
        for name, miles in (("Bea", 1.1), ("Cleo", 0.2), ("Dana", 2.2), ("Eva", 0.4))
    ]
    return proposal_for(women), women


def test_her_circle_shows_first_names_work_kids_and_rough_distances_only(client, circle_of_five):
    proposal, women = circle_of_five
    html = signed_in(client, women[0]).get(proposal.get_absolute_url()).content.decode()
    assert "Meet your circle" in html
    assert "5 working moms near each other, all free <strong>Tuesdays 20:30–22:00, kid-free" in html
    assert "Ana K.</strong> (you)" in html
    assert "Bea T." in html
    assert "Hybrid · Kids: School age (6–12) · about 1 mile away" in html
    assert "less than a mile away" in html
    assert "about 2 miles away" in html
    for woman in women[1:]:
        assert woman.email not in html
        assert f"{woman.profile.latitude}" not in html
    assert "60614" not in html
    assert ">I'm in</button>" in html
    assert ">Not this one</button>" in html


def test_a_woman_kept_apart_by_a_block_is_counted_not_named(client, circle_of_five):
    proposal, women = circle_of_five
    Block.objects.create(blocker=women[1], blocked=women[0])
    html = signed_in(client, women[0]).get(proposal.get_absolute_url()).content.decode()
    assert "Bea T." not in html
    assert "and 1 more" in html
    assert "5 working moms" in html


def test_nobody_else_finds_the_circle(client, circle_of_five):
    proposal, _ = circle_of_five
    assert signed_in(client, member()).get(proposal.get_absolute_url()).status_code == 404


def test_i_m_in_from_the_page(client, circle_of_five):
    proposal, women = circle_of_five
    response = signed_in(client, women[0]).post(
        reverse("circles:answer", args=[proposal.pk]), {"answer": "in"}, follow=True
    )
    assert "You&#x27;re in. We&#x27;ll tell you when the circle is a group." in (
        response.content.decode()
    )
    assert ProposalSeat.objects.get(member=women[0]).answer == "in"


def test_an_answer_after_the_deadline_says_so(client, circle_of_five):
    proposal, women = circle_of_five
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = signed_in(client, women[0]).post(
        reverse("circles:answer", args=[proposal.pk]), {"answer": "out"}, follow=True
    )
    assert "This circle no longer takes answers." in response.content.decode()
    assert ProposalSeat.objects.get(member=women[0]).answer == "pending"


# Session, user, her profile; her seat with its proposal, the seats with their profiles.
CIRCLE_PAGE_QUERIES = 5


@pytest.mark.parametrize("size", [4, 8])
def test_the_circle_page_costs_the_same_for_4_or_8_members(
    client, django_assert_max_num_queries, size
):
    women = [seeker(f"Mom{n}") for n in range(size)]
    proposal = proposal_for(women)
    signed_in(client, women[0])
    with django_assert_max_num_queries(CIRCLE_PAGE_QUERIES):
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert html.count('class="list-group-item"') == size


# --- the home card -------------------------------------------------------------------------------


def test_home_invites_her_to_find_a_circle(client):
    html = signed_in(client, member()).get("/").content.decode()
    assert 'href="/circles/find-me-a-circle/">Find me a circle</a>' in html


def test_home_says_the_search_is_on(client):
    html = signed_in(client, seeker()).get("/").content.decode()
    assert "We're looking for working moms near you" in html


def test_home_shows_her_circle_to_answer(client, circle_of_five):
    proposal, women = circle_of_five
    html = signed_in(client, women[0]).get("/").content.decode()
    assert "Meet your circle" in html
    assert "5 working moms near you, all free <strong>Tuesdays 20:30–22:00, kid-free" in html
    assert f'href="{proposal.get_absolute_url()}"' in html


# My week's own seven queries (scheduling/tests/test_my_week.py), her wish and her live seat.
HOME_WITH_A_CIRCLE_QUERIES = 9


@pytest.mark.parametrize("size", [4, 8])
def test_the_home_card_costs_the_same_for_4_or_8_members(
    client, django_assert_max_num_queries, size
):
    women = [seeker(f"Mom{n}") for n in range(size)]
    proposal_for(women)
    signed_in(client, women[0])
    with django_assert_max_num_queries(HOME_WITH_A_CIRCLE_QUERIES):
        html = client.get("/").content.decode()
    assert f"{size} working moms near you" in html

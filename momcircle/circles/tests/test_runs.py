"""How the engine is run: by beat every night, by the team for one area, from the command
line; and how beat closes the proposals past their deadline."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from momcircle.circles import tasks
from momcircle.circles.models import Proposal
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_beat_proposes_circles_nightly_and_closes_due_ones_every_quarter_hour():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["circles.make_proposals"].hour == {8}  # 02:30 or 03:30 in Chicago
    assert schedule["circles.close_due_proposals"].minute == {0, 15, 30, 45}


def test_the_nightly_task_proposes_the_circles(run_on_commit, five):
    assert run_on_commit(tasks.make_proposals) == 1
    assert run_on_commit(tasks.close_due_proposals) == 0


def test_the_command_proposes_circles_around_a_zip_and_says_how_it_went(run_on_commit, five):
    out = StringIO()
    run_on_commit(call_command, "make_circle_proposals", zip_code="60614", miles=5, stdout=out)
    assert "5 members looking for a circle" in out.getvalue()
    assert "1 circles proposed in" in out.getvalue()
    assert Proposal.objects.count() == 1


def test_the_command_refuses_a_zip_it_does_not_know():
    with pytest.raises(CommandError, match="00000"):
        call_command("make_circle_proposals", zip_code="00000", stdout=StringIO())


def test_the_team_proposes_circles_for_an_area_from_the_admin(five):
    client = Client()
    client.force_login(member(user__is_staff=True, user__is_superuser=True))
    page = client.get(reverse("admin:circles_proposal_make"))
    assert b"Propose circles" in page.content
    response = client.post(
        reverse("admin:circles_proposal_make"),
        {"zip_code": "60614", "radius_miles": "3"},
        follow=True,
    )
    assert "1 circle(s) proposed." in response.content.decode()
    assert Proposal.objects.count() == 1


def test_an_unknown_zip_in_the_admin_is_explained(client):
    client.force_login(member(user__is_staff=True, user__is_superuser=True))
    response = client.post(
        reverse("admin:circles_proposal_make"), {"zip_code": "00000", "radius_miles": "3"}
    )
    assert "We don&#x27;t know the ZIP code 00000" in response.content.decode()
    assert not Proposal.objects.exists()

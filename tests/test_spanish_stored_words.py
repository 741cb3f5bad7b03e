"""What MomCircle writes into the database reads in the reader's language: a sentence it says
(why the quorum deadline cancelled a meetup, what the team did about a report) is stored as a
code and put into words when it is shown; what becomes a member's own text (a new circle's
group name and description, its first meetup) is written once, in her language, and never
translated again."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from momcircle.circles import services as circles
from momcircle.circles.models import ProposalSeat
from momcircle.circles.tests.conftest import five  # noqa: F401 (fixture)
from momcircle.moderation.models import Report
from momcircle.moderation.services import report_dismiss, report_file
from scheduling.models import Meetup, MeetupChange
from scheduling.services import meetups_cancel_without_quorum
from scheduling.tests.conftest import circle, meetup  # noqa: F401 (fixtures)
from scheduling.tests.factories import MeetupFactory
from tests import spanish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9"}
IN = ProposalSeat.Answer.IN
QUORUM_MIGRATION = import_module("scheduling.migrations.0007_meetup_change_cause")
OUTCOME_MIGRATION = import_module("momcircle.moderation.migrations.0003_report_outcome_choice")


@pytest.fixture
def missed(circle):  # noqa: F811
    """A tentative meetup of the circle's group that needed 2 going, and had 1 by its deadline."""
    tentative = MeetupFactory(
        group=circle.group,
        status=Meetup.Status.TENTATIVE,
        quorum=2,
        quorum_deadline=timezone.now() + timedelta(days=2),
    )
    meetups_cancel_without_quorum(now=tentative.quorum_deadline)
    tentative.refresh_from_db()
    return tentative


def test_the_quorum_deadline_stores_its_cause_not_an_english_sentence(missed):
    change = MeetupChange.objects.get(meetup=missed)
    assert (change.kind, change.cause, change.reason) == ("cancelled", "quorum_missed", "")


def test_her_cancelled_meetup_page_says_in_spanish_why(client, circle, missed):  # noqa: F811
    circle.member.profile.language = "es"
    circle.member.profile.save()
    client.force_login(circle.member)
    text = spanish.visible_text(client.get(missed.get_absolute_url(), **SPANISH).content.decode())
    assert "Este encuentro no va: menos de 2 integrantes dijeron que iban" in text
    assert "Fewer than" not in text


def test_her_cancelled_meetup_page_says_in_english_why(client, circle, missed):  # noqa: F811
    client.force_login(circle.member)
    text = spanish.visible_text(client.get(missed.get_absolute_url()).content.decode())
    assert "This meetup is off: fewer than 2 members said they were going by" in text


def test_the_organizer_s_own_words_for_a_cancellation_are_on_its_page(client, circle, meetup):  # noqa: F811
    client.force_login(circle.organizer)
    client.post(reverse("scheduling:meetup_cancel", args=[meetup.pk]), {"reason": "Tormenta"})
    circle.member.profile.language = "es"
    circle.member.profile.save()
    client.force_login(circle.member)
    text = spanish.visible_text(client.get(meetup.get_absolute_url(), **SPANISH).content.decode())
    assert "Las organizadoras escribieron: “Tormenta”" in text


def test_quorum_sentences_stored_before_become_their_cause(missed):
    change = MeetupChange.objects.get(meetup=missed)
    MeetupChange.objects.filter(pk=change.pk).update(
        cause="", reason="Fewer than 2 going by Tue 8 Dec, 20:30 CST."
    )
    QUORUM_MIGRATION.quorum_sentences_to_their_cause(apps, None)
    change.refresh_from_db()
    assert (change.cause, change.reason) == ("quorum_missed", "")


@pytest.fixture
def dismissed(circle):  # noqa: F811
    report = report_file(
        reporter=circle.member, reason="spam", reported_user=circle.other_member.member
    )
    return report_dismiss(report=report, by=UserFactory(is_staff=True))


def test_what_the_team_did_is_stored_as_a_code(dismissed):
    dismissed.refresh_from_db()
    assert dismissed.outcome == Report.Outcome.DISMISSED


def test_her_data_export_tells_her_what_the_team_did_in_her_language(client, circle, dismissed):  # noqa: F811
    circle.member.profile.language = "es"
    circle.member.profile.save()
    client.force_login(circle.member)
    [sent] = client.get(reverse("privacy:export")).json()["reports_sent"]
    assert sent["outcome"] == "Descartado."


def test_outcomes_stored_before_in_either_language_become_their_code(dismissed):
    Report.objects.filter(pk=dismissed.pk).update(outcome="Descartado.")
    OUTCOME_MIGRATION.sentences_to_codes(apps, None)
    dismissed.refresh_from_db()
    assert dismissed.outcome == "dismissed"


def form_circle(run_on_commit, women, *, organizer_language: str):
    organizer = women[0]
    organizer.profile.language = organizer_language
    organizer.profile.save()
    (proposal,) = run_on_commit(circles.proposals_make)
    for woman in women[:3]:
        seat = ProposalSeat.objects.filter(member=woman).latest("pk")
        run_on_commit(circles.proposal_answer, seat=seat, answer=IN)
    proposal.refresh_from_db()
    return proposal


def test_a_circle_whose_organizer_reads_spanish_is_named_in_spanish(run_on_commit, five):  # noqa: F811
    proposal = form_circle(run_on_commit, five, organizer_language="es")
    group, first = proposal.group, proposal.first_meetup
    assert group.name.startswith("Círculo del martes cerca de ")
    assert group.description.startswith("Un círculo que encontró MomCircle: mamás que trabajan")
    assert "martes" in group.description
    assert (first.title, first.venue_name) == (
        "Nuestro primer encuentro",
        "Lugar por decidir por la organizadora",
    )
    assert first.description.startswith("El primer encuentro de nuestro círculo")


def test_a_circle_whose_organizer_reads_english_is_named_in_english(run_on_commit, five):  # noqa: F811
    proposal = form_circle(run_on_commit, five, organizer_language="en")
    group, first = proposal.group, proposal.first_meetup
    assert group.name.startswith("Tuesday circle near ")
    assert group.description.startswith(
        "A circle MomCircle found: working moms near each other, all free Tuesdays "
    )
    assert (first.title, first.venue_name) == (
        "Our first meetup",
        "Place to be decided by the organizer",
    )


def test_the_language_of_whoever_answers_last_does_not_name_her_circle(run_on_commit, five):  # noqa: F811
    with translation.override("es"):
        proposal = form_circle(run_on_commit, five, organizer_language="en")
    assert proposal.group.name.startswith("Tuesday circle near ")
    assert proposal.first_meetup.title == "Our first meetup"


def test_her_circle_s_name_is_never_translated_for_a_reader_of_the_other_language(
    client,
    run_on_commit,
    five,  # noqa: F811
):
    proposal = form_circle(run_on_commit, five, organizer_language="en")
    reader = five[1]
    reader.profile.language = "es"
    reader.profile.save()
    client.force_login(reader)
    html = client.get(proposal.group.get_absolute_url(), **SPANISH).content.decode()
    assert proposal.group.name in spanish.visible_text(html)

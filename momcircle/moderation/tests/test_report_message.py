"""Reporting a message of a meetup's conversation: the form, who may send one, and the team
hiding it from the queue."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from momcircle.conversation.models import Message
from momcircle.conversation.services import message_hide, message_post
from momcircle.moderation import services
from momcircle.moderation.models import Report
from momcircle.profiles.models import Block
from momcircle.rules import RuleBroken
from scheduling.tests import conftest as scheduling_conftest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

circle = scheduling_conftest.circle
meetup = scheduling_conftest.meetup


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def rude(circle, meetup) -> Message:
    return message_post(meetup=meetup, author=circle.other_member.member, text="Buy my leggings")


def report_url(message) -> str:
    return reverse("moderation:report_message", args=[message.pk])


def report_about(message, reporter) -> Report:
    return services.report_file(reporter=reporter, reason="spam", reported_message=message)


def test_she_reports_a_message_and_comes_back_to_it(client, circle, meetup, rude):
    client.force_login(circle.member)
    assert "a message in the meetup" in client.get(report_url(rude)).content.decode()
    response = client.post(report_url(rude), {"reason": "spam", "details": "Selling."})
    assert response.url == f"{meetup.get_absolute_url()}#message-{rude.pk}"
    report = Report.objects.get()
    assert (report.reporter, report.reported_message) == (circle.member, rude)


def test_the_meetup_page_links_each_message_to_its_report_form(client, circle, meetup, rude):
    client.force_login(circle.member)
    assert report_url(rude) in client.get(meetup.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["stranger", "author"])
def test_she_cannot_report_a_message_she_does_not_see_or_her_own(client, circle, rude, who):
    woman = circle.stranger if who == "stranger" else rude.author
    client.force_login(woman)
    assert client.get(report_url(rude)).status_code == 404
    with pytest.raises(RuleBroken, match="message can't be found"):
        report_about(rude, reporter=woman)


def test_a_message_kept_from_her_by_a_block_cannot_be_reported_by_her(client, circle, rude):
    Block.objects.create(blocker=rude.author, blocked=circle.member)
    client.force_login(circle.member)
    assert client.get(report_url(rude)).status_code == 404


def test_the_database_wants_one_target_with_a_message_too(circle, rude):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reporter=circle.member, reason="spam", reported_message=rude, reported_user=rude.author
        )


def test_a_reported_message_cannot_be_deleted_outright(circle, rude):
    report_about(rude, reporter=circle.member)
    with pytest.raises(ProtectedError):
        rude.delete()


def test_the_team_hides_the_reported_message(circle, meetup, rude, staff):
    report = services.report_hide_message(report=report_about(rude, circle.member), by=staff)
    assert (report.status, report.get_outcome_display()) == ("actioned", "Message hidden.")
    rude.refresh_from_db()
    assert rude.hidden_by == staff


def test_a_message_the_organizers_hid_already_is_closed_as_such(circle, rude, staff):
    report = report_about(rude, circle.member)
    message_hide(message=rude, by=circle.organizer)
    report = services.report_hide_message(report=report, by=staff)
    assert report.get_outcome_display() == "The message was already off the page."


def test_hiding_fits_only_a_report_about_a_message(circle, staff):
    report = services.report_file(
        reporter=circle.member, reason="spam", reported_user=circle.organizer
    )
    with pytest.raises(RuleBroken, match="is not about a message"):
        services.report_hide_message(report=report, by=staff)


def test_the_queue_shows_the_team_what_the_message_says_and_hides_it(client, circle, rude, staff):
    report = report_about(rude, circle.member)
    client.force_login(staff)
    change = client.get(reverse("admin:moderation_report_change", args=[report.pk]))
    assert "Buy my leggings" in change.content.decode()
    response = client.post(
        reverse("admin:moderation_report_changelist"),
        {"action": "report_hide_message", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "1 report(s) closed and the message(s) hidden." in response.content.decode()
    assert not Message.objects.shown().exists()

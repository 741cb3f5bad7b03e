"""Her messages in meetup conversations: in her data export, and gone with her account (but
one reported to the team, which stays for the report, shown to nobody)."""

import json

import pytest
from django.urls import reverse

from momcircle.conversation.models import Message
from momcircle.conversation.services import conversation_mute, message_post
from momcircle.moderation.models import Report
from momcircle.moderation.services import report_file
from momcircle.privacy.services import account_delete
from scheduling.tests import conftest as scheduling_conftest

pytestmark = pytest.mark.django_db

circle = scheduling_conftest.circle
meetup = scheduling_conftest.meetup


def test_her_export_has_her_messages_her_mutes_and_her_email_choice(client, circle, meetup):
    message_post(meetup=meetup, author=circle.member, text="I'll bring snacks")
    message_post(meetup=meetup, author=circle.organizer, text="Thanks!")
    conversation_mute(meetup=meetup, member=circle.member, muted=True)
    client.force_login(circle.member)
    data = json.loads(client.get(reverse("privacy:export")).content)
    (mine,) = data["meetup_messages"]
    assert (mine["meetup"], mine["text"], mine["deleted_at"]) == (
        meetup.title,
        "I'll bring snacks",
        None,
    )
    assert data["muted_meetup_conversations"] == [meetup.title]
    assert data["profile"]["notification_preferences"]["conversation_emails"] is True


def test_her_messages_go_with_her_account(circle, meetup):
    message_post(meetup=meetup, author=circle.member, text="I'll bring snacks")
    message_post(meetup=meetup, author=circle.organizer, text="Thanks!")
    account_delete(user=circle.member)
    assert list(Message.objects.values_list("text", flat=True)) == ["Thanks!"]


def test_a_reported_message_stays_for_the_team_after_her_account_goes(circle, meetup):
    rude = message_post(meetup=meetup, author=circle.member, text="Something rude")
    report_file(reporter=circle.organizer, reason="harassment", reported_message=rude)
    account_delete(user=circle.member)
    report = Report.objects.select_related("reported_message").get()
    assert report.reported_message.text == "Something rude"
    assert report.reported_message.author is None
    assert not Message.objects.shown().exists()


def test_her_export_names_the_messages_she_reported(client, circle, meetup):
    rude = message_post(meetup=meetup, author=circle.organizer, text="Something rude")
    report_file(reporter=circle.member, reason="harassment", reported_message=rude)
    client.force_login(circle.member)
    data = json.loads(client.get(reverse("privacy:export")).content)
    assert data["reports_sent"][0]["about"] == f"A message about {meetup.title}"

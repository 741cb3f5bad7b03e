"""Reporting a meetup: the form, who may send one, and the team cancelling it from the queue."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from momcircle.moderation import services
from momcircle.moderation.models import Report
from momcircle.notifications.kinds import MEETUP_CANCELLED
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.ratelimit import TOO_MANY
from momcircle.rules import RuleBroken
from scheduling.models import MeetupChange
from scheduling.services import rsvp_set
from scheduling.tests import conftest as scheduling_conftest
from scheduling.tests.factories import MeetupFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The groups tests' circle (a woman in every position, and a stranger) and its meetup.
circle = scheduling_conftest.circle
meetup = scheduling_conftest.meetup

THANKS = "Thank you. Our team will look at it; nobody is told who reported."


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def report_url(meetup) -> str:
    return reverse("moderation:report_meetup", args=[meetup.pk])


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def report_about(meetup, reporter) -> Report:
    return services.report_file(reporter=reporter, reason="inappropriate", reported_meetup=meetup)


# Filing a report


def test_she_reports_a_meetup_of_her_group(client, circle, meetup):
    client.force_login(circle.member)
    assert "Report the meetup" in text(client.get(report_url(meetup)))
    response = client.post(
        report_url(meetup), {"reason": "inappropriate", "details": "Rude title."}, follow=True
    )
    assert response.redirect_chain[-1][0] == meetup.get_absolute_url()
    assert THANKS in text(response)
    report = Report.objects.get()
    assert (report.reporter, report.reported_meetup) == (circle.member, meetup)
    assert (report.reported_user, report.reported_group) == (None, None)
    assert (report.reason, report.details) == ("inappropriate", "Rude title.")
    assert report.status == "open"


def test_the_meetup_page_links_to_its_report_form(client, circle, meetup):
    client.force_login(circle.member)
    assert report_url(meetup) in text(client.get(meetup.get_absolute_url()))


def test_a_meetup_of_a_listed_group_can_be_reported_by_whoever_sees_its_page(
    client, circle, meetup
):
    client.force_login(circle.stranger)
    assert report_url(meetup) in text(client.get(meetup.get_absolute_url()))
    client.post(report_url(meetup), {"reason": "spam"})
    assert Report.objects.get().reporter == circle.stranger


def test_a_meetup_of_an_unlisted_group_cannot_be_reported_by_a_non_member(client, circle, meetup):
    circle.group.is_listed = False
    circle.group.save()
    client.force_login(circle.stranger)
    assert client.get(report_url(meetup)).status_code == 404
    assert client.post(report_url(meetup), {"reason": "spam"}).status_code == 404
    with pytest.raises(RuleBroken, match="That meetup can't be found"):
        report_about(meetup, reporter=circle.stranger)
    assert not Report.objects.exists()


def test_an_unknown_meetup_is_not_found(client, circle):
    client.force_login(circle.member)
    assert client.get(reverse("moderation:report_meetup", args=[987654])).status_code == 404


def test_an_unknown_reason_is_sent_back_and_nothing_is_saved(client, circle, meetup):
    client.force_login(circle.member)
    response = client.post(report_url(meetup), {"reason": "boring"})
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not Report.objects.exists()


def test_the_sixth_report_in_an_hour_is_refused_and_not_saved(client, circle, meetup):
    client.force_login(circle.member)
    for _ in range(5):
        client.post(report_url(meetup), {"reason": "spam"})
    response = client.post(report_url(meetup), {"reason": "spam"})
    assert response.status_code == 200
    assert str(TOO_MANY) in text(response)
    assert Report.objects.count() == 5


def test_a_report_is_about_one_thing_only(circle, meetup):
    with pytest.raises(TypeError, match="exactly one of"):
        services.report_file(
            reporter=circle.member,
            reason="spam",
            reported_meetup=meetup,
            reported_user=circle.co_organizer,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reporter=circle.member,
            reason="spam",
            reported_meetup=meetup,
            reported_group=meetup.group,
        )
    assert not Report.objects.exists()


# The moderation queue in the admin


def cancel_from_the_queue(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("admin:moderation_report_changelist"),
            {"action": "report_cancel_meetup", "_selected_action": [report.pk]},
            follow=True,
        )


def test_the_team_cancels_a_reported_meetup_and_its_members_are_told(
    client, circle, meetup, staff, django_capture_on_commit_callbacks
):
    rsvp_set(meetup=meetup, member=circle.member, response="going")
    report = report_about(meetup, reporter=circle.other_member.member)
    client.force_login(staff)
    response = cancel_from_the_queue(client, report, django_capture_on_commit_callbacks)
    assert "1 report(s) closed and the meetup(s) cancelled." in text(response)
    meetup.refresh_from_db()
    report.refresh_from_db()
    assert meetup.status == "cancelled"
    assert (report.status, report.get_outcome_display(), report.handled_by) == (
        "actioned",
        "Meetup cancelled.",
        staff,
    )
    change = MeetupChange.objects.get(meetup=meetup)
    assert (change.kind, change.by, change.reason) == ("cancelled", staff, "")
    assert OutboxMessage.objects.filter(
        recipient=circle.member, subject=subject_key(meetup), kind=MEETUP_CANCELLED
    ).exists()


def test_two_reports_about_one_meetup_are_both_closed_by_one_cancellation(
    client, circle, meetup, staff, django_capture_on_commit_callbacks
):
    first = report_about(meetup, reporter=circle.member)
    second = report_about(meetup, reporter=circle.other_member.member)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:moderation_report_changelist"),
            {"action": "report_cancel_meetup", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
    assert "2 report(s) closed and the meetup(s) cancelled." in text(response)
    actioned = Report.objects.filter(status="actioned")
    outcomes = {report.get_outcome_display() for report in actioned}
    assert outcomes == {"Meetup cancelled.", "The meetup was already cancelled."}
    assert MeetupChange.objects.filter(meetup=meetup, kind="cancelled").count() == 1


def test_a_meetup_that_already_started_stays_and_its_report_stays_open(
    client, circle, staff, django_capture_on_commit_callbacks
):
    started = MeetupFactory(
        group=circle.group,
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    report = report_about(started, reporter=circle.member)
    client.force_login(staff)
    response = cancel_from_the_queue(client, report, django_capture_on_commit_callbacks)
    assert "This meetup has already started." in text(response)
    started.refresh_from_db()
    report.refresh_from_db()
    assert (started.status, report.status) == ("confirmed", "open")


def test_cancelling_fits_only_a_report_about_a_meetup(circle, staff):
    report = services.report_file(
        reporter=circle.member, reason="spam", reported_user=circle.co_organizer
    )
    with pytest.raises(RuleBroken, match="is not about a meetup"):
        services.report_cancel_meetup(report=report, by=staff)
    report.refresh_from_db()
    assert report.status == "open"


def test_only_the_team_cancels_from_a_report(circle, meetup):
    report = report_about(meetup, reporter=circle.member)
    with pytest.raises(RuleBroken, match="Only the MomCircle team"):
        services.report_cancel_meetup(report=report, by=circle.co_organizer)
    meetup.refresh_from_db()
    assert meetup.status == "confirmed"


def test_the_report_shows_the_meetup_and_links_to_it_in_the_admin(client, circle, meetup, staff):
    report = report_about(meetup, reporter=circle.member)
    client.force_login(staff)
    html = text(client.get(reverse("admin:moderation_report_change", args=[report.pk])))
    assert reverse("admin:scheduling_meetup_change", args=[meetup.pk]) in html
    queue = client.get(reverse("admin:moderation_report_changelist"), {"q": meetup.title})
    assert list(queue.context["cl"].result_list) == [report]


def test_the_team_finds_meetups_in_the_admin_but_changes_them_on_the_site(
    client, circle, meetup, staff
):
    client.force_login(staff)
    found = client.get(reverse("admin:scheduling_meetup_changelist"), {"q": "Moms' night"})
    assert list(found.context["cl"].result_list) == [meetup]
    change_page = reverse("admin:scheduling_meetup_change", args=[meetup.pk])
    assert client.get(change_page).status_code == 200
    assert client.get(reverse("admin:scheduling_meetup_add")).status_code == 403

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from groups.models import Membership
from momcircle.moderation import services
from momcircle.moderation.models import Report
from momcircle.outbox.services import outbox_dispatch
from momcircle.privacy.services import account_delete
from momcircle.ratelimit import TOO_MANY
from momcircle.rules import RuleBroken
from tests.factories import MembershipFactory, UserFactory, join_request, member, organized_group

pytestmark = pytest.mark.django_db

THANKS = "Thank you. Our team will look at it; nobody is told who reported."


@pytest.fixture
def circle_of_two(db):
    """Dana and Erin, in Olivia's group."""
    dana, erin = member(first_name="Dana"), member(first_name="Erin", last_initial="W")
    group = organized_group(name="Pilsen Moms")
    for her in (dana, erin):
        MembershipFactory(member=her, group=group)
    return dana, erin, group


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def report_about(target, reporter=None, **fields) -> Report:
    """A report about a group, or about a member (by a woman in one of her groups)."""
    if hasattr(target, "slug"):
        key, reporter = "reported_group", reporter or member()
    else:
        key = "reported_user"
        reporter = reporter or MembershipFactory(group=target.memberships.first().group).member
    fields = {"reason": Report.Reason.HARASSMENT, "details": "", **fields}
    return services.report_file(reporter=reporter, **{key: target}, **fields)


def flashes(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# Filing a report


def test_she_reports_a_member_of_her_group(client, circle_of_two):
    dana, erin, _ = circle_of_two
    client.force_login(dana)
    url = reverse("moderation:report_member", args=[erin.pk])
    assert "Report Erin W." in client.get(url).content.decode()
    response = client.post(url, {"reason": "harassment", "details": "Rude messages."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[erin.pk])
    assert THANKS in flashes(response)
    report = Report.objects.get()
    assert (report.reporter, report.reported_user, report.reported_group) == (dana, erin, None)
    assert (report.reason, report.details) == ("harassment", "Rude messages.")
    assert report.status == "open"


def test_she_reports_a_group_she_can_see(client, circle_of_two):
    dana, _, _ = circle_of_two
    elsewhere = organized_group(name="Spammy Group")
    client.force_login(dana)
    url = reverse("moderation:report_group", args=[elsewhere.slug])
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert response.redirect_chain[-1][0] == elsewhere.get_absolute_url()
    assert "nobody is told who reported" in flashes(response)
    assert Report.objects.get().reported_group == elsewhere


def test_the_group_page_links_to_its_report_form(client, circle_of_two):
    dana, _, group = circle_of_two
    client.force_login(dana)
    html = client.get(group.get_absolute_url()).content.decode()
    assert reverse("moderation:report_group", args=[group.slug]) in html


def test_a_visitor_with_an_invite_link_is_not_offered_a_report_form_she_cannot_open(client):
    hidden = organized_group(is_listed=False)
    client.force_login(member())
    html = client.get(reverse("groups:invite", args=[hidden.slug, hidden.invite_token]))
    assert reverse("moderation:report_group", args=[hidden.slug]) not in html.content.decode()


def test_a_report_without_a_reason_is_sent_back_and_nothing_is_saved(client, circle_of_two):
    dana, erin, _ = circle_of_two
    client.force_login(dana)
    response = client.post(reverse("moderation:report_member", args=[erin.pk]), {"details": "Hm"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Report.objects.exists()


def test_she_cannot_report_herself(client, circle_of_two):
    dana, _, _ = circle_of_two
    client.force_login(dana)
    url = reverse("moderation:report_member", args=[dana.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 404
    with pytest.raises(RuleBroken, match="You can't report yourself"):
        report_about(dana, reporter=dana)
    assert not Report.objects.exists()


def test_she_cannot_report_a_woman_she_shares_no_group_with(client, circle_of_two):
    dana, _, _ = circle_of_two
    stranger = member()
    client.force_login(dana)
    url = reverse("moderation:report_member", args=[stranger.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_she_cannot_report_an_unlisted_group_she_cannot_see(client, circle_of_two):
    dana, _, _ = circle_of_two
    hidden = organized_group(is_listed=False)
    client.force_login(dana)
    url = reverse("moderation:report_group", args=[hidden.slug])
    assert client.get(url).status_code == 404
    assert not Report.objects.exists()


def test_the_sixth_report_in_an_hour_is_refused_and_not_saved(client, circle_of_two):
    dana, erin, _ = circle_of_two
    client.force_login(dana)
    url = reverse("moderation:report_member", args=[erin.pk])
    for _ in range(5):
        client.post(url, {"reason": "spam"})
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 200
    assert str(TOO_MANY) in flashes(response)
    assert Report.objects.count() == 5


@pytest.mark.parametrize("targets", ["both", "none"])
def test_the_database_wants_exactly_one_target(circle_of_two, targets):
    dana, erin, group = circle_of_two
    chosen = {"reported_user": erin, "reported_group": group} if targets == "both" else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=dana, reason="spam", **chosen)


def test_a_report_outlives_the_account_of_who_sent_it(circle_of_two):
    dana, erin, _ = circle_of_two
    report = report_about(erin, reporter=dana)
    account_delete(user=dana)
    report.refresh_from_db()
    assert (report.reporter, report.reported_user) == (None, erin)


def test_her_data_export_lists_her_reports_but_not_those_about_her(client, circle_of_two):
    dana, erin, _ = circle_of_two
    report_about(erin, reporter=dana, details="Rude messages.")
    client.force_login(erin)
    assert client.get(reverse("privacy:export")).json()["reports_sent"] == []
    client.force_login(dana)
    [sent] = client.get(reverse("privacy:export")).json()["reports_sent"]
    assert (sent["about"], sent["details"], sent["status"]) == ("Erin W.", "Rude messages.", "open")


# Moderation


def test_the_team_dismisses_a_report(circle_of_two, staff):
    _, erin, _ = circle_of_two
    report = services.report_dismiss(report=report_about(erin), by=staff)
    assert (report.status, report.handled_by) == ("dismissed", staff)
    assert report.handled_at is not None


def test_only_the_team_handles_reports(circle_of_two):
    dana, erin, _ = circle_of_two
    with pytest.raises(RuleBroken, match="Only the MomCircle team"):
        services.report_dismiss(report=report_about(erin), by=dana)
    assert Report.objects.get().status == "open"


def test_a_handled_report_is_not_handled_twice(circle_of_two, staff):
    _, erin, _ = circle_of_two
    report = services.report_dismiss(report=report_about(erin), by=staff)
    with pytest.raises(RuleBroken, match="already handled"):
        services.report_suspend(report=report, by=staff)
    erin.refresh_from_db()
    assert erin.is_active


def test_a_warning_reaches_her_without_who_reported_or_what_she_wrote(
    circle_of_two, staff, mailoutbox, django_capture_on_commit_callbacks
):
    dana, erin, _ = circle_of_two
    report = report_about(erin, reporter=dana, details="Dana here: she was rude at the park.")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_warn(report=report, by=staff)
    assert report.status == "actioned"
    assert outbox_dispatch().sent == 1  # through the outbox, like every other email
    [email] = mailoutbox
    assert email.to == [erin.email]
    assert "harassment or bullying" in email.body
    assert "Hi Erin," in email.body
    [(html, _)] = email.alternatives
    assert "harassment or bullying" in html
    for secret in ("Dana", dana.email, "rude at the park"):
        assert secret not in email.body
        assert secret not in email.subject
        assert secret not in html


def test_a_suspended_member_can_no_longer_log_in(client, circle_of_two, staff):
    _, erin, _ = circle_of_two
    services.report_suspend(report=report_about(erin), by=staff)
    erin.refresh_from_db()
    assert not erin.is_active
    response = client.post(
        reverse("account_login"), {"login": erin.email, "password": "a-long-test-password-42"}
    )
    assert "_auth_user_id" not in client.session
    assert response.url == reverse("account_inactive")


def test_suspension_ends_the_session_she_has_open(client, circle_of_two, staff):
    _, erin, _ = circle_of_two
    client.force_login(erin)
    services.member_suspend(member=erin, by=staff)
    response = client.get(reverse("groups:mine"))
    assert response.url.startswith(reverse("account_login"))


def test_the_team_cannot_suspend_itself(staff):
    with pytest.raises(RuleBroken, match="You can't suspend yourself"):
        services.member_suspend(member=staff, by=staff)


def test_archiving_a_reported_group_declines_its_waiting_requests(staff):
    group = organized_group()
    request = join_request(group)
    report = services.report_archive_group(report=report_about(group), by=staff)
    group.refresh_from_db()
    request.refresh_from_db()
    assert (report.status, group.is_archived, request.status) == ("actioned", True, "declined")


@pytest.mark.parametrize(
    ("action", "target", "sentence"),
    [
        ("report_warn", "group", "is not about a member"),
        ("report_suspend", "group", "is not about a member"),
        ("report_archive_group", "member", "is not about a group"),
    ],
)
def test_an_action_must_fit_what_was_reported(staff, action, target, sentence):
    group = organized_group()
    reported = group if target == "group" else Membership.objects.get(group=group).member
    report = report_about(reported)
    with pytest.raises(RuleBroken, match=sentence):
        getattr(services, action)(report=report, by=staff)
    report.refresh_from_db()
    assert report.status == "open"


# The moderation queue in the admin


def test_the_queue_filters_reports_by_status(client, circle_of_two, staff):
    dana, erin, group = circle_of_two
    report_about(erin, reporter=dana)
    services.report_dismiss(report=report_about(group, reporter=dana), by=staff)
    client.force_login(staff)
    response = client.get(reverse("admin:moderation_report_changelist"), {"status__exact": "open"})
    assert [report.reported_user for report in response.context["cl"].result_list] == [erin]


@pytest.mark.parametrize(
    ("action", "outcome"),
    [("report_dismiss", "dismissed"), ("report_suspend", "actioned")],
)
def test_the_queue_s_actions_go_through_the_services(client, circle_of_two, staff, action, outcome):
    _, erin, _ = circle_of_two
    report = report_about(erin)
    client.force_login(staff)
    response = client.post(
        reverse("admin:moderation_report_changelist"),
        {"action": action, "_selected_action": [report.pk]},
        follow=True,
    )
    assert "1 report(s)" in response.content.decode()
    report.refresh_from_db()
    erin.refresh_from_db()
    assert report.status == outcome
    assert erin.is_active == (action != "report_suspend")


def test_an_action_that_does_not_fit_is_explained_in_the_queue(client, staff):
    group = organized_group()
    report = report_about(group)
    client.force_login(staff)
    response = client.post(
        reverse("admin:moderation_report_changelist"),
        {"action": "report_warn", "_selected_action": [report.pk]},
        follow=True,
    )
    assert f"Report #{report.pk} is not about a member." in flashes(response)


def test_reports_are_filed_on_the_site_not_in_the_admin(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:moderation_report_add")).status_code == 403

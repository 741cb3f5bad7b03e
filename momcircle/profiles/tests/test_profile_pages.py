import json

import pytest

from momcircle.profiles.models import Profile
from tests.factories import MembershipFactory, member

pytestmark = pytest.mark.django_db


def test_others_see_first_name_and_last_initial():
    profile = member(first_name="Dana", last_initial="K").profile
    assert profile.display_name == "Dana K."


def test_her_own_profile_is_visible_to_her(client):
    dana = member()
    client.force_login(dana)
    assert client.get(f"/members/{dana.pk}/").status_code == 200


def test_a_member_she_shares_no_group_with_cannot_see_her_profile(client):
    dana, stranger = member(), member()
    MembershipFactory(member=dana)
    MembershipFactory(member=stranger)
    client.force_login(stranger)
    assert client.get(f"/members/{dana.pk}/").status_code == 404


def test_a_fellow_group_member_sees_her_profile_but_never_her_email(client):
    dana, friend = member(first_name="Dana", last_initial="K"), member()
    circle = MembershipFactory(member=dana).group
    MembershipFactory(member=friend, group=circle)
    client.force_login(friend)
    html = client.get(f"/members/{dana.pk}/").content.decode()
    assert "Dana K." in html
    assert dana.email not in html
    assert "Kowalski" not in html


def test_a_pending_request_does_not_open_her_profile(client):
    dana, applicant = member(), member()
    circle = MembershipFactory(member=dana).group
    MembershipFactory(member=applicant, group=circle, status="pending")
    client.force_login(applicant)
    assert client.get(f"/members/{dana.pk}/").status_code == 404


def test_profiles_are_not_public(client):
    dana = member()
    assert client.get(f"/members/{dana.pk}/").status_code == 302


def test_the_profile_page_query_count_is_pinned(client, django_assert_max_num_queries):
    dana, friend = member(), member()
    circle = MembershipFactory(member=dana).group
    MembershipFactory(member=friend, group=circle)
    client.force_login(friend)
    with django_assert_max_num_queries(7):
        assert client.get(f"/members/{dana.pk}/").status_code == 200


def test_editing_her_profile_keeps_her_onboarded(client):
    dana = member(first_name="Dana")
    client.force_login(dana)
    response = client.post(
        "/me/",
        {
            "first_name": "Danielle",
            "last_initial": "K",
            "zip_code": "10001",
            "time_zone": "",
            "work_pattern": "shifts",
            "kids_baby": "1",
            "kids_toddler": "0",
            "kids_preschool": "0",
            "kids_school_age": "0",
            "kids_teen": "0",
            "looking_for": ["online_chats"],
            "interests_text": "",
            "bio": "",
        },
    )
    assert response["Location"] == "/me/"
    profile = Profile.objects.get(user=dana)
    assert (profile.first_name, profile.time_zone, profile.kids) == (
        "Danielle",
        "America/New_York",
        {"baby": 1},
    )
    assert profile.is_onboarded


def test_the_profile_edit_page_query_count_is_pinned(client, django_assert_max_num_queries):
    client.force_login(member())
    with django_assert_max_num_queries(6):
        assert client.get("/me/").status_code == 200


def test_notification_preferences_are_saved(client):
    dana = member()
    client.force_login(dana)
    response = client.post(
        "/me/email-preferences/",
        {
            "reminder_timing": "evening_before",
            "reminder_evening_time": "21:30",
            "reminder_hours_before": "3",
            "announcements": "weekly_digest",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=dana)
    assert profile.reminder_timing == "evening_before"
    assert profile.reminder_evening_time.strftime("%H:%M") == "21:30"
    assert (profile.reminder_hours_before, profile.announcements) == (3, "weekly_digest")


@pytest.mark.parametrize("hours", ["0", "49", "soon"])
def test_reminder_hours_out_of_range_are_refused(client, hours):
    dana = member()
    client.force_login(dana)
    response = client.post(
        "/me/email-preferences/",
        {
            "reminder_timing": "hours_before",
            "reminder_evening_time": "20:00",
            "reminder_hours_before": hours,
            "announcements": "off",
        },
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=dana).reminder_hours_before == 2


def test_default_preferences_remind_the_evening_before_and_two_hours_before():
    profile = member().profile
    assert profile.reminder_timing == "both"
    assert profile.reminder_evening_time.strftime("%H:%M") == "20:00"
    assert profile.reminder_hours_before == 2
    assert profile.announcements == "immediately"


def test_her_data_export_is_kept_by_no_cache_at_all(client):
    client.force_login(member())
    response = client.get("/me/my-data.json")
    directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert directives == {"private", "no-store"}


def test_her_data_export_is_a_json_file_of_everything_about_her(client):
    dana = member(first_name="Dana", last_initial="K", zip_code="60614")
    MembershipFactory(member=dana, group__name="Lakeview Moms")
    client.force_login(dana)
    response = client.get("/me/my-data.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == dana.email
    assert data["profile"]["first_name"] == "Dana"
    assert data["profile"]["last_initial"] == "K"
    assert data["profile"]["zip_code"] == "60614"
    assert data["memberships"][0]["group"] == "Lakeview Moms"
    assert "weekly_availability" in data
    assert data["meetup_answers"] == []

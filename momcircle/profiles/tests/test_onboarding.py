import pytest
from django.urls import reverse

from momcircle.profiles.models import Profile
from tests.factories import ProfileFactory, UserFactory, member

pytestmark = pytest.mark.django_db

ONBOARDING = "/welcome/"


def about_her(**overrides) -> dict:
    data = {
        "first_name": "Dana",
        "last_initial": "K",
        "zip_code": "60614",
        "time_zone": "",
        "work_pattern": "hybrid",
        "kids_baby": "0",
        "kids_toddler": "1",
        "kids_preschool": "1",
        "kids_school_age": "0",
        "kids_teen": "0",
        "looking_for": ["moms_night_out", "walks"],
        "interests_text": "Running,  BOOK club, running, #Gardening",
        "bio": "Nurse, two kids, loves a quiet coffee.",
    }
    data.update(overrides)
    return data


def test_a_new_member_is_sent_to_onboarding_from_any_page(client):
    client.force_login(UserFactory())
    assert client.get("/")["Location"] == ONBOARDING
    assert client.get("/me/")["Location"] == ONBOARDING


def test_a_member_who_skipped_availability_is_still_held_at_onboarding(client):
    client.force_login(ProfileFactory(onboarded_at=None).user)
    assert client.get("/")["Location"] == ONBOARDING


def test_onboarding_stores_the_zip_centroid_and_its_time_zone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(ONBOARDING, about_her())
    assert response["Location"] == reverse("profiles:availability")
    profile = Profile.objects.get(user=user)
    assert (profile.zip_code, profile.time_zone) == ("60614", "America/Chicago")
    assert (profile.latitude, profile.longitude) == pytest.approx((41.9229, -87.6483))
    assert profile.kids == {"toddler": 1, "preschool": 1}
    assert profile.looking_for == ["moms_night_out", "walks"]
    assert not profile.is_onboarded


def test_interests_are_normalized_into_tags(client):
    user = UserFactory()
    client.force_login(user)
    client.post(ONBOARDING, about_her())
    assert user.profile.interests == ["running", "book club", "gardening"]


def test_she_may_choose_a_time_zone_other_than_her_zips(client):
    user = UserFactory()
    client.force_login(user)
    client.post(ONBOARDING, about_her(time_zone="America/Phoenix"))
    assert Profile.objects.get(user=user).time_zone == "America/Phoenix"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("zip_code", "00000", "We don&#x27;t know the ZIP code 00000"),
        ("zip_code", "6061", "Enter a 5-digit US ZIP code."),
        ("zip_code", "606144", "Ensure this value has at most 5 characters"),
        ("first_name", "", "This field is required."),
        ("kids_toddler", "-1", "greater than or equal to 0"),
        ("kids_toddler", "many", "Enter a whole number."),
        ("looking_for", [], "Choose at least one thing you&#x27;d enjoy."),
        ("looking_for", ["yachting"], "Select a valid choice"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("work_pattern", "astronaut", "Select a valid choice"),
        ("bio", "x" * 501, "at most 500 characters"),
        ("interests_text", ",".join(f"tag{i}" for i in range(11)), "10 interests or fewer"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, field, value, message):
    client.force_login(UserFactory())
    response = client.post(ONBOARDING, about_her(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.exists()


def test_an_onboarded_member_is_not_shown_onboarding_again(client):
    client.force_login(member())
    assert client.get(ONBOARDING)["Location"] == "/"


def test_onboarding_needs_a_login(client):
    response = client.get(ONBOARDING)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

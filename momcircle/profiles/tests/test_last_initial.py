import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from momcircle.profiles.forms import LAST_INITIAL_ERROR, ProfileForm
from momcircle.profiles.models import Profile
from tests.factories import UserFactory

BEFORE = [("profiles", "0006_reports_move_to_moderation")]  # 0007_last_initial comes next


def about_her(last_initial: str) -> dict:
    return {
        "first_name": "Dana",
        "last_initial": last_initial,
        "zip_code": "60614",
        "time_zone": "",
        "work_pattern": "hybrid",
        "looking_for": ["walks"],
    }


def cleaned_initial(typed: str) -> str:
    form = ProfileForm(about_her(typed))
    assert form.is_valid(), form.errors
    return form.cleaned_data["last_initial"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("K", "K"), ("k", "K"), (" k. ", "K"), ("ñ", "Ñ"), ("N\u0303", "Ñ"), ("ß", "ß"), ("Ø", "Ø")],
)
def test_the_last_initial_is_one_letter_of_any_alphabet(typed, stored):
    assert cleaned_initial(typed) == stored


@pytest.mark.parametrize("typed", ["", "Kowalski", "7", "-", "\u0303", "..", "😀"])
def test_anything_but_one_letter_gets_a_clear_message(typed):
    form = ProfileForm(about_her(typed))
    assert not form.is_valid()
    assert form.errors["last_initial"] == [LAST_INITIAL_ERROR]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_only_the_first_letter_of_a_stored_last_name():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("profiles", "Profile")
        old.objects.create(
            user_id=UserFactory().pk,
            first_name="Dana",
            last_name="kowalski",
            zip_code="60614",
            latitude=41.9,
            longitude=-87.6,
            time_zone="America/Chicago",
            work_pattern="hybrid",
            looking_for=["walks"],
        )
    finally:  # every migration again, the later ones too: the tests after this one need them
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Profile.objects.get().display_name == "Dana K."

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.profiles.services import availability_replace
from tests.factories import ProfileFactory, UserFactory, member

pytestmark = pytest.mark.django_db

EDITOR = reverse("profiles:availability")
PRESET = reverse("profiles:availability_preset")
TUESDAY_EVENING = WeeklyWindow(1, 1230, 1320, "kid_free")
SATURDAY_MORNING = WeeklyWindow(5, 540, 720, "kids_along")


@pytest.fixture
def her(client):
    user = member()
    availability_replace(member=user, windows=[TUESDAY_EVENING])
    client.force_login(user)
    return user


def new_time(row: int, weekday: str, start: str, end: str, mode: str) -> dict:
    return {
        f"add_{row}_weekday": weekday,
        f"add_{row}_start": start,
        f"add_{row}_end": end,
        f"add_{row}_mode": mode,
    }


def test_the_editor_needs_a_login(client):
    response = client.get(EDITOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_without_a_profile_is_sent_to_onboarding(client):
    client.force_login(UserFactory())
    assert client.get(EDITOR)["Location"] == reverse("profiles:onboarding")


def test_the_editor_lists_her_windows_in_words_in_her_time_zone(client, her):
    html = client.get(EDITOR).content.decode()
    assert "Tue 20:30–22:00, kid-free" in html
    assert 'value="1,1230,1320,kid_free"' in html
    assert "Times are in Chicago time" in html


def test_the_grid_format_saves_her_week_merged(client, her):
    response = client.post(EDITOR, {"window": ["3,1200,1260,kid_free", "3,1260,1290,kid_free"]})
    assert response["Location"] == EDITOR
    assert weekly_windows_for(her) == [WeeklyWindow(3, 1200, 1290, "kid_free")]


def test_a_save_says_so(client, her):
    response = client.post(EDITOR, {"window": "1,1230,1320,kid_free"}, follow=True)
    assert "Your weekly availability is saved." in response.content.decode()


def test_the_fallback_rows_add_a_time_to_the_ones_she_keeps(client, her):
    client.post(
        EDITOR, {"window": "1,1230,1320,kid_free", **new_time(1, "5", "540", "720", "kids_along")}
    )
    assert weekly_windows_for(her) == [TUESDAY_EVENING, SATURDAY_MORNING]


def test_unticking_a_time_removes_it(client, her):
    client.post(EDITOR, new_time(2, "5", "540", "720", "kids_along"))
    assert weekly_windows_for(her) == [SATURDAY_MORNING]


def test_an_onboarded_member_may_save_an_empty_week(client, her):
    response = client.post(EDITOR, {})
    assert response["Location"] == EDITOR
    assert weekly_windows_for(her) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"window": "1,600,600,kid_free"}, "The end time must be different from the start time."),
        ({"window": "1,600,1455,kid_free"}, "The end time must be between 00:15 and 24:00."),
        ({"window": "1,1440,60,kid_free"}, "The start time must be between 00:00 and 23:45."),
        ({"window": "1,610,700,kid_free"}, "Times must be on a 15-minute step."),
        ({"window": "7,600,700,kid_free"}, "Choose a day from Monday to Sunday."),
        ({"window": "1,600,700,party"}, "Choose whether the time is kid-free or with kids along."),
        ({"window": "1,six,700,kid_free"}, "We could not read one of the times"),
        ({"window": "1,600"}, "We could not read one of the times"),
        (new_time(1, "1", "600", "600", "kid_free"), "New time 1: The end time must be different"),
        (new_time(2, "1", "600", "", "kid_free"), "New time 2: Choose a day, a start, an end"),
        (new_time(3, "Funday", "600", "700", "kid_free"), "New time 3: We could not read"),
        (new_time(1, "1\x00", "600", "700", "kid_free"), "Null characters are not allowed."),
        (
            {
                "window": [
                    f"{d},{h * 60},{h * 60 + 30},kid_free" for d in range(7) for h in range(9)
                ]
            },
            "That is more than 60 separate times a week",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, her, data, message):
    response = client.post(EDITOR, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert weekly_windows_for(her) == [TUESDAY_EVENING]


@pytest.mark.parametrize(
    "data",
    [
        {"window": ""},
        {"window": ",,,"},
        {"window": "1,1230,1320,kid_free,extra"},
        {"window": "-1,-15,0,kid_free"},
        {"window": "1,99999999999999999999999999,1320,kid_free"},
        {"window": "9" * 5000},
        {"window": f"1,{'9' * 5000},1320,kid_free"},
        {"window": "1,1230,1320,kid_free\x00"},
        {"window": "1.5,1230,1320,kid_free"},
        {"add_1_weekday": "x" * 10_000},
        {"add_1_mode": "kid_free"},
        {"paint_mode": "kid_free", "unknown": "field"},
    ],
)
def test_malformed_posts_never_break_the_page(client, her, data):
    response = client.post(EDITOR, data)
    assert response.status_code in {200, 302}
    assert weekly_windows_for(her) in ([TUESDAY_EVENING], [])


def test_an_oversized_post_is_refused_without_an_error_page(client, her):
    response = client.post(EDITOR, {"window": ["1,1230,1320,kid_free"] * 2000})
    assert response.status_code == 400
    assert weekly_windows_for(her) == [TUESDAY_EVENING]


def test_a_preset_button_adds_its_times_to_hers(client, her):
    response = client.post(PRESET, {"preset": "weekend-mornings"}, follow=True)
    assert "Added “Weekend mornings with kids” to your week." in response.content.decode()
    assert weekly_windows_for(her) == [
        TUESDAY_EVENING,
        SATURDAY_MORNING,
        WeeklyWindow(6, 540, 720, "kids_along"),
    ]


def test_an_unknown_preset_adds_nothing(client, her):
    response = client.post(PRESET, {"preset": "yachting"}, follow=True)
    assert "Choose one of the suggested times." in response.content.decode()
    assert weekly_windows_for(her) == [TUESDAY_EVENING]


def test_a_preset_is_never_applied_by_a_get(client, her):
    assert client.get(PRESET, {"preset": "weekend-mornings"}).status_code == 405
    assert weekly_windows_for(her) == [TUESDAY_EVENING]


def test_onboarding_cannot_finish_with_an_empty_week(client):
    newcomer = ProfileFactory(onboarded_at=None).user
    client.force_login(newcomer)
    response = client.post(EDITOR, {})
    assert "Choose at least one time you are free, or tap a preset." in response.content.decode()
    newcomer.profile.refresh_from_db()
    assert not newcomer.profile.is_onboarded


def test_onboarding_finishes_when_she_saves_a_time(client):
    newcomer = ProfileFactory(onboarded_at=None).user
    client.force_login(newcomer)
    response = client.post(EDITOR, {"window": "1,1230,1320,kid_free"})
    assert response["Location"] == reverse("home")
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.is_onboarded
    assert weekly_windows_for(newcomer) == [TUESDAY_EVENING]


def test_onboarding_ends_with_a_welcome(client):
    client.force_login(ProfileFactory(onboarded_at=None).user)
    response = client.post(EDITOR, {"window": "1,1230,1320,kid_free"}, follow=True)
    assert "Welcome to MomCircle!" in response.content.decode()


def half_hours(count: int) -> list[WeeklyWindow]:
    """`count` separate half-hour windows, none touching another."""
    return [
        WeeklyWindow(i % 7, (i // 7) * 60, (i // 7) * 60 + 30, "kid_free") for i in range(count)
    ]


def queries_to_show_the_editor(client, window_count: int) -> int:
    user = member()
    availability_replace(member=user, windows=half_hours(window_count))
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(EDITOR).status_code == 200
    return len(queries)


def test_the_editor_needs_few_queries(client, her, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(EDITOR)


def test_the_editor_query_count_does_not_grow_with_her_windows(client):
    assert queries_to_show_the_editor(client, 2) == queries_to_show_the_editor(client, 30)


def test_a_refused_new_time_shows_what_she_chose_again(client, her):
    client.get(EDITOR)  # the empty rows, as everyone sees them first
    html = client.post(EDITOR, {"add_1_weekday": "4", "add_1_start": "1200"}).content.decode()
    assert "New time 1: Choose a day, a start, an end and who is along" in html
    assert '<option value="4" selected>Friday</option>' in html
    assert '<option value="1200" selected>20:00</option>' in html

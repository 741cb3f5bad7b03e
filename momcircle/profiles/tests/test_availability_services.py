import pytest
from django.db import IntegrityError

from momcircle.availability.windows import WeeklyWindow
from momcircle.profiles.presets import PRESETS
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.profiles.services import MAX_WINDOWS, availability_add_preset, availability_replace
from momcircle.rules import RuleBroken
from tests.factories import member

pytestmark = pytest.mark.django_db

TUE = 1
FRI = 4
SAT = 5


def test_touching_windows_of_the_same_mode_are_merged_on_save():
    her = member()
    availability_replace(
        member=her,
        windows=[
            WeeklyWindow(TUE, 1230, 1290, "kid_free"),
            WeeklyWindow(TUE, 1290, 1320, "kid_free"),
        ],
    )
    assert weekly_windows_for(her) == [WeeklyWindow(TUE, 1230, 1320, "kid_free")]


def test_touching_windows_of_different_modes_stay_apart():
    her = member()
    windows = [WeeklyWindow(SAT, 540, 720, "kids_along"), WeeklyWindow(SAT, 720, 780, "kid_free")]
    availability_replace(member=her, windows=windows)
    assert weekly_windows_for(her) == windows


def test_a_window_crossing_midnight_is_stored_as_one_window():
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(FRI, 1260, 30, "kid_free")])
    stored = her.availability_windows.get()
    assert (stored.weekday, stored.start_minute, stored.end_minute) == (FRI, 1260, 30)


def test_saving_replaces_her_old_windows():
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(TUE, 1230, 1320, "kid_free")])
    availability_replace(member=her, windows=[WeeklyWindow(SAT, 540, 720, "kids_along")])
    assert weekly_windows_for(her) == [WeeklyWindow(SAT, 540, 720, "kids_along")]


def test_an_invalid_window_saves_nothing_and_keeps_her_old_windows():
    her = member()
    old = [WeeklyWindow(TUE, 1230, 1320, "kid_free")]
    availability_replace(member=her, windows=old)
    with pytest.raises(RuleBroken, match="different from the start"):
        availability_replace(
            member=her,
            windows=[
                WeeklyWindow(SAT, 540, 720, "kids_along"),
                WeeklyWindow(FRI, 600, 600, "kid_free"),
            ],
        )
    assert weekly_windows_for(her) == old


def test_more_separate_windows_than_the_cap_are_refused():
    her = member()
    hours = [
        WeeklyWindow(day, hour * 60, hour * 60 + 30, "kid_free")
        for day in range(7)
        for hour in range(9)
    ]
    assert len(hours) > MAX_WINDOWS
    with pytest.raises(RuleBroken, match=f"more than {MAX_WINDOWS} separate times"):
        availability_replace(member=her, windows=hours)
    assert weekly_windows_for(her) == []


def test_a_preset_is_added_to_her_existing_windows():
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(FRI, 1260, 30, "kid_free")])
    availability_add_preset(member=her, preset=PRESETS["weekend-mornings"])
    assert weekly_windows_for(her) == [
        WeeklyWindow(FRI, 1260, 30, "kid_free"),
        WeeklyWindow(SAT, 540, 720, "kids_along"),
        WeeklyWindow(SAT + 1, 540, 720, "kids_along"),
    ]


def test_a_preset_merges_with_a_window_it_touches():
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(0, 1320, 1380, "kid_free")])
    availability_add_preset(member=her, preset=PRESETS["weeknight-evenings"])
    assert WeeklyWindow(0, 1230, 1380, "kid_free") in weekly_windows_for(her)
    assert len(weekly_windows_for(her)) == 4


def test_the_database_refuses_a_window_off_the_15_minute_step():
    her = member()
    with pytest.raises(IntegrityError):
        her.availability_windows.create(
            weekday=TUE, start_minute=1231, end_minute=1320, mode="kid_free"
        )


def test_saving_her_week_keeps_her_half_hour_slots_in_step():
    her = member()
    availability_replace(member=her, windows=[WeeklyWindow(TUE, 1230, 1320, "kid_free")])
    tuesday_20_30 = (TUE * 24 * 60 + 1230) // 30
    assert her.weekly_free_slots.slots == [tuesday_20_30, tuesday_20_30 + 1, tuesday_20_30 + 2]
    availability_replace(member=her, windows=[])
    her.weekly_free_slots.refresh_from_db()
    assert her.weekly_free_slots.slots == []

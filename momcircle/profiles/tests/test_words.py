"""Her week in words, in the language she reads."""

import pytest
from django.utils import translation

from momcircle.availability.windows import MODES, InvalidWindow, WeeklyWindow
from momcircle.profiles.words import part_of_week_in_words, refusal_in_words, window_in_words

TUE, FRI, SUN = 1, 4, 6
KF, KA = MODES


@pytest.mark.parametrize(
    ("window", "language", "text"),
    [
        (WeeklyWindow(TUE, 20 * 60 + 30, 22 * 60, KF), "en", "Tue 20:30–22:00, kid-free"),
        (WeeklyWindow(FRI, 21 * 60, 30, KA), "en", "Fri 21:00–00:30, kids along"),
        (WeeklyWindow(SUN, 18 * 60, 24 * 60, KF), "en", "Sun 18:00–24:00, kid-free"),
        (WeeklyWindow(TUE, 20 * 60 + 30, 22 * 60, KF), "es", "mar 20:30–22:00, sin niños"),
        (WeeklyWindow(FRI, 21 * 60, 30, KA), "es", "vie 21:00–00:30, con niños"),
    ],
)
def test_a_window_in_words(window, language, text):
    with translation.override(language):
        assert window_in_words(window) == text


@pytest.mark.parametrize(("language", "text"), [("en", "Tue evenings"), ("es", "mar por la noche")])
def test_a_part_of_the_week_in_words(language, text):
    with translation.override(language):
        assert part_of_week_in_words("Tue evenings") == text


def test_a_refusal_of_the_arithmetic_in_spanish():
    with pytest.raises(InvalidWindow) as refused:
        WeeklyWindow(TUE, 60, 60, KF).validate()
    with translation.override("es"):
        assert refusal_in_words(refused.value) == (
            "La hora de término debe ser distinta de la hora de inicio."
        )

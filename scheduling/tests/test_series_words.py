"""A series' rhythm and end in words, in the language she reads."""

from datetime import date

import pytest
from django.utils import translation

from momcircle.availability.recurrence import BIWEEKLY, LAST, MONTHLY, WEEKLY, Recurrence
from scheduling.templatetags.meetups import end_in_words, rhythm_in_words

CASES = [
    (Recurrence(WEEKLY, date(2027, 3, 2)), "Every Tuesday", "Cada martes", ""),
    (
        Recurrence(BIWEEKLY, date(2027, 3, 2), count=6),
        "Every other Tuesday",
        "Un martes sí y otro no",
        "6 times",
    ),
    (
        Recurrence(MONTHLY, date(2027, 3, 9), week_of_month=2, until=date(2027, 6, 30)),
        "The 2nd Tuesday of each month",
        "El segundo martes de cada mes",
        "until 30 June 2027",
    ),
    (
        Recurrence(MONTHLY, date(2027, 3, 30), week_of_month=LAST, count=1),
        "The last Tuesday of each month",
        "El último martes de cada mes",
        "once",
    ),
]


@pytest.mark.parametrize(("rule", "english", "spanish", "ending"), CASES)
def test_a_rhythm_in_english_and_in_spanish(rule, english, spanish, ending):
    with translation.override("en"):
        assert rhythm_in_words(rule) == english
        assert end_in_words(rule) == ending
    with translation.override("es"):
        assert rhythm_in_words(rule) == spanish


def test_how_a_series_ends_in_spanish():
    with translation.override("es"):
        assert end_in_words(Recurrence(WEEKLY, date(2027, 3, 2), count=6)) == "6 veces"
        until = Recurrence(WEEKLY, date(2027, 3, 2), until=date(2027, 6, 29))
        assert end_in_words(until) == "hasta el 29 de junio de 2027"

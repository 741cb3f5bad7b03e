"""Forms of the weekly availability editor.

A window travels as one string "weekday,start,end,mode" (e.g. "1,1230,1320,kid_free" is
Tue 20:30–22:00, kid-free), in repeated `window` fields. The grid script writes them; without
the script they are the checkboxes of her current times (untick one to remove it) and the
add_<n>_* selects add new times. Both paths end in the same list of WeeklyWindows.
"""

import calendar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms

from momcircle.availability.windows import (
    MINUTES_PER_DAY,
    STEP_MINUTES,
    InvalidWindow,
    WeeklyWindow,
    clock,
    describe_window,
)
from momcircle.profiles.models import KidMode
from momcircle.profiles.presets import PRESETS
from momcircle.widgets import QUICK_WIDGETS

NEW_ROWS = 3
UNREADABLE = "We could not read one of the times; please choose it again."
INCOMPLETE_ROW = "Choose a day, a start, an end and who is along for each time you add."
NONE_CHOSEN = "Choose at least one time you are free, or tap a preset."


def window_value(window: WeeklyWindow) -> str:
    return f"{window.weekday},{window.start},{window.end},{window.mode}"


def parse_window(weekday: str, start: str, end: str, mode: str) -> WeeklyWindow:
    """A validated window from posted text; InvalidWindow says what is wrong."""
    try:
        window = WeeklyWindow(int(weekday), int(start), int(end), mode)
    except ValueError as error:
        raise InvalidWindow(UNREADABLE) from error
    window.validate()
    return window


def parse_window_value(value: str) -> WeeklyWindow:
    parts = value.split(",")
    if len(parts) != 4:
        raise InvalidWindow(UNREADABLE)
    return parse_window(*parts)


def _time_choices(first: int, last: int) -> list[tuple[str, str]]:
    return [("", "Choose…")] + [
        (str(minute), clock(minute)) for minute in range(first, last + 1, STEP_MINUTES)
    ]


DAY_CHOICES = [("", "Choose…")] + [(str(day), name) for day, name in enumerate(calendar.day_name)]
START_CHOICES = _time_choices(0, MINUTES_PER_DAY - STEP_MINUTES)
END_CHOICES = _time_choices(STEP_MINUTES, MINUTES_PER_DAY)
MODE_CHOICES = [("", "Choose…"), *KidMode.choices]
NEW_ROW_FIELDS = (
    ("weekday", "Day", DAY_CHOICES),
    ("start", "From", START_CHOICES),
    ("end", "To", END_CHOICES),
    ("mode", "Who is along", MODE_CHOICES),
)


class WindowListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[WeeklyWindow]:
        try:
            return [parse_window_value(text) for text in value or []]
        except InvalidWindow as error:
            raise forms.ValidationError(str(error)) from error


class AvailabilityForm(forms.Form):
    default_renderer = QUICK_WIDGETS
    window = WindowListField(required=False)

    def __init__(self, *args, require_some: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_some = require_some
        for row in range(1, NEW_ROWS + 1):
            for part, label, choices in NEW_ROW_FIELDS:
                self.fields[f"add_{row}_{part}"] = forms.CharField(
                    label=label, required=False, widget=forms.Select(choices=choices)
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False  # the page lists every error above the grid
        self.helper.layout = Layout(
            *(
                Fieldset(
                    f"New time {row}",
                    Div(
                        *(
                            Div(f"add_{row}_{part}", css_class="col-6 col-md-3")
                            for part, _, _ in NEW_ROW_FIELDS
                        ),
                        css_class="row g-2",
                    ),
                    css_class="new-time",
                )
                for row in range(1, NEW_ROWS + 1)
            )
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        windows = list(cleaned.get("window", []))
        for row in range(1, NEW_ROWS + 1):
            values = [cleaned.get(f"add_{row}_{part}", "") for part, _, _ in NEW_ROW_FIELDS]
            if not any(values):
                continue
            try:
                if not all(values):
                    raise InvalidWindow(INCOMPLETE_ROW)
                windows.append(parse_window(*values))
            except InvalidWindow as error:
                self.add_error(None, f"New time {row}: {error}")
        if self.require_some and not windows and not self.errors:
            raise forms.ValidationError(NONE_CHOSEN)
        cleaned["windows"] = windows
        return cleaned

    def windows(self) -> list[WeeklyWindow]:
        """Every time she posted, kept and added, from a valid form."""
        return self.cleaned_data["windows"]

    def listed_windows(self) -> list[tuple[str, str]]:
        """(value, words) of each readable time to list: what she posted, else what is stored."""
        windows = []
        for value in self["window"].value() or []:
            try:
                windows.append(parse_window_value(value))
            except InvalidWindow:
                continue
        return [(window_value(window), describe_window(window)) for window in sorted(windows)]


class PresetForm(forms.Form):
    preset = forms.ChoiceField(choices=[(key, preset.label) for key, preset in PRESETS.items()])

    @staticmethod
    def buttons() -> list[tuple[str, str, str]]:
        """(key, label, its windows as space-separated values) for each preset button."""
        return [
            (key, preset.label, " ".join(window_value(window) for window in preset.windows))
            for key, preset in PRESETS.items()
        ]

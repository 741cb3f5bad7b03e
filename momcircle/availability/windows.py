"""Weekly windows: what a member says about her week (pure Python, standard library only).

A member states recurring weekly windows in the wall-clock time of her own IANA zone,
e.g. "Tue 20:30-22:00, kid-free". This module validates, merges and describes such
windows; ``times`` turns them into concrete UTC intervals and meeting times, ``slots`` into
half-hour slots of the local week.

Windows
    ``WeeklyWindow(weekday, start, end, mode)``: weekday 0=Monday..6=Sunday, ``start`` and
    ``end`` in minutes from local midnight on a 15-minute step (start 0..1425, end 15..1440).
    ``end <= start`` means the window ends at ``end`` on the next day (Fri 21:00-00:30 is
    ``WeeklyWindow(4, 1260, 30, ...)``), so a window lasts at most 24 h (only 00:00-24:00).

Merge canonical form (``merge_windows``)
    Windows of the same mode are united on the weekly circle (Sunday 24:00 is Monday 00:00;
    touching windows merge). Each maximal run becomes ONE window when one can hold it: it is
    shorter than 24 h (so it crosses local midnight at most once) or it is exactly 00:00-24:00
    of one day. A longer run is split at every local midnight inside it: a first piece ending at
    24:00, whole days 00:00-24:00, then a last piece starting at 00:00. A run covering the whole
    week is the seven days 00:00-24:00. The result is sorted by (weekday, start, end, mode);
    merging it again returns it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

STEP_MINUTES = 15
# The kid axis, the one vocabulary for windows, meetups, groups and circles.
KID_FREE = "kid_free"
KIDS_ALONG = "kids_along"
MODES = (KID_FREE, KIDS_ALONG)
EITHER = "either"  # a wish that takes either mode (times to suggest, a circle to find)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

T = TypeVar("T", int, datetime)


def gettext_noop(sentence: str) -> str:
    """Marks a sentence for the translation catalogue; this module imports no Django, so the
    sentence is translated where it is shown (momcircle.profiles.words)."""
    return sentence


class InvalidWindow(ValueError):
    """A weekly window a member entered is not valid; the message can be shown to her."""


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    """A recurring weekly window in the member's local wall-clock time.

    Construction does not validate, so that a form can build one and show the message of
    ``validate()``; every function of this module validates the windows it is given.
    """

    weekday: int
    start: int
    end: int
    mode: str

    @property
    def length(self) -> int:
        """Wall-clock length in minutes (an end at or before the start is on the next day)."""
        if self.end > self.start:
            return self.end - self.start
        return self.end + MINUTES_PER_DAY - self.start

    def validate(self) -> None:
        """Raise InvalidWindow, with a sentence a member can read, if the window is invalid."""
        if not _is_int(self.weekday) or not 0 <= self.weekday <= 6:
            raise InvalidWindow(gettext_noop("Choose a day from Monday to Sunday."))
        if self.mode not in MODES:
            raise InvalidWindow(
                gettext_noop("Choose whether the time is kid-free or with kids along.")
            )
        if not (_is_int(self.start) and _is_int(self.end)) or (
            self.start % STEP_MINUTES or self.end % STEP_MINUTES
        ):
            raise InvalidWindow(f"Times must be on a {STEP_MINUTES}-minute step.")
        if not 0 <= self.start <= MINUTES_PER_DAY - STEP_MINUTES:
            raise InvalidWindow(gettext_noop("The start time must be between 00:00 and 23:45."))
        if not STEP_MINUTES <= self.end <= MINUTES_PER_DAY:
            raise InvalidWindow(gettext_noop("The end time must be between 00:15 and 24:00."))
        if self.end == self.start:
            raise InvalidWindow(gettext_noop("The end time must be different from the start time."))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- weekly windows -------------------------------------------------------------------------


def merge_windows(windows: Iterable[WeeklyWindow]) -> list[WeeklyWindow]:
    """Merge overlapping or touching windows of the same mode into the canonical form."""
    spans_by_mode: dict[str, list[tuple[int, int]]] = {}
    for window in windows:
        window.validate()
        spans_by_mode.setdefault(window.mode, []).extend(week_spans(window))
    merged: list[WeeklyWindow] = []
    for mode, spans in spans_by_mode.items():
        for run_start, run_end in _circular_runs(spans):
            merged.extend(_run_to_windows(run_start, run_end, mode))
    return sorted(merged)


def week_spans(window: WeeklyWindow) -> list[tuple[int, int]]:
    """The window as [start, end) minutes of the week, split where it wraps past Sunday 24:00."""
    start = window.weekday * MINUTES_PER_DAY + window.start
    end = start + window.length
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]


def _circular_runs(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Maximal runs on the weekly circle; a run wrapping past Sunday 24:00 ends after it."""
    runs = merge_intervals(spans)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == MINUTES_PER_WEEK:
        first, last = runs.pop(0), runs.pop()
        runs.append((last[0], first[1] + MINUTES_PER_WEEK))
    return runs


def _run_to_windows(start: int, end: int, mode: str) -> list[WeeklyWindow]:
    length = end - start
    if length < MINUTES_PER_DAY or (length == MINUTES_PER_DAY and start % MINUTES_PER_DAY == 0):
        return [_window_at(start, length, mode)]
    pieces = []
    while start < end:
        piece_end = min((start // MINUTES_PER_DAY + 1) * MINUTES_PER_DAY, end)
        pieces.append(_window_at(start, piece_end - start, mode))
        start = piece_end
    return pieces


def _window_at(week_minute: int, length: int, mode: str) -> WeeklyWindow:
    weekday, start = divmod(week_minute % MINUTES_PER_WEEK, MINUTES_PER_DAY)
    end = start + length
    if end > MINUTES_PER_DAY:
        end -= MINUTES_PER_DAY
    return WeeklyWindow(weekday, start, end, mode)


def modes_wished(wish: str) -> tuple[str, ...]:
    """The modes a wish takes: one mode, or both for EITHER."""
    return MODES if wish == EITHER else (wish,)


def clock(minutes: int) -> str:
    """Minutes after midnight as "HH:MM"."""
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}"


def merge_intervals(intervals: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Sorted union of half-open intervals; touching ones merge and empty ones vanish."""
    merged: list[tuple[T, T]] = []
    for lo, hi in sorted(intervals):
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged

"""Benchmark: suggest 90-minute meetings for a 200-member group over 28 days.

Compares suggest_times with the brute-force oracle (every candidate x every member x every
interval, then the same greedy) on the same input. Run from the repository root:
``python bench/suggest.py``. The last line is JSON.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from _common import make_members, timed  # first: puts the repository root on sys.path

from momcircle.availability.tests.oracles import oracle_suggest
from momcircle.availability.times import Suggestion, expand, suggest_times

SEED = 20261101
MEMBERS = 200
DAYS = 28
START = date(2026, 3, 5)  # spans the US (Mar 8) and UK (Mar 29) spring-forward changes
DURATION = timedelta(minutes=90)
LIMIT = 5
REPEAT = 5
# A local group: most members in one metro area, a few who moved away and stay in touch.
GROUP_ZONES = {"America/New_York": 12, "America/Chicago": 2, "Europe/London": 1}
HOME = ZoneInfo("America/New_York")


def describe(suggestion: Suggestion) -> str:
    start, end = suggestion.start.astimezone(HOME), suggestion.end.astimezone(HOME)
    when = f"{start:%a %Y-%m-%d %H:%M}\u2013{end:%H:%M %Z}"
    return f"{when}: {suggestion.count} of {MEMBERS} free"


def main() -> None:
    members = make_members(random.Random(SEED), MEMBERS, GROUP_ZONES)
    window_start = datetime(START.year, START.month, START.day, tzinfo=UTC)
    window_end = window_start + timedelta(days=DAYS)
    # One local day of margin each side, so every UTC instant of the window is covered.
    first, last = START - timedelta(days=1), START + timedelta(days=DAYS + 1)
    intervals = {k: expand(ws, tz, first, last) for k, (tz, ws) in members.items()}
    total = sum(len(ivs) for ivs in intervals.values())
    print(f"{MEMBERS} members, {total} UTC intervals, {DAYS} days from {window_start:%Y-%m-%d}")
    print(f"meeting: {DURATION.seconds // 60} min, up to {LIMIT} suggestions, 15-minute grid")
    args = {
        "window_start": window_start,
        "window_end": window_end,
        "duration": DURATION,
        "limit": LIMIT,
    }

    suggest_ms, result = timed(lambda: suggest_times(intervals, **args), repeat=REPEAT)
    print(f"suggest: {suggest_ms:9.1f} ms (best of {REPEAT})")
    for suggestion in result:
        print("  " + describe(suggestion))
    oracle_ms, expected = timed(lambda: oracle_suggest(intervals, **args))
    print(f"oracle:  {oracle_ms:9.1f} ms (brute force, once)")
    equal = result == expected
    ratio = oracle_ms / suggest_ms
    print(f"results equal: {equal}; suggest_times is {ratio:.1f}x faster than the oracle")
    figures = {
        "members": MEMBERS,
        "days": DAYS,
        "intervals": total,
        "suggestions": len(result),
        "best_count": result[0].count if result else 0,
        "suggest_ms": round(suggest_ms, 2),
        "oracle_ms": round(oracle_ms, 2),
        "ratio": round(ratio, 1),
        "equal": equal,
        "seed": SEED,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Benchmark: expand 500 members' weekly windows over 28 days, against the minute oracle.

Run from the repository root: ``python bench/availability.py``. The last line is JSON.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta

from _common import make_members, timed  # first: puts the repository root on sys.path

from momcircle.availability.tests.oracles import oracle_expand
from momcircle.availability.times import expand

SEED = 20260308
MEMBERS = 500
DAYS = 28
START = date(2026, 3, 5)  # spans the US (Mar 8) and UK (Mar 29) spring-forward changes
END = START + timedelta(days=DAYS)
REPEAT = 5


def main() -> None:
    members = make_members(random.Random(SEED), MEMBERS)
    windows = sum(len(ws) for _, ws in members.values())
    zones = Counter(zone for zone, _ in members.values())
    print(f"{MEMBERS} members, {windows} weekly windows, {DAYS} days from {START} to {END}")
    print("zones: " + ", ".join(f"{zone} {n}" for zone, n in zones.most_common()))

    def run_expand():
        return {k: expand(ws, tz, START, END) for k, (tz, ws) in members.items()}

    def run_oracle():
        return {k: oracle_expand(ws, tz, START, END) for k, (tz, ws) in members.items()}

    expand_ms, result = timed(run_expand, repeat=REPEAT)
    intervals = sum(len(ivs) for ivs in result.values())
    print(f"expand:  {expand_ms:9.1f} ms (best of {REPEAT}), {intervals} UTC intervals")
    oracle_ms, expected = timed(run_oracle)
    print(f"oracle:  {oracle_ms:9.1f} ms (minute by minute, once)")
    equal = result == expected
    ratio = oracle_ms / expand_ms
    print(f"results equal: {equal}; expand is {ratio:.1f}x faster than the oracle")
    figures = {
        "members": MEMBERS,
        "days": DAYS,
        "windows": windows,
        "intervals": intervals,
        "expand_ms": round(expand_ms, 2),
        "oracle_ms": round(oracle_ms, 2),
        "ratio": round(ratio, 1),
        "equal": equal,
        "seed": SEED,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Benchmark of the circles that keep meeting: the meetup page with a 200-message conversation
against the same page with none (bench/_conversation.py), served by gunicorn on loopback.

Run from the repository root with the services up: ``make bench BENCH=series``.
The last line is JSON.
"""

from __future__ import annotations

import json

from _django import BENCH_DIR  # noqa: F401  (first: sets Django up with the bench settings)

# isort: split
from _conversation import conversation_page_figures


def main() -> None:
    print("The meetup page with a conversation of 200 messages, and with none…", flush=True)
    result = conversation_page_figures(say=lambda line: print(line, flush=True))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

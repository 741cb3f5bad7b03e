"""Benchmark: how long the sign-up page takes to answer for an email that already has an
account and for a new one, with the real PBKDF2 hasher, through Django's test client; the
baseline, measured in the same run, is allauth's own sign-up form, which hashes the password
only for a new account. Password reset and a wrong password at login are timed the same way.

Run from the repository root with the services up: ``make bench BENCH=signup``
(``python bench/signup.py --rounds 5`` for a quick try). It works in a database of its own,
created, migrated and dropped here. Every request comes from an address of its own, as a
prober's would, so that no rate limit answers in its place. The last line is JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable

from _django import BENCH_DIR  # noqa: F401 (first: sets Django up with the bench settings)

# isort: split
from allauth.account.models import EmailAddress
from django.conf import global_settings, settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test import Client, override_settings

SEED = 20260312
TYPED = "saturday-pancakes-with-kids"
OURS = settings.ACCOUNT_FORMS
ALLAUTHS: dict = {}  # allauth's own forms
User = get_user_model()


class Prober:
    """Posts as a stranger would: a new client (no session) from a new address each time."""

    def __init__(self) -> None:
        self.addresses = (
            f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}" for n in itertools.count(1)
        )

    def post(self, path: str, data: dict) -> tuple[float, int]:
        """Milliseconds, and how many emails the answer sent."""
        client = Client(HTTP_HOST="localhost", REMOTE_ADDR=next(self.addresses))
        sent = len(mail.outbox)
        started = time.perf_counter()
        response = client.post(path, data)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 302), (path, response.status_code)
        return elapsed, len(mail.outbox) - sent


def members(count: int) -> list[str]:
    """Verified accounts (one hash for all: making them is not what is measured)."""
    password = make_password(TYPED + "-theirs")
    run = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(email=f"taken-{run}-{n}@example.com", password=password) for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return [user.email for user in users]


def signing_up(email: str) -> dict:
    return {"email": email, "password1": TYPED, "password2": TYPED}


def measure(rounds: int) -> dict:
    prober = Prober()
    taken = members(4 * rounds + 4)
    fresh = (f"new-{uuid.uuid4().hex}@example.com" for _ in itertools.count())
    cases: dict[str, Callable[[], tuple[float, int]]] = {
        "existing": lambda: prober.post("/accounts/signup/", signing_up(taken.pop())),
        "new": lambda: prober.post("/accounts/signup/", signing_up(next(fresh))),
        "reset_existing": lambda: prober.post("/accounts/password/reset/", {"email": taken.pop()}),
        "reset_unknown": lambda: prober.post("/accounts/password/reset/", {"email": next(fresh)}),
        "login_existing": lambda: prober.post(
            "/accounts/login/", {"login": taken.pop(), "password": TYPED}
        ),
        "login_unknown": lambda: prober.post(
            "/accounts/login/", {"login": next(fresh), "password": TYPED}
        ),
    }
    forms = {"": OURS, "allauth_": ALLAUTHS}
    runs = [("", case) for case in cases] + [("allauth_", "existing"), ("allauth_", "new")]
    times: dict[str, list[float]] = {f"{prefix}{case}": [] for prefix, case in runs}
    emails: dict[str, int] = dict.fromkeys(times, 0)
    rng = random.Random(SEED)
    accounts_before = User.objects.count()
    for number in range(rounds + 1):  # the first round warms up and is not counted
        rng.shuffle(runs)
        for prefix, case in runs:
            with override_settings(ACCOUNT_FORMS=forms[prefix]):
                elapsed, sent = cases[case]()
            if number:
                times[f"{prefix}{case}"].append(elapsed)
                emails[f"{prefix}{case}"] += sent
        if number:
            medians = ", ".join(f"{name} {statistics.median(ms):.0f}" for name, ms in times.items())
            print(f"round {number}/{rounds}: medians so far (ms) {medians}", flush=True)
    new_accounts = User.objects.count() - accounts_before
    assert new_accounts == 2 * (rounds + 1), new_accounts  # only the new emails made accounts
    hash_ms = statistics.median(
        timed_once(lambda: make_password(TYPED)) for _ in range(max(3, rounds // 2))
    )
    median = {name: statistics.median(ms) for name, ms in times.items()}
    print(f"one PBKDF2 hash: {hash_ms:.0f} ms")
    for name, ms in median.items():
        print(f"{name:>22}: median {ms:6.1f} ms, {emails[name] / rounds:.1f} emails a request")
    figures = {f"{name}_ms": round(ms, 1) for name, ms in median.items()}
    figures |= {
        "rounds": rounds,
        "hash_ms": round(hash_ms, 1),
        "ratio": round(median["existing"] / median["new"], 2),
        "allauth_ratio": round(median["allauth_existing"] / median["allauth_new"], 2),
        "reset_ratio": round(median["reset_existing"] / median["reset_unknown"], 2),
        "login_ratio": round(median["login_existing"] / median["login_unknown"], 2),
        "existing_emails": emails["existing"] / rounds,
        "new_emails": emails["new"] / rounds,
    }
    print(
        f"sign-up, existing email / new email: {figures['ratio']} "
        f"(allauth's own form: {figures['allauth_ratio']})"
    )
    return figures


def timed_once(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    rounds = parser.parse_args().rounds

    main_database = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{main_database}_bench_signup"
    print("Creating and migrating the bench database…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    # The real hasher (the bench settings put a fast one first for bench/load.py), email kept
    # in memory (each answer sends one; delivering it is not what is measured), and rate-limit
    # counters of this run only.
    real_world = override_settings(
        PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CACHES={
            "default": {
                **settings.CACHES["default"],
                "KEY_PREFIX": f"bench-signup-{uuid.uuid4().hex}",
            }
        },
    )
    try:
        with real_world:
            mail.outbox = []
            figures = measure(rounds)
    finally:
        connection.creation.destroy_test_db(main_database, verbosity=0)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""The account pages cost the same whether or not an email has an account, so that the time
an answer takes tells nobody who is a member. The costly part is hashing a password (about
230 ms with PBKDF2, on purpose): a hasher that counts its calls shows that each page hashes
as often for an email with an account as for one without. bench/signup.py measures the times.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.factories import member

pytestmark = pytest.mark.django_db

TAKEN = "dana@example.com"
FREE = "nobody-yet@example.com"
TYPED = "Another-pass-99"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts every password it hashes, checks included."""

    algorithm = "counting_md5"
    hashed: list[str] = []

    def encode(self, password, salt):
        self.hashed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{CountingHasher.__module__}.CountingHasher"]
    member(user__email=TAKEN)
    CountingHasher.hashed.clear()
    return CountingHasher.hashed


def hashes_for(client, hashes, path: str, data: dict) -> int:
    hashes.clear()
    response = client.post(path, data)
    assert response.status_code in (200, 302)
    return len(hashes)


def signing_up(email: str) -> dict:
    return {"email": email, "password1": TYPED, "password2": TYPED}


def test_signing_up_hashes_the_password_once_whether_or_not_the_email_has_an_account(
    client, hashes
):
    taken = hashes_for(client, hashes, "/accounts/signup/", signing_up(TAKEN))
    free = hashes_for(client, hashes, "/accounts/signup/", signing_up(FREE))
    assert (taken, free) == (1, 1)


def test_a_wrong_password_costs_as_many_hashes_as_an_email_without_an_account(client, hashes):
    taken = hashes_for(client, hashes, "/accounts/login/", {"login": TAKEN, "password": TYPED})
    free = hashes_for(client, hashes, "/accounts/login/", {"login": FREE, "password": TYPED})
    assert taken == free


@pytest.mark.parametrize("path", ["/accounts/password/reset/", "/accounts/login/code/"])
def test_asking_for_a_link_by_email_hashes_nothing_either_way(client, hashes, path):
    taken = hashes_for(client, hashes, path, {"email": TAKEN})
    free = hashes_for(client, hashes, path, {"email": FREE})
    assert (taken, free) == (0, 0)

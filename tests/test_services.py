"""scripts/services.sh in a fresh checkout under a folder only its owner may enter: the servers
`make run` and `make test` get there. As root, PostgreSQL runs as the postgres user, who
cannot enter such a folder by its permissions."""

from contextlib import closing

import psycopg2
import pytest
import redis

from tests.private_checkout import PrivateCheckout

DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


@pytest.fixture(scope="module")
def checkout():
    checkout = PrivateCheckout()
    yield checkout
    checkout.remove()


@pytest.fixture(scope="module")
def run_urls(checkout):
    return checkout.start()


@pytest.fixture(scope="module")
def test_urls(checkout):
    return checkout.start("test")


def settings_of(database_url: str, names) -> dict[str, str]:
    with closing(psycopg2.connect(database_url)) as connection, connection.cursor() as cursor:
        values = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
        return values


def test_make_run_and_make_test_get_their_servers_in_a_checkout_under_a_private_folder(
    run_urls, test_urls
):
    for urls in (run_urls, test_urls):
        assert settings_of(urls["DATABASE_URL"], ["server_version_num"])
        with redis.Redis.from_url(urls["REDIS_URL"]) as client:
            assert client.ping()


def test_the_database_of_make_run_keeps_what_it_acknowledged(run_urls):
    assert settings_of(run_urls["DATABASE_URL"], DURABILITY) == dict.fromkeys(DURABILITY, "on")


def test_make_test_has_a_fast_cluster_of_its_own(run_urls, test_urls):
    assert test_urls["DATABASE_URL"] != run_urls["DATABASE_URL"]
    assert settings_of(test_urls["DATABASE_URL"], DURABILITY) == dict.fromkeys(DURABILITY, "off")


def test_the_superuser_of_a_private_cluster_cannot_log_in_over_tcp(run_urls):
    as_superuser = run_urls["DATABASE_URL"].replace("//momcircle@", "//postgres@")
    with pytest.raises(psycopg2.OperationalError, match=r"pg_hba\.conf rejects"):
        psycopg2.connect(as_superuser).close()

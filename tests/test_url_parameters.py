"""Every parameter of every URL the site routes (its own, allauth's and the admin's), and the
query string of each, given what no link holds: a NUL, a lone surrogate's bytes, digits other
than 0-9, very long values. Never a server error; a NUL is a bad request (400), and a value
of another shape in one of the site's own routes is not found (404).

The routes and the woman each one serves come from the authorization matrix, which fails for a
route without a row, so a new route is fuzzed here as soon as it exists."""

import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests import positions
from tests.positions import POSITIONS
from tests.test_authorization_matrix import CHANGED, ROUTES, named_routes

pytestmark = pytest.mark.django_db

# Each as it stands in an address, percent-encoded.
NUL = "%00"
HOSTILE_VALUES = {
    "a NUL": NUL,
    "a NUL inside": f"1{NUL}a",
    "a lone surrogate's bytes": "%ED%A0%80",
    "full-width digits": quote("１２"),
    "Arabic-Indic digits": quote("١٢"),
    "mathematical digits": quote("𝟏𝟐"),
    "a number too big for any column": "9" * 400,
    "a very long word": "x" * 5_000,
}
HOSTILE_QUERIES = {
    "a NUL in the query": f"next={NUL}",
    "a NUL in a query name": f"q{NUL}=1",
    "digits and surrogates in the query": f"page={quote('١٢')}&next=%ED%A0%80&q={'x' * 5_000}",
}


def route_expressions() -> dict[str, re.Pattern]:
    """Each named route's whole regular expression, from the root of the site to its end."""
    found = {}

    def walk(patterns, namespace: str | None, prefix: str):
        for pattern in patterns:
            expression = prefix + pattern.pattern.regex.pattern.removeprefix("^")
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner and namespace:
                    inner = f"{namespace}:{inner}"
                walk(pattern.url_patterns, inner or namespace, expression)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = re.compile(expression)

    walk(get_resolver().url_patterns, None, "")
    return found


EXPRESSIONS = route_expressions()


def with_parameter(path: str, name: str, parameter: str, value: str) -> str:
    """The route's working path with one of its parameters replaced."""
    match = EXPRESSIONS[name].fullmatch(path.removeprefix("/"))
    assert match, f"{path} is not a path of {name}"
    start, end = match.span(parameter)
    return f"{path[: start + 1]}{value}{path[end + 1 :]}"


def served(name: str) -> str:
    """The position the route works for (a page she opens, or a change that goes through),
    so the hostile value reaches as far into the view as it can."""
    route = ROUTES[name]
    outcomes = [*route.get.items(), *(route.post or {}).items()]
    return next((position for position, outcome in outcomes if outcome in (200, CHANGED)), "staff")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with positions.rolled_back_world(django_db_blocker) as world:
        yield world


@pytest.fixture(scope="module")
def client():
    return Client(raise_request_exception=False)


def answers(client, world, name: str, path: str) -> list[tuple[str, int]]:
    """(method, status) of a GET, and of a POST where the route takes one; what a POST
    changed is rolled back."""
    client.cookies.clear()
    positions.sign_in(client, world, served(name))
    route = ROUTES[name]
    got = [("GET", client.get(path).status_code)]
    if route.post is not None:
        with transaction.atomic():
            got.append(("POST", client.post(path, route.data(world)).status_code))
            transaction.set_rollback(True)
    return got


def problems(client, world, name: str, path: str, what: str, *, expected: set | None) -> list:
    """What went wrong: a server error, or an answer other than one of `expected`."""
    return [
        f"{method} {name} with {what}: {status}, expected {sorted(expected or []) or '< 500'}"
        for method, status in answers(client, world, name, path)
        if status >= 500 or (expected and status not in expected)
    ]


def expected_for(name: str, value: str) -> set | None:
    """A NUL is a bad request. Otherwise the site's own routes find nothing (or refuse a GET
    on a POST-only route); allauth's and the admin's have answers of their own for a link
    that matches nothing (an "invalid link" page, a redirect to the list)."""
    if NUL in value:
        return {400}
    if name.startswith(("admin:", "account_")):
        return None
    return {404, 405}


@pytest.mark.parametrize("name", [name for name in ROUTES if EXPRESSIONS[name].groupindex])
def test_every_parameter_of_the_route_survives_hostile_values(client, world, name):
    path = ROUTES[name].path(world)
    found = []
    for parameter in EXPRESSIONS[name].groupindex:
        for what, value in HOSTILE_VALUES.items():
            hostile = with_parameter(path, name, parameter, value)
            what = f"{what} as {parameter}"
            found += problems(
                client, world, name, hostile, what, expected=expected_for(name, value)
            )
    assert found == []


@pytest.mark.parametrize("name", list(ROUTES))
def test_the_query_string_of_the_route_survives_hostile_values(client, world, name):
    path = ROUTES[name].path(world)
    found = []
    for what, query in HOSTILE_QUERIES.items():
        expected = {400} if NUL in query else None
        found += problems(client, world, name, f"{path}?{query}", what, expected=expected)
    assert found == []


def test_every_named_route_has_an_expression_and_a_position_it_serves():
    assert set(EXPRESSIONS) == named_routes()
    assert {served(name) for name in ROUTES} <= set(POSITIONS)


def test_a_parameter_is_replaced_where_it_stands_and_nowhere_else():
    name = "admin:view_on_site"
    path = "/admin/r/7/7/"
    assert with_parameter(path, name, "object_id", NUL) == f"/admin/r/7/{NUL}/"
    assert with_parameter(path, name, "content_type_id", NUL) == f"/admin/r/{NUL}/7/"


def test_a_nul_in_the_address_is_answered_with_a_page_that_says_what_is_wrong(client):
    response = client.get(f"/calendar/{NUL}.ics")
    assert response.status_code == 400
    assert "It has characters no MomCircle link has." in response.content.decode()
    assert "Content-Security-Policy" in response.headers

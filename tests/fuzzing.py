"""Building blocks of the form fuzzing tests: hostile values, raw request bodies, a database
snapshot, and what a response must look like after a rejected submission."""

import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils.html import escape
from hypothesis import strategies as st

# The apps whose rows a member's form can write; sessions and the admin log are left out
# (logging in writes a session, which is the point of logging in).
WATCHED_APPS = ("account", "profiles", "outbox", "groups", "scheduling", "conversation")

# Markup the templates use to show a form's errors: crispy-bootstrap5's field errors, the
# alert around non-field errors (ours and allauth's), and Django's own error lists.
ERROR_MARKUP = ("invalid-feedback", "alert-danger", "errorlist")

HOSTILE_TEXT = [
    "",
    " ",
    "\t\r\n",
    "\x00",
    "nul\x00in the middle",
    "\ud800",
    "lone \udfff surrogate",
    "x" * 5_000,
    "é" * 2_000,
    "😀" * 300,
    "\u202eright-to-left",
    "Poison\nBcc: evil@example.com",
    "VT\x0bno colon here",
    "\x1cX-Evil: 1",
    "line\u2028separator",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    "1; DROP TABLE profiles_user; --",
    "%00%s%n",
    "{{ request.user.password }}{% debug %}",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "١٢",
    "１２",
    "½",
    "True",
    "None",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "http://[::1",
    "https://exa mple.com",
    "2026-02-30T20:30",
    "2026-13-01T00:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2027-03-14T02:30",
    "2026-11-01T01:30",
    "2026-10-10T20:30+05:00",
    "20:30",
    "24:00",
    "1,1230,1320,kid_free",
    "6,1410,1440,kids_along,extra",
    "1,-30,60,kid_free",
    "9,60,120,kid_free",
    "1,1320,1230,kid_free",
    "1,99999999999999999999,1320,kid_free",
    "1,1230,1320,\x00",
]

# Raw bytes, for what no browser sends: invalid UTF-8, lone continuation bytes, NULs.
hostile_bytes = st.one_of(
    st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80abc", b"\x00"]),
    st.binary(max_size=24),
)

hostile_scalar = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    hostile_bytes,
)

EXTRA_NAMES = [
    "id",
    "pk",
    "user",
    "member",
    "group",
    "status",
    "role",
    "is_staff",
    "is_superuser",
    "onboarded_at",
    "csrfmiddlewaretoken",
    "next",
    "window",
    "answer",
    "",
    "\x00",
    "a" * 300,
]


def one(strategy) -> st.SearchStrategy:
    return strategy.map(lambda value: [value])


@dataclass(frozen=True)
class Payload:
    """A drawn form body: (name, value) pairs, and the level of chaos they were drawn at
    (the percentage of fields that hold hostile values, go missing or repeat)."""

    pairs: list[tuple[str, object]]
    chaos: int


CHAOS_LEVELS = [0, 0, 10, 35, 100]


@st.composite
def payloads(draw, fields: dict[str, st.SearchStrategy]) -> Payload:
    """A form body, as a browser (or anything else) sends it. A drawn level of chaos decides
    how many fields hold hostile values, go missing, or repeat; the rest keep their valid
    value, so accepted submissions are explored too. A valid strategy may draw a dict: fields
    that only make sense together (a start and its end, a row of selects), drawn as one and
    spoiled one by one; or a list: one field posted several times (a multiple select)."""
    chaos = draw(st.sampled_from(CHAOS_LEVELS))
    pairs: list[tuple[str, object]] = []
    for name, valid in fields.items():
        value = draw(valid)
        for key, good in (value if isinstance(value, dict) else {name: value}).items():
            values = good if isinstance(good, list) else [good]
            if draw(st.integers(0, 99)) < chaos:
                spoiled = st.sampled_from(values) | hostile_scalar if values else hostile_scalar
                values = draw(
                    st.one_of(
                        one(hostile_scalar),
                        st.just([]),
                        st.lists(spoiled, min_size=2, max_size=3),
                    ),
                )
            pairs.extend((key, each) for each in values)
    if chaos:
        extras = st.tuples(st.sampled_from(EXTRA_NAMES) | st.text(max_size=10), hostile_scalar)
        pairs.extend(draw(st.lists(extras, max_size=3)))
    return Payload(pairs, chaos)


def _encoded(value) -> str:
    raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


def form_body(pairs: list[tuple[str, object]]) -> str:
    """application/x-www-form-urlencoded, byte for byte what was drawn (lone surrogates and
    invalid UTF-8 included, which the test client's own encoding would refuse)."""
    return "&".join(f"{_encoded(name)}={_encoded(value)}" for name, value in pairs)


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, per table of the watched apps."""
    tables = {}
    for app in WATCHED_APPS:
        for model in apps.get_app_config(app).get_models():
            digest = hashlib.sha256()
            count = 0
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
                count += 1
            tables[model._meta.db_table] = (count, digest.hexdigest())
    return tables


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])


class Rollback(Exception):
    """Raised to undo everything one example wrote."""


@contextmanager
def rolled_back():
    """Everything inside is undone at the end (a savepoint inside the test's transaction),
    and rate-limit counters start from zero (a cache namespace of its own)."""
    caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"fuzz-{uuid.uuid4().hex}"}}
    try:
        with override_settings(CACHES=caches), transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def flashed(response) -> list:
    """The messages the view queued (shown on the next page after a redirect)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return list(storage) if storage is not None else []


def missing_errors(form, html: str) -> list[str]:
    """The form's error sentences that the page does not show."""
    sentences = [str(error) for errors in form.errors.values() for error in errors]
    return [sentence for sentence in sentences if escape(sentence) not in html]


def shows_error_markup(html: str) -> bool:
    return any(marker in html for marker in ERROR_MARKUP)

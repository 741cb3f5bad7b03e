import pytest
from django.urls import reverse

from tests.factories import member

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    ("path", "signed_in"), [("/", False), ("/accounts/login/", False), ("/groups/", True)]
)
def test_every_page_carries_the_content_security_policy(client, path, signed_in):
    if signed_in:
        client.force_login(member())
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_the_policy_allows_no_inline_or_evaluated_code(client):
    header = client.get("/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_the_other_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_browser_features_the_site_never_uses_are_switched_off(client):
    features = dict(
        part.strip().split("=", 1) for part in client.get("/")["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert features[feature] == "()"


def test_htmx_is_told_not_to_inject_its_own_styles(client):
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles":false' in html


def test_her_email_page_with_a_change_pending_has_no_inline_style(client):
    her = member()
    client.force_login(her)
    client.post(reverse("account_email"), {"action_add": "", "email": "dana.new@example.com"})
    page = client.get(reverse("account_email"))
    assert b'id="pending-email"' in page.content
    assert b"style=" not in page.content

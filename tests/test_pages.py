import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import member

pytestmark = pytest.mark.django_db
PUBLIC_PAGES = ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_load_assets_only_from_this_site(client, path):
    html = client.get(path).content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html


def test_bootstrap_and_htmx_are_found_among_static_files():
    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_the_landing_page_invites_a_visitor_to_sign_up(client):
    html = client.get("/").content.decode()
    assert "Join MomCircle" in html
    assert 'href="#main"' in html


def test_the_landing_page_speaks_of_logging_in_and_signing_up(client):
    html = client.get("/").content.decode()
    assert html.count(">Log in</a>") == 2  # the menu and the page
    assert ">Sign up</a>" in html


def test_a_signed_in_member_sees_her_account_menu_instead_of_sign_up(client):
    client.force_login(member(first_name="Dana"))
    html = client.get("/").content.decode()
    assert "Welcome back, Dana" in html
    assert "Log out" in html
    assert "Join MomCircle" not in html


def test_logging_out_needs_a_post(client):
    client.force_login(member())
    client.get("/accounts/logout/")
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_an_unknown_page_gets_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()

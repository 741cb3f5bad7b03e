"""Her language: what her browser asks for until she is logged in, then the one on her profile;
the footer's switch for either."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from momcircle.profiles.models import Profile
from momcircle.profiles.tests.test_onboarding import ONBOARDING, about_her
from tests.factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
SWITCH = "/i18n/setlang/"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def test_a_visitor_whose_browser_asks_for_spanish_gets_the_page_in_spanish(client):
    response = client.get("/accounts/login/", **SPANISH)
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_a_visitor_whose_browser_asks_for_english_gets_it_in_english(client):
    assert html_lang(client.get("/accounts/login/", **ENGLISH)) == "en"


def test_a_language_the_site_does_not_speak_falls_back_to_english(client):
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr")) == "en"


def test_once_logged_in_her_profile_s_language_wins_over_her_browser(client):
    client.force_login(member(language="es"))
    response = client.get("/me/", **ENGLISH)
    assert html_lang(response) == "es"
    assert "Guardar" in response.content.decode()


def test_her_english_profile_wins_over_a_spanish_browser(client):
    client.force_login(member(language="en"))
    assert html_lang(client.get("/me/", **SPANISH)) == "en"


def test_onboarding_keeps_the_language_she_signed_up_in(client):
    user = UserFactory()
    client.force_login(user)
    client.post(ONBOARDING, about_her(), **SPANISH)
    assert Profile.objects.get(user=user).language == "es"


def test_onboarding_offers_the_language_she_is_reading(client):
    client.force_login(UserFactory())
    html = client.get(ONBOARDING, **SPANISH).content.decode()
    assert re.search(r'<option value="es"[^>]*selected', html)


def test_she_changes_her_language_on_her_profile_page(client):
    her = member(language="en", zip_code="60614")
    client.force_login(her)
    data = about_her(language="es")
    response = client.post("/me/", data)
    assert response.status_code == 302
    her.profile.refresh_from_db()
    assert her.profile.language == "es"


def test_the_profile_page_lists_each_language_the_site_speaks(client):
    client.force_login(member())
    html = client.get("/me/").content.decode()
    for code, name in settings.LANGUAGES:
        assert re.search(rf'<option value="{code}"[^>]*>{name}</option>', html)


def test_the_footer_switch_sets_a_visitor_s_language_and_comes_back(client):
    response = client.post(SWITCH, {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert html_lang(client.get("/accounts/login/", **ENGLISH)) == "es"


def test_the_footer_switch_saves_her_profile_s_language_too(client):
    her = member(language="es")
    client.force_login(her)
    client.post(SWITCH, {"language": "en", "next": "/me/"})
    her.profile.refresh_from_db()
    assert her.profile.language == "en"
    assert html_lang(client.get("/me/", **SPANISH)) == "en"


def test_the_footer_switch_ignores_a_language_the_site_does_not_speak(client):
    her = member(language="es")
    client.force_login(her)
    response = client.post(SWITCH, {"language": "fr", "next": "/me/"})
    assert response.status_code == 302
    her.profile.refresh_from_db()
    assert her.profile.language == "es"


def test_the_footer_switch_changes_nothing_on_a_get(client):
    her = member(language="es")
    client.force_login(her)
    assert client.get(SWITCH, {"language": "en", "next": "/me/"}).status_code == 405
    her.profile.refresh_from_db()
    assert her.profile.language == "es"


def test_the_footer_switch_sends_no_one_to_another_site(client):
    response = client.post(SWITCH, {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_footer_offers_each_language_by_its_own_name_as_a_button(client):
    html = client.get("/", **SPANISH).content.decode()
    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="\w+"[^>]*>([^<]+)</button>',
        form,
    )
    assert buttons == [("en", "English"), ("es", "Español")]
    assert 'aria-pressed="true">Español' in form
    assert "style=" not in form
    assert "<script" not in form


def test_logging_in_from_a_spanish_browser_says_so_in_her_profile_s_english(client):
    her = member(language="en")
    credentials = {"login": her.email, "password": PASSWORD}
    response = client.post(reverse("account_login"), credentials, follow=True, **SPANISH)
    assert html_lang(response) == "en"
    assert f"You&#x27;re logged in as {her.email}." in response.content.decode()

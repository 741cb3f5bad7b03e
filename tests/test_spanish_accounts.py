"""allauth's pages, messages and emails in Spanish, as a member or a visitor reaches them:
in MomCircle's voice ("tú", never "usted") and with MomCircle's words, never allauth's own
Spanish where the site says it otherwise (locale_overrides/es/LC_MESSAGES/django.po)."""

import re
from pathlib import Path

import polib
import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import spanish
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale"
OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides" / "es" / "LC_MESSAGES" / "django.po"
# "usted" and its forms: the pronoun and possessive, and the imperatives and verbs of
# allauth's and Django's Spanish (where MomCircle says "confirma", "escribe", "puedes").
USTED = re.compile(
    r"\b(usted|ustedes|su|sus|confirme|introduzca|inicie|ingrese|solicite|utilice|escriba|"
    r"inténtelo|emita|vuelva|desea|ha|debe escribir|debe contener|puede registrarse|"
    r"no puede eliminar|está recibiendo|asegúrese|elija|seleccione)\b",
    re.IGNORECASE,
)
# allauth's Spanish for what MomCircle calls otherwise ("Registro" for signing up, the
# "código de inicio de sesión" MomCircle calls "un código").
NOT_OUR_WORDS = ("Registro", "código de inicio de sesión", "Solicite", "Opciones alternativas")
NEW_PASSWORD = f"{PASSWORD}-new"
VISITS = {}


@pytest.fixture(autouse=True)
def _language_of_the_test_process_kept():
    """allauth's requests leave their language active in the thread; the tests after these
    read the site's default."""
    with translation.override(translation.get_language()):
        yield


def visit(function):
    VISITS[function.__name__.replace("_", " ")] = function
    return function


def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")


def signed_in(user) -> Client:
    client = visitor()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client


def shown(response) -> str:
    assert response.status_code == 200, response.status_code
    assert '<html lang="es"' in response.content.decode()
    return spanish.visible_text(response.content.decode())


def get(client: Client, url: str) -> str:
    return shown(client.get(url, follow=True))


def post(client: Client, url: str, data: dict) -> str:
    return shown(client.post(url, data, follow=True))


@visit
def logging_in():
    client, url = visitor(), reverse("account_login")
    her = member(language="es")
    pages = [get(client, url), post(client, url, {"login": "", "password": ""})]
    pages.append(post(client, url, {"login": her.email, "password": "not-her-password"}))
    for _ in range(5):
        locked = post(client, url, {"login": her.email, "password": "not-her-password"})
    return [*pages, locked]


@visit
def signing_up():
    client, url = visitor(), reverse("account_signup")
    pages = [get(client, url)]
    for email, password, again in (
        ("not an address", "short", "other"),
        ("dana@example.com", "password", "password"),
        ("dana@example.com", "dana@example.com", "dana@example.com"),
        ("dana@example.com", "12345678901", "12345678901"),
        ("dana@example.com", PASSWORD, NEW_PASSWORD),
        (member().email, PASSWORD, PASSWORD),  # an account exists: an email, no error
        ("dana@example.com", PASSWORD, PASSWORD),
    ):
        pages.append(post(client, url, {"email": email, "password1": password, "password2": again}))
    return pages


@visit
def confirming_her_address():
    client = visitor()
    client.post(
        reverse("account_signup"),
        {"email": "dana@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    address = EmailAddress.objects.get(email="dana@example.com")
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    return [
        get(client, reverse("account_email_verification_sent")),
        get(client, reverse("account_confirm_email", args=["not-a-key"])),
        get(client, url),
        post(client, url, {}),
    ]


@visit
def resetting_her_password(mailoutbox):
    client, url = visitor(), reverse("account_reset_password")
    her = member(language="es")
    pages = [get(client, url), post(client, url, {"email": "not an address"})]
    pages.append(post(client, url, {"email": "nobody@example.com"}))
    pages.append(post(client, url, {"email": her.email}))
    link = re.search(r"http://\S+/password/reset/key/\S+/", mailoutbox[-1].body).group(0)
    pages.append(get(client, link))
    set_url = client.get(link).url
    pages.append(post(client, set_url, {"password1": "short", "password2": "other"}))
    pages.append(post(client, set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}))
    pages.append(get(client, reverse("account_reset_password_from_key", args=["1", "not-a-key"])))
    return pages


@visit
def logging_in_with_a_code():
    client, url = visitor(), reverse("account_request_login_code")
    her = member(language="es")
    pages = [get(client, url), post(client, url, {"email": "not an address"})]
    pages.append(post(visitor(), url, {"email": "nobody@example.com"}))
    pages.append(post(client, url, {"email": her.email}))
    confirm = reverse("account_confirm_login_code")
    pages += [post(client, confirm, {"code": "WRONG-CODE"}) for _ in range(3)]
    return pages


@visit
def her_email_address():
    her = member(language="es")
    client, url = signed_in(her), reverse("account_email")
    pages = [get(client, url), post(client, url, {"action_add": "", "email": "not an address"})]
    pages.append(post(client, url, {"action_add": "", "email": "dana.new@example.com"}))
    pages.append(post(client, url, {"action_send": "", "email": "dana.new@example.com"}))
    pages.append(post(client, url, {"action_primary": "", "email": "dana.new@example.com"}))
    pages.append(post(client, url, {"action_remove": "", "email": "dana.new@example.com"}))
    pages.append(post(client, url, {"action_remove": "", "email": her.email}))
    return pages


@visit
def changing_her_password():
    her = member(language="es")
    client, url = signed_in(her), reverse("account_change_password")
    pages = [get(client, url)]
    pages.append(post(client, url, {"oldpassword": "no", "password1": "a", "password2": "b"}))
    new = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    pages.append(post(client, url, new))
    her.password = make_password(None)
    her.save()
    client.force_login(her)
    url = reverse("account_set_password")
    pages += [get(client, url), post(client, url, {"password1": "a", "password2": "b"})]
    return pages


@visit
def confirming_it_is_her():
    her = member(language="es")
    client = signed_in(her)
    url = reverse("account_reauthenticate")
    code_url = reverse("account_request_reauthentication_code")
    pages = [get(client, url), post(client, url, {"password": "not-her-password"})]
    pages += [get(client, code_url), post(client, code_url, {"recipient": her.email})]
    return pages


@visit
def logging_out():
    client = signed_in(member(language="es"))
    page = get(client, reverse("account_logout"))
    client.post(reverse("account_logout"))
    return [page, get(client, reverse("account_login"))]


@visit
def an_inactive_account():
    return [get(visitor(), reverse("account_inactive"))]


def what_she_reads(name: str, mailoutbox) -> list[str]:
    function = VISITS[name]
    needs_mail = "mailoutbox" in function.__code__.co_varnames[: function.__code__.co_argcount]
    pages = function(mailoutbox) if needs_mail else function()
    return [*pages, *(f"{message.subject}\n{message.body}" for message in mailoutbox)]


@pytest.mark.parametrize("name", VISITS)
def test_allauth_speaks_to_her_as_tu(name, mailoutbox):
    texts = what_she_reads(name, mailoutbox)
    assert sorted({match.group(0) for text in texts for match in USTED.finditer(text)}) == []


@pytest.mark.parametrize("name", VISITS)
def test_allauth_uses_our_words(name, mailoutbox):
    texts = what_she_reads(name, mailoutbox)
    assert [words for words in NOT_OUR_WORDS if any(words in text for text in texts)] == []


@pytest.mark.parametrize("name", VISITS)
def test_allauth_s_pages_and_emails_read_as_spanish(name, mailoutbox):
    emails = ("member0@example.com",)
    for text in what_she_reads(name, mailoutbox):
        text = re.sub(r"\S+@\S+|https?://\S+", " ", text)  # addresses and links
        assert spanish.english_in(text, member_text=emails) == []
        assert spanish.common_english_words(text, member_text=emails) == []


def spanish_of(catalogue: Path) -> dict[str, str]:
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(catalogue))}


def test_allauth_s_sentences_say_in_spanish_what_ours_say_in_english():
    """Where MomCircle words allauth's English its own way (locale/en), its Spanish is our
    Spanish of those words: "Request Code" is "Email me a code", so "Envíame un código"."""
    ours = spanish_of(LOCALE / "es" / "LC_MESSAGES" / "django.po")
    english = spanish_of(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    with translation.override("es"):
        different = {
            msgid: (translation.gettext(msgid), ours[words])
            for msgid, words in english.items()
            if words in ours and translation.gettext(msgid) != ours[words]
        }
    assert different == {}


def test_an_override_never_shadows_the_site_s_own_catalogue():
    assert set(spanish_of(OVERRIDES)) & set(spanish_of(spanish.CATALOGUE)) == set()

"""Logging in with a one-time code sent to her email: offered on the login page and when her
password is locked out, limited so that a stranger who knows her email cannot keep her out."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db

HER_ADDRESS = "198.51.100.7"
A_STRANGERS_ADDRESS = "203.0.113.66"
WRONG = "not-her-password-1"
CODE = re.compile(r"^([A-Z]{4}-[A-Z]{4})$", re.MULTILINE)


def browser(address: str = HER_ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in_with_password(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def ask_for_a_code(client: Client, email: str):
    return client.post(reverse("account_request_login_code"), {"email": email})


def code_in(message) -> str:
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


def type_the_code(client: Client, code: str):
    return client.post(reverse("account_confirm_login_code"), {"code": code})


def is_logged_in(client: Client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_login_page_offers_a_code_by_email(client):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_request_login_code")}"' in html
    assert "Email me a code" in html


def test_she_logs_in_with_the_code_from_her_email(mailoutbox):
    dana = member()
    client = browser()
    response = ask_for_a_code(client, dana.email)
    assert response.url == reverse("account_confirm_login_code")
    [message] = mailoutbox
    assert message.to == [dana.email]
    assert message.subject == "[MomCircle] Your login code"
    assert type_the_code(client, code_in(message)).status_code == 302
    assert is_logged_in(client, dana)


def test_five_wrong_passwords_lock_the_password_out_but_not_the_code(mailoutbox):
    dana = member()
    client = browser()
    for _ in range(5):
        log_in_with_password(client, dana.email, WRONG)
    refused = log_in_with_password(client, dana.email, PASSWORD)
    html = refused.content.decode()
    assert "Your password is locked for a few minutes" in html
    assert "Too many tries for now." in html
    assert not is_logged_in(client, dana)
    ask_for_a_code(client, dana.email)
    type_the_code(client, code_in(mailoutbox[-1]))
    assert is_logged_in(client, dana)


def test_a_wrong_password_alone_does_not_speak_of_a_lock(client):
    dana = member()
    html = log_in_with_password(client, dana.email, WRONG).content.decode()
    assert "locked" not in html


def test_a_code_from_her_email_also_confirms_an_address_she_never_confirmed(mailoutbox):
    newcomer = UserFactory(verified=False)
    newcomer.emailaddress_set.create(email=newcomer.email, verified=False, primary=True)
    client = browser()
    ask_for_a_code(client, newcomer.email)
    type_the_code(client, code_in(mailoutbox[-1]))
    assert is_logged_in(client, newcomer)
    assert newcomer.emailaddress_set.get().verified


def test_a_stranger_s_wrong_codes_do_not_spoil_hers(mailoutbox):
    dana = member()
    stranger = browser(A_STRANGERS_ADDRESS)
    ask_for_a_code(stranger, dana.email)
    for guess in ("BCDF-GHJK", "LMNP-QRST", "VWXZ-BCDF"):
        type_the_code(stranger, guess)
    client = browser()
    ask_for_a_code(client, dana.email)
    type_the_code(client, code_in(mailoutbox[-1]))
    assert is_logged_in(client, dana)
    assert not is_logged_in(stranger, dana)


def test_a_code_asked_for_in_another_browser_does_not_work_in_hers(mailoutbox):
    dana = member()
    ask_for_a_code(browser(A_STRANGERS_ADDRESS), dana.email)
    client = browser()
    ask_for_a_code(client, dana.email)
    the_stranger_s_code, hers = (code_in(message) for message in mailoutbox)
    type_the_code(client, the_stranger_s_code)
    assert not is_logged_in(client, dana)
    assert hers != the_stranger_s_code


def test_one_address_gets_three_codes_a_minute_for_one_email(mailoutbox):
    """Each request from a browser of its own, as a stranger would (a browser that asked
    already is sent back to the page where its code goes)."""
    dana = member()
    for _ in range(3):
        assert ask_for_a_code(browser(A_STRANGERS_ADDRESS), dana.email).status_code == 302
    refused = ask_for_a_code(browser(A_STRANGERS_ADDRESS), dana.email)
    assert refused.status_code == 200
    assert "Too many tries for now." in refused.content.decode()
    assert len(mailoutbox) == 3


def test_a_stranger_asking_for_her_codes_does_not_use_up_hers(mailoutbox):
    dana = member()
    for _ in range(12):
        ask_for_a_code(browser(A_STRANGERS_ADDRESS), dana.email)
    client = browser()
    ask_for_a_code(client, dana.email)
    type_the_code(client, code_in(mailoutbox[-1]))
    assert is_logged_in(client, dana)


def test_her_inbox_gets_at_most_thirty_codes_an_hour_from_anywhere(mailoutbox):
    dana = member()
    for address in range(10):
        for _ in range(3):
            ask_for_a_code(browser(f"203.0.113.{address}"), dana.email)
    refused = ask_for_a_code(browser(), dana.email)
    assert "Too many tries for now." in refused.content.decode()
    assert len(mailoutbox) == 30


def test_a_suspended_member_gets_no_code(mailoutbox):
    suspended = member()
    suspended.is_active = False
    suspended.save(update_fields=["is_active"])
    ask_for_a_code(browser(), suspended.email)
    assert [CODE.search(message.body) for message in mailoutbox] == [None]

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lowercase():
    user = get_user_model().objects.create_user("Dana@Example.COM", "pw-long-enough-1")
    assert user.email == "dana@example.com"
    assert get_user_model().USERNAME_FIELD == "email"
    assert user.check_password("pw-long-enough-1")


def test_two_accounts_cannot_share_an_email_in_any_case():
    User = get_user_model()
    User.objects.create_user("dana@example.com", "pw-long-enough-1")
    with pytest.raises(IntegrityError):
        User.objects.create(email="DANA@example.com")


def test_a_superuser_is_staff():
    admin = get_user_model().objects.create_superuser("admin@example.com", "pw-long-enough-1")
    assert admin.is_staff
    assert admin.is_superuser


def test_signing_up_with_a_taken_email_does_not_reveal_the_account(client, mailoutbox):
    get_user_model().objects.create_user("dana@example.com", "pw-long-enough-1")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "dana@example.com",
            "password1": "Another-pass-99",
            "password2": "Another-pass-99",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.count() == 1
    assert "already" in mailoutbox[0].body.lower()

"""The forms MomCircle gives django-allauth (settings ACCOUNT_FORMS): allauth's own, changed
only where the time or the limits of an answer would say more than its words, or would let a
stranger keep her out."""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.core import context, ratelimit
from django.contrib.auth.hashers import make_password
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

LOCKED_OUT = "too_many_login_attempts"
# An action of our own in ACCOUNT_RATE_LIMITS: login codes asked for one email from one address.
CODES_FROM_ONE_ADDRESS = "request_login_code_from_address"


class SignupForm(allauth_forms.SignupForm):
    """With ACCOUNT_PREVENT_ENUMERATION an email that has an account gets an email instead of
    an error, and no account is made; a new account hashes its password. So that the two
    answers take as long, the taken email's typed password is hashed too, and thrown away.
    A new account and its address are written in one commit: never one without the other,
    and one wait for the disk instead of two."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    @transaction.atomic
    def save(self, request):
        return super().save(request)


class LoginForm(allauth_forms.LoginForm):
    @property
    def locked_out(self) -> bool:
        """Too many wrong passwords for this email: for a few minutes even the right one is
        refused (a login code still works)."""
        return self.has_error(NON_FIELD_ERRORS, LOCKED_OUT)


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """allauth counts the codes asked for an email from anywhere, so a stranger asking for
    hers could use them all up. Codes asked for one email from one network address are
    counted first, and more tightly: one address alone cannot use up her limit, and what it
    is refused does not count against her."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email:
            adapter = get_adapter()
            address = adapter.get_client_ip(context.request)
            key = f"{email.lower()} from {address}"
            if not ratelimit.consume(context.request, action=CODES_FROM_ONE_ADDRESS, key=key):
                raise adapter.validation_error(LOCKED_OUT)
        return super().clean_email()

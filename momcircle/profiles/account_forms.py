"""The forms MomCircle gives django-allauth (settings ACCOUNT_FORMS): allauth's own, changed
only where the time or the limits of an answer would say more than its words."""

from allauth.account import forms as allauth_forms
from django.contrib.auth.hashers import make_password
from django.db import transaction


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

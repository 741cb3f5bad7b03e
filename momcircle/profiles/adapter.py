from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from momcircle import text
from momcircle.profiles.selectors import language_of


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Django's own check lets control characters through inside quotes ("a\\vb"@…),
        and one would break the To line of every email to her (momcircle/text.py)."""
        text.validate_single_line(email)
        return super().clean_email(email)

    def add_message(self, request, *args, **kwargs) -> None:
        """A message is read on her next page, so it is written in that page's language: once
        she has logged in (the message that says so included), her profile's."""
        with translation.override(language_of(request.user, default=translation.get_language())):
            super().add_message(request, *args, **kwargs)

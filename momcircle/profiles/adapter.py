from allauth.account.adapter import DefaultAccountAdapter

from momcircle import text


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Django's own check lets control characters through inside quotes ("a\\vb"@…),
        and one would break the To line of every email to her (momcircle/text.py)."""
        text.validate_single_line(email)
        return super().clean_email(email)

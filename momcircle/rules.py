"""The one exception for a broken product rule, shared by every app's services."""


class RuleBroken(Exception):
    """A rule said no. The message is the sentence the member reads, so write it for her."""

    @classmethod
    def unless(cls, condition: bool, sentence: str) -> None:
        """Says no with the sentence when the rule's condition does not hold."""
        if not condition:
            raise cls(sentence)

    @classmethod
    def when(cls, refusal: str | None) -> None:
        """Says no when a permission check gave a reason (`rsvp_refusal(...)`), else nothing."""
        if refusal:
            raise cls(refusal)

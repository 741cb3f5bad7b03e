"""The one exception for a broken product rule, and the one place a view turns it into what
she reads: an error on her form, or a message on the next page."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest

T = TypeVar("T")


class RuleBroken(Exception):
    """A rule said no. The message is the sentence the member reads, so write it for her.
    Services raise it (and turn lower-level refusals into it); views never do."""

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


def submit(form, call: Callable[[], T]) -> T | None:
    """What the service call saved, or None when a rule said no: then her form shows why."""
    try:
        return call()
    except RuleBroken as broken:
        form.add_error(None, str(broken))
        return None


def perform(
    request: HttpRequest, call: Callable[[], T], *, success: str | Callable[[T], str]
) -> bool:
    """Runs the service call and tells her how it went on the next page: the success
    sentence (or the one made from what the call returned), or why a rule said no."""
    try:
        result = call()
    except RuleBroken as broken:
        messages.error(request, str(broken))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True

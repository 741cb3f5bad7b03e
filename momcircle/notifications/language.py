"""Every email is written in the language of the woman it is for: not in the one of whoever
made it happen, nor in the worker's."""

from collections.abc import Callable
from functools import wraps

from django.utils import translation

from momcircle.outbox.registry import Renderer, renders
from momcircle.profiles.selectors import language_of


def renders_in_her_language(kind: str) -> Callable[[Renderer], Renderer]:
    """`@renders(kind)`, the email written in its recipient's language."""

    def register(renderer: Renderer) -> Renderer:
        @wraps(renderer)
        def in_her_language(message):
            with translation.override(language_of(message.recipient)):
                return renderer(message)

        return renders(kind)(in_her_language)

    return register

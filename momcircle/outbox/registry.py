"""Which function turns an outbox row of each kind into an email.

Apps register their kinds (`@renders("join_approved")`); a renderer returns None when the
message is no longer wanted (she changed her RSVP, the meetup was cancelled), and the row
is then dropped instead of sent."""

from collections.abc import Callable

from django.core.mail import EmailMessage

Renderer = Callable[..., EmailMessage | None]
RENDERERS: dict[str, Renderer] = {}


def renders(kind: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        RENDERERS[kind] = renderer
        return renderer

    return register

"""An email from a pair of templates in templates/email/ (plain text and HTML)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from momcircle.outbox.models import OutboxMessage


def compose(
    *,
    message: OutboxMessage,
    template: str,
    context: dict,
    unsubscribe_url: str | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> EmailMultiAlternatives:
    """`template` names email/<template>.subject.txt, .txt and .html. The Message-ID comes
    from the outbox row, so even a resent message is recognizably the same one."""
    context = {"site_url": settings.SITE_URL, "recipient": message.recipient, **context}
    headers = {"Message-ID": f"<outbox-{message.pk}@momcircle>"}
    if unsubscribe_url:
        context["unsubscribe_url"] = unsubscribe_url
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=render_to_string(f"email/{template}.subject.txt", context).strip(),
        body=render_to_string(f"email/{template}.txt", context),
        to=[message.recipient.email],
        headers=headers,
    )
    email.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    for attachment in attachments:
        email.attach(*attachment)
    return email

"""An email from a pair of templates in templates/email/ (plain text and HTML)."""

from email import policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from momcircle import text
from momcircle.outbox.models import OutboxMessage

SUBJECT_NAME = "Subject:"


class _Email(EmailMultiAlternatives):
    """Django encodes a non-ASCII subject as one run of encoded words folded as if the header
    had no name, so the first run cannot share a line with "Subject:" and the header breaks
    right after it. The standard library's own folding encodes only the words that need it
    and starts on the header's line: "Subject: Reminder: Walk, Tue 10 Mar, =?utf-8?q?…?="."""

    def message(self):
        message = super().message()  # refuses a subject with a line break in it
        folded = policy.default.fold("Subject", self.subject)
        # An ASCII subject too long for the first line is folded right after "Subject:".
        value = folded.removeprefix(SUBJECT_NAME).lstrip(" \n").rstrip("\n")
        message.replace_header("Subject", value)
        return message


def compose(
    *,
    message: OutboxMessage,
    template: str,
    context: dict,
    unsubscribe_url: str | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> EmailMultiAlternatives:
    """`template` names email/<template>.subject.txt, .txt and .html. The Message-ID comes
    from the outbox row, so even a resent message is recognizably the same one.

    The subject is member text (a title, a group's name), made one clean line here whatever
    the row holds (momcircle/text.py); her address cannot be cleaned without changing where
    the email goes, so one with a control character in it is refused (ValueError)."""
    address = message.recipient.email
    if text.has_control(address):
        raise ValueError(f"The address {address!r} has a control character in it.")
    context = {"site_url": settings.SITE_URL, "recipient": message.recipient, **context}
    headers = {"Message-ID": f"<outbox-{message.pk}@momcircle>"}
    if unsubscribe_url:
        context["unsubscribe_url"] = unsubscribe_url
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = _Email(
        subject=text.header_text(render_to_string(f"email/{template}.subject.txt", context)),
        body=render_to_string(f"email/{template}.txt", context),
        to=[address],
        headers=headers,
    )
    email.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    for attachment in attachments:
        email.attach(*attachment)
    return email

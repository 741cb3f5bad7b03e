"""Sending over one SMTP connection per batch, recording each message as sent at the
moment that cannot lead to a second delivery.

A server accepts a message only when it receives the final "." of DATA. So the body goes
first, then the row is committed as sent, then the final "." goes. A worker killed before
the commit leaves a message the server throws away (sent again later); killed after the
"." is written, the server has the message exactly once. A kill between writing the commit to
PostgreSQL and writing the "." (the commit's round trip, well under a millisecond on a local
network) loses the one message in flight; nothing can ever be sent twice.

That window stays, on purpose. The row and the mail server are two systems with no shared
transaction: one of them must be told first, and a kill between the two either loses the
message (commit first) or sends it twice (the "." first). Pipelining, writing the commit and
then the "." without waiting for PostgreSQL's answer, would narrow the window to the gap
between two writes but open a worse one: a commit that fails (PostgreSQL restarting, a
dropped connection) would then fail after the "." went out, and the message, recorded as not
sent, would go out again. Exactly once would take a server that recognizes a message sent
twice (the Message-ID stays the same, see compose.py); SMTP promises no such thing."""

import re
import smtplib
import socket
from collections.abc import Callable

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import EmailMessage, sanitize_address

_LINE_START_DOT = re.compile(rb"(?m)^\.")
_BARE_NEWLINE = re.compile(rb"(?<!\r)\n")


class Delivery:
    """`with Delivery() as delivery: delivery.send(message, mark_sent=...)`."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)

    def __enter__(self) -> "Delivery":
        self.backend.open()
        if isinstance(self.backend, SmtpBackend):
            # The final "." is a tiny write right after the body: with Nagle's algorithm it
            # would wait for the server's delayed ACK of the body, up to 40 ms a message.
            self.backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is not None and isinstance(self.backend, SmtpBackend):
            # Perhaps cut off inside DATA, where QUIT would be taken for a line of the body
            # and never answered: hang up instead, and the server drops the message at once.
            self.backend.connection.close()
        self.backend.close()

    def reset(self) -> None:
        """Start over after the server refused one message (raises if the connection is gone)."""
        if isinstance(self.backend, SmtpBackend):
            self.backend.connection.rset()

    def send(self, message: EmailMessage, *, mark_sent: Callable[[], None]) -> None:
        if isinstance(self.backend, SmtpBackend):
            self._send_over_smtp(message, mark_sent)
        else:  # console, file or memory backends in development: nothing to lose there
            mark_sent()
            self.backend.send_messages([message])

    def _send_over_smtp(self, message: EmailMessage, mark_sent: Callable[[], None]) -> None:
        smtp = self.backend.connection
        encoding = message.encoding or "utf-8"
        sender = sanitize_address(message.from_email, encoding)
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for address in message.recipients():
            code, reply = smtp.rcpt(sanitize_address(address, encoding))
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = _BARE_NEWLINE.sub(b"\r\n", message.message().as_bytes(linesep="\r\n"))
        body = _LINE_START_DOT.sub(b"..", body)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        mark_sent()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

"""Sending over one SMTP connection per batch, recording each message as sent at the
moment that cannot lead to a second delivery.

Each message is built in full first (`envelope_of`): its headers, its body, its addresses.
A message that cannot be built (a line break in a header, an address that cannot be
written) fails there, before the conversation about it begins, so it costs the connection
nothing and the batch goes on.

A server accepts a message only when it receives the final "." of DATA. So the body goes
first, then the row is committed as sent, then the final "." goes. A worker killed before
the commit leaves a message the server throws away (sent again later); killed after the
"." is written, the server has the message exactly once. A kill between writing the commit to
PostgreSQL and writing the "." (the commit's round trip, well under a millisecond on a local
network) loses the one message in flight; nothing can ever be sent twice. The same holds
when the connection, not the worker, breaks off: a message whose row is not committed as
sent goes again later, one whose row is committed never does.

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
from dataclasses import dataclass

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import EmailMessage, sanitize_address

_LINE_START_DOT = re.compile(rb"(?m)^\.")
_BARE_NEWLINE = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class Envelope:
    """A message as the conversation sends it: who from, who to, and what follows DATA
    (CRLF line ends, a leading dot doubled, without the final ".")."""

    email: EmailMessage
    sender: str
    recipients: tuple[str, ...]
    data: bytes


def envelope_of(email: EmailMessage) -> Envelope:
    """Raises whatever building the message raises (BadHeaderError, ValueError, …)."""
    data = _BARE_NEWLINE.sub(b"\r\n", email.message().as_bytes(linesep="\r\n"))
    data = _LINE_START_DOT.sub(b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    encoding = email.encoding or "utf-8"
    return Envelope(
        email=email,
        sender=sanitize_address(email.from_email, encoding),
        recipients=tuple(sanitize_address(address, encoding) for address in email.recipients()),
        data=data,
    )


class Delivery:
    """`with Delivery() as delivery: delivery.send(envelope, mark_sent=...)`."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.smtp = isinstance(self.backend, SmtpBackend)

    def __enter__(self) -> "Delivery":
        self._connect()
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is not None:
            self._hang_up()
        self.backend.close()

    def _connect(self) -> None:
        self.backend.open()
        if self.smtp:
            # The final "." is a tiny write right after the body: with Nagle's algorithm it
            # would wait for the server's delayed ACK of the body, up to 40 ms a message.
            self.backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _hang_up(self) -> None:
        """Perhaps cut off inside DATA, where QUIT would be taken for a line of the body and
        never answered: close the socket instead, and the server drops the message at once."""
        if self.smtp and self.backend.connection is not None:
            self.backend.connection.close()
            self.backend.connection = None

    def reconnect(self) -> None:
        """A new connection after the last one broke off (raises if the server cannot be
        reached)."""
        self._hang_up()
        self._connect()

    def reset(self) -> None:
        """Start over after the server refused one message; if it hung up as it refused,
        connect again (raises if the server cannot be reached)."""
        if not self.smtp:
            return
        try:
            self.backend.connection.rset()
        except (smtplib.SMTPServerDisconnected, OSError):
            self.reconnect()

    def send(self, envelope: Envelope, *, mark_sent: Callable[[], None]) -> None:
        if self.smtp:
            self._send_over_smtp(envelope, mark_sent)
        else:  # console, file or memory backends in development: nothing to lose there
            mark_sent()
            self.backend.send_messages([envelope.email])

    def _send_over_smtp(self, envelope: Envelope, mark_sent: Callable[[], None]) -> None:
        smtp = self.backend.connection
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(envelope.sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, envelope.sender)
        for address in envelope.recipients:
            code, reply = smtp.rcpt(address)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        smtp.send(envelope.data)
        mark_sent()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

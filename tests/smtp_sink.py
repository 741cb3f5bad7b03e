"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as received, for a stricter parser than the one above
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def deliveries(self) -> Counter[tuple[str, str]]:
        """How often each (recipient, subject) arrived; a reminder's subject names its
        meetup, so for reminders this counts each message by recipient, meetup and kind."""
        with self._lock:
            return Counter((str(m["To"]), " ".join(m["Subject"].split())) for m in self.messages)


class GatedInbox(Inbox):
    """A mail server that, once `hold_after` messages are in, keeps the next replies waiting
    until `released` is set: the worker is caught mid-batch, blocked on the server, and
    `caught` tells the test so the moment it happens.

    A fault at a random instant could also land inside the commit that marks a message sent,
    just before its final "." (delivery.py): that message would be lost. Holding the reply
    pins the fault to a moment outside that window, so a test checks recovery, not luck."""

    def __init__(self, hold_after: int) -> None:
        super().__init__()
        self.hold_after = hold_after
        self.caught = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        # Kept first, then the wait: like a real server, what has its final "." is kept
        # even if the client goes away before the reply.
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) >= self.hold_after:
            self.caught.set()
        while len(self.messages) >= self.hold_after and not self.released.is_set():
            await asyncio.sleep(0.01)
        return reply


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Start, stop and start again on the same port (to test a mail server outage)."""

    def __init__(self, inbox: Inbox | None = None) -> None:
        self.inbox = inbox or Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@contextmanager
def gated_sink(hold_after: int) -> Iterator[SmtpSink]:
    """A running sink with a GatedInbox, released on the way out so the server can stop."""
    sink = SmtpSink(GatedInbox(hold_after))
    sink.start()
    try:
        yield sink
    finally:
        sink.inbox.released.set()
        sink.stop()

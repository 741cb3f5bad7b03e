"""Writes about outgoing email: queue, drop, claim, send, retry."""

import logging
import secrets
import smtplib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import db
from django.db import connection, transaction
from django.utils import timezone

from momcircle.outbox.delivery import Delivery, envelope_of
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.registry import RENDERERS

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8 minutes
Status = OutboxMessage.Status


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class Message:
    """One message to queue: for whom, of which kind, when, about what."""

    recipient: object
    kind: str
    due_at: datetime
    subject: str = ""
    occurrence: str = ""


@transaction.atomic
def outbox_enqueue(
    *, recipients, kind: str, due_at: datetime, subject: str = "", occurrence: str = ""
) -> None:
    """Queue the message for each recipient, in two statements however many. Queueing one
    again while it waits or after it was sent changes nothing; one dropped earlier goes back
    in line."""
    recipients = list(recipients)
    outbox_enqueue_new(
        Message(recipient, kind, due_at, subject, occurrence) for recipient in recipients
    )
    # Wanted again after it was dropped (she said can't go, then going): back in line.
    OutboxMessage.objects.filter(
        recipient__in=recipients,
        subject=subject,
        kind=kind,
        occurrence=occurrence,
        status=Status.DROPPED,
    ).update(status=Status.PENDING, due_at=due_at, next_attempt_at=due_at, attempts=0)


def outbox_enqueue_new(messages: Iterable[Message]) -> None:
    """Queue messages about subjects just made (a new meetup's reminders), in one statement:
    none of them can have been dropped before. Queueing one again changes nothing."""
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                recipient=message.recipient,
                subject=message.subject,
                kind=message.kind,
                occurrence=message.occurrence,
                due_at=message.due_at,
                next_attempt_at=message.due_at,
            )
            for message in messages
        ],
        ignore_conflicts=True,
    )


def outbox_drop(
    *,
    kinds: list[str],
    subject: str | None = None,
    recipient=None,
    keep: tuple[str, ...] = (),
    due_after: datetime | None = None,
) -> int:
    """Messages not sent yet that are no longer wanted (a cancelled meetup, a changed RSVP);
    those whose occurrence is in `keep` stay, and with `due_after`, those due by then."""
    pending = OutboxMessage.objects.filter(status=Status.PENDING, kind__in=kinds).exclude(
        occurrence__in=keep
    )
    if due_after is not None:
        pending = pending.filter(due_at__gt=due_after)
    if subject is not None:
        pending = pending.filter(subject=subject)
    if recipient is not None:
        pending = pending.filter(recipient=recipient)
    return pending.update(status=Status.DROPPED)


@transaction.atomic
def outbox_claim(*, limit: int, token: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for the worker holding the advisory lock `token`;
    rows another worker is claiming at the same moment are skipped."""
    now = timezone.now()
    due = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")[:limit]
    )
    ids = [message.pk for message in due]
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=Status.SENDING, claimed_at=now, claim_token=token
    )
    return list(
        OutboxMessage.objects.filter(pk__in=ids)
        .select_related("recipient")
        .order_by("next_attempt_at", "pk")
    )


def outbox_release_abandoned() -> int:
    """Rows claimed by a worker that died (its session and so its advisory lock are gone)
    and never committed as sent were never delivered (see delivery.py): back in line."""
    released = 0
    tokens = set(
        OutboxMessage.objects.filter(status=Status.SENDING).values_list("claim_token", flat=True)
    )
    for token in tokens:
        with _advisory_lock(token, wait=False) as abandoned:
            if abandoned:
                released += OutboxMessage.objects.filter(
                    status=Status.SENDING, claim_token=token
                ).update(status=Status.PENDING, claim_token=None)
    return released


@contextmanager
def _advisory_lock(token: int | None, *, wait: bool) -> Iterator[bool]:
    """A session-level lock: PostgreSQL lets it go when the holder's connection ends,
    however the process ended."""
    if token is None:
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [token])
            acquired = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [token])
            acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [token])


def outbox_dispatch(*, limit: int = 100) -> DispatchReport:
    """Send one batch of due messages over one SMTP connection."""
    outbox_release_abandoned()
    token = secrets.randbits(62)
    with _advisory_lock(token, wait=True):
        return _dispatch_claimed(outbox_claim(limit=limit, token=token))


def _dispatch_claimed(batch: list[OutboxMessage]) -> DispatchReport:
    report = DispatchReport(claimed=len(batch))
    if not batch:
        return report
    try:
        with Delivery() as delivery:
            for message in batch:
                _send_one(delivery, message, report)
    except (smtplib.SMTPException, OSError) as error:
        # The server cannot be reached: whatever was not committed as sent goes back in line.
        unsent = OutboxMessage.objects.filter(pk__in=[m.pk for m in batch], status=Status.SENDING)
        for message in unsent:
            _retry(message, f"Could not reach the mail server: {error}", report)
    return report


def _send_one(delivery: Delivery, message: OutboxMessage, report: DispatchReport) -> None:
    """Whatever goes wrong with this one message is recorded on its row, and the batch goes
    on; only a mail server that cannot be reached, or PostgreSQL gone, ends the batch."""
    renderer = RENDERERS.get(message.kind)
    try:
        email = renderer(message) if renderer else None
        envelope = None if email is None else envelope_of(email)
    except Exception as error:  # a broken template, a header or address that cannot be written
        log.exception("Could not build outbox message %s", message.pk)
        _retry(message, f"Could not build the email: {error}", report)
        return
    if envelope is None:
        _finish(message, Status.DROPPED, error="" if renderer else f"Unknown kind {message.kind}")
        report.dropped += 1
        return
    try:
        delivery.send(envelope, mark_sent=lambda: _finish(message, Status.SENT))
    except smtplib.SMTPResponseException as refused:  # the server said no to this message
        _retry(message, f"{refused.smtp_code} {refused.smtp_error!r}", report)
        delivery.reset()
    except smtplib.SMTPRecipientsRefused as refused:
        _retry(message, str(refused.recipients), report)
        delivery.reset()
    except db.Error:
        raise  # it cannot be recorded as sent: the worker hangs up (see delivery.py)
    except Exception as error:  # the connection broke off, or is in a state nobody knows
        log.warning("Outbox message %s broke off: %r", message.pk, error)
        broke_off = f"The connection broke off: {error!r}"
        if not _retry(message, broke_off, report, unless_sent=True):
            report.sent += 1  # after its commit: the server may have it, so it stays sent
        delivery.reconnect()
    else:
        report.sent += 1


def _finish(message: OutboxMessage, status: str, error: str = "") -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status,
        sent_at=timezone.now() if status == Status.SENT else None,
        last_error=_storable(error),
    )


def _retry(
    message: OutboxMessage, error: str, report: DispatchReport, *, unless_sent: bool = False
) -> bool:
    """Another attempt after a backoff, or failed after the last one. With `unless_sent`, a
    row already committed as sent stays sent. Whether it was retried."""
    attempts = message.attempts + 1
    status = Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING
    rows = OutboxMessage.objects.filter(pk=message.pk)
    if unless_sent:
        rows = rows.exclude(status=Status.SENT)
    retried = rows.update(
        status=status,
        attempts=attempts,
        next_attempt_at=timezone.now() + FIRST_RETRY * 2 ** (attempts - 1),
        sent_at=None,
        last_error=_storable(error),
    )
    if not retried:
        return False
    if status == Status.FAILED:
        report.failed += 1
        log.error("Gave up on outbox message %s after %s attempts: %s", message.pk, attempts, error)
    else:
        report.retried += 1
    return True


def _storable(error: str) -> str:
    """PostgreSQL refuses a NUL in text, and a refused update would end the whole batch."""
    return error.replace("\x00", "\\x00")[:2000]

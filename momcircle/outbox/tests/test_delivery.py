import socket
import time

import psycopg2
import pytest
from django.db import Error, connection
from django.utils import timezone

from momcircle.outbox.delivery import Delivery
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import outbox_dispatch
from momcircle.outbox.tests.bulk import bulk_due_reminders
from tests.smtp_sink import Inbox


def test_the_final_dot_goes_out_without_waiting_for_the_body_to_be_acknowledged(smtp_sink):
    with Delivery() as delivery:
        smtp = delivery.backend.connection.sock
        assert smtp.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


class DatabaseGoneAtRcpt(Inbox):
    """Ends the dispatcher's PostgreSQL session when it names the recipient, so recording the
    message as sent fails halfway through DATA, with the body already at the server."""

    def __init__(self, dispatcher_pid: int, database: dict) -> None:
        super().__init__()
        self.dispatcher_pid: int | None = dispatcher_pid
        self.database = database

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.dispatcher_pid is not None:
            with psycopg2.connect(**self.database) as admin, admin.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [self.dispatcher_pid])
            admin.close()
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.mark.django_db(transaction=True)
def test_a_message_cut_off_by_a_lost_database_is_dropped_at_once_and_sent_later(
    smtp_sink, settings
):
    bulk_due_reminders(members=1, meetups=1, due_at=timezone.now())
    settings.EMAIL_TIMEOUT = 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    smtp_sink.stop()
    smtp_sink.inbox = DatabaseGoneAtRcpt(pid, connection.get_connection_params())
    smtp_sink.start()

    started = time.monotonic()
    with pytest.raises(Error):
        outbox_dispatch()
    elapsed = time.monotonic() - started
    connection.close()  # the session that was ended; the next query opens a new one
    smtp_sink.inbox.dispatcher_pid = None
    assert elapsed < settings.EMAIL_TIMEOUT / 3, "waited for an answer to QUIT inside DATA"
    assert smtp_sink.inbox.messages == []

    assert outbox_dispatch().sent == 1
    assert len(smtp_sink.inbox.messages) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from groups.services import membership_approve, membership_decline, membership_leave
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.registry import RENDERERS
from momcircle.outbox.services import (
    MAX_ATTEMPTS,
    Message,
    outbox_dispatch,
    outbox_enqueue,
    outbox_enqueue_new,
    outbox_release_abandoned,
)
from momcircle.outbox.tests.bulk import UNBUILDABLE_ADDRESS
from tests.factories import join_request, member, organized_group
from tests.smtp_sink import Inbox
from tests.workers import at_once

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture
def approved(run_on_commit):
    """Approves a request to join, and queues the answer as the commit would."""

    def approve(group=None, **profile_fields):
        group = group or organized_group(join_policy="request", name="Logan Square Moms")
        request = join_request(group, member(**profile_fields))
        organizer = group.memberships.get(role="organizer").member
        return run_on_commit(
            membership_approve, membership=request, by=organizer, message="Welcome!"
        )

    return approve


def test_an_approval_is_emailed_once_with_text_and_html_parts(approved, smtp_sink):
    membership = approved(first_name="Priya")
    assert outbox_dispatch().sent == 1
    assert outbox_dispatch().claimed == 0
    (mail,) = smtp_sink.inbox.to(membership.member.email)
    assert mail["Subject"] == "You're in: Logan Square Moms"
    assert mail["Message-ID"].startswith("<outbox-")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Hi Priya," in text
    assert 'Their message: "Welcome!"' in text
    assert "<strong>Logan Square Moms</strong>" in html


def test_a_decline_is_emailed_too(run_on_commit, smtp_sink):
    group = organized_group(join_policy="request", name="Logan Square Moms")
    request = join_request(group)
    organizer = group.memberships.get(role="organizer").member
    run_on_commit(membership_decline, membership=request, by=organizer)
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(request.member.email)
    assert mail["Subject"] == "About your request to join Logan Square Moms"


def test_queueing_the_same_message_twice_keeps_one():
    her = member()
    due = timezone.now()
    for _ in range(2):
        outbox_enqueue(recipients=[her], kind="join_approved", due_at=due, occurrence="7")
    assert OutboxMessage.objects.count() == 1


def test_messages_about_something_new_are_queued_at_once_and_once_each():
    her, other = member(), member()
    due = timezone.now()
    messages = [Message(woman, "join_approved", due, "group:1", "7") for woman in (her, other)]
    for _ in range(2):
        outbox_enqueue_new(messages)
    queued = OutboxMessage.objects.values_list("recipient", "next_attempt_at", "status")
    assert sorted(queued) == sorted(
        [(her.pk, due, Status.PENDING), (other.pk, due, Status.PENDING)]
    )


def test_a_message_is_not_sent_before_it_is_due(smtp_sink):
    outbox_enqueue(
        recipients=[member()], kind="join_approved", due_at=timezone.now() + timedelta(hours=1)
    )
    assert outbox_dispatch().claimed == 0
    assert smtp_sink.inbox.messages == []


def test_a_message_no_longer_wanted_is_dropped_not_sent(approved, smtp_sink):
    membership = approved()
    membership_leave(group=membership.group, member=membership.member)
    report = outbox_dispatch()
    assert (report.sent, report.dropped) == (0, 1)
    assert OutboxMessage.objects.get().status == Status.DROPPED
    assert smtp_sink.inbox.messages == []


def test_with_the_mail_server_down_the_message_waits_and_goes_out_later(approved, smtp_sink):
    approved()
    smtp_sink.stop()
    assert outbox_dispatch().retried == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at > timezone.now()
    assert "Could not reach the mail server" in row.last_error
    smtp_sink.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_dispatch().sent == 1
    assert len(smtp_sink.inbox.messages) == 1


def test_after_the_last_attempt_the_message_is_marked_failed_with_the_error(approved, smtp_sink):
    membership = approved()
    smtp_sink.inbox.refuse.add(membership.member.email)
    for _ in range(MAX_ATTEMPTS):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        outbox_dispatch()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert "550" in row.last_error


def test_one_refused_recipient_does_not_hold_up_the_rest_of_the_batch(approved, smtp_sink):
    group = organized_group(join_policy="request")
    first, refused, last = (approved(group) for _ in range(3))
    smtp_sink.inbox.refuse.add(refused.member.email)
    report = outbox_dispatch()
    assert (report.sent, report.retried) == (2, 1)
    assert {m["To"] for m in smtp_sink.inbox.messages} == {first.member.email, last.member.email}


def test_a_message_claimed_by_a_worker_that_died_goes_back_in_line(approved):
    approved()
    OutboxMessage.objects.update(status=Status.SENDING, claim_token=4242)
    assert outbox_release_abandoned() == 1
    assert OutboxMessage.objects.get().status == Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_a_message_claimed_by_a_live_worker_is_left_alone(approved):
    approved()
    OutboxMessage.objects.update(status=Status.SENDING, claim_token=4343)
    live_worker = connections.create_connection("default")
    try:
        with live_worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(4343)")
        assert outbox_release_abandoned() == 0
    finally:
        live_worker.close()
    assert OutboxMessage.objects.get().status == Status.SENDING


@pytest.mark.django_db(transaction=True)
def test_two_workers_dispatching_at_once_send_each_message_once(approved, smtp_sink):
    group = organized_group(join_policy="request", size_cap=50)
    for _ in range(40):
        approved(group)

    def worker():
        while outbox_dispatch(limit=5).claimed:
            pass

    at_once(worker)
    recipients = [m["To"] for m in smtp_sink.inbox.messages]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
    assert OutboxMessage.objects.filter(status=Status.SENT).count() == 40


def test_a_long_plain_subject_arrives_whole(approved, smtp_sink):
    name = "Lincoln Park and Old Town Working Moms Who Meet After Bedtime"
    membership = approved(organized_group(join_policy="request", name=name))
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(membership.member.email)
    assert mail["Subject"] == f"You're in: {name}"


# --- a message that cannot be built or sent holds up no other ----------------------------------


def give_an_address_no_email_can_be_written_to(membership) -> None:
    type(membership.member).objects.filter(pk=membership.member_id).update(
        email=UNBUILDABLE_ADDRESS
    )


def test_a_message_that_cannot_be_built_does_not_hold_up_the_rest_of_the_batch(approved, smtp_sink):
    group = organized_group(join_policy="request")
    first, poisoned, last = (approved(group) for _ in range(3))
    give_an_address_no_email_can_be_written_to(poisoned)
    report = outbox_dispatch()
    assert (report.sent, report.retried) == (2, 1)
    assert {m["To"] for m in smtp_sink.inbox.messages} == {first.member.email, last.member.email}
    row = OutboxMessage.objects.get(recipient=poisoned.member)
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at > timezone.now()
    assert row.last_error.startswith("Could not build the email:")
    assert repr(UNBUILDABLE_ADDRESS) in row.last_error


def test_a_message_that_cannot_be_built_is_marked_failed_after_the_last_attempt(
    approved, smtp_sink
):
    give_an_address_no_email_can_be_written_to(approved())
    for attempt in range(1, MAX_ATTEMPTS + 1):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        report = outbox_dispatch()
        assert report.claimed == 1
        assert OutboxMessage.objects.get().attempts == attempt
    assert report.failed == 1
    row = OutboxMessage.objects.get()
    assert row.status == Status.FAILED
    assert repr(UNBUILDABLE_ADDRESS) in row.last_error
    assert smtp_sink.inbox.messages == []


def test_a_failed_message_shows_its_error_in_the_admin(approved, smtp_sink, admin_client):
    give_an_address_no_email_can_be_written_to(approved())
    for _ in range(MAX_ATTEMPTS):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        outbox_dispatch()
    page = admin_client.get(
        reverse("admin:outbox_outboxmessage_changelist"), {"status__exact": Status.FAILED}
    )
    assert page.status_code == 200
    assert "Could not build the email:" in page.content.decode()


def test_a_message_whose_renderer_breaks_is_retried_like_any_other(approved, smtp_sink):
    approved()
    with patch.dict(RENDERERS, {"join_approved": broken_renderer}):
        report = outbox_dispatch()
    assert report.retried == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error == "Could not build the email: the template is broken"


def broken_renderer(message):
    raise RuntimeError("the template is broken")


def test_without_smtp_a_message_that_cannot_be_built_is_not_marked_sent(approved, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    group = organized_group(join_policy="request")
    first, poisoned, last = (approved(group) for _ in range(3))
    give_an_address_no_email_can_be_written_to(poisoned)
    report = outbox_dispatch()
    assert (report.sent, report.retried) == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.member.email, last.member.email])
    assert OutboxMessage.objects.get(recipient=poisoned.member).status == Status.PENDING


class HangsUp(Inbox):
    """Hangs up on the message for `address`: without a word when it is named, or, with
    `after_the_dot`, once it has the message, instead of answering its final dot."""

    def __init__(self, address: str, *, after_the_dot: bool = False) -> None:
        super().__init__()
        self.address = address
        self.after_the_dot = after_the_dot

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.address and not self.after_the_dot:
            server.transport.close()
            return "250 OK"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if self.after_the_dot and envelope.rcpt_tos == [self.address]:
            server.transport.close()
        return reply


def serve(smtp_sink, inbox: Inbox) -> None:
    smtp_sink.stop()
    smtp_sink.inbox = inbox
    smtp_sink.start()


def test_a_message_the_server_hangs_up_on_does_not_hold_up_the_rest(approved, smtp_sink):
    group = organized_group(join_policy="request")
    first, hung_up_on, last = (approved(group) for _ in range(3))
    serve(smtp_sink, HangsUp(hung_up_on.member.email))
    report = outbox_dispatch()
    assert (report.sent, report.retried) == (2, 1)
    assert {m["To"] for m in smtp_sink.inbox.messages} == {first.member.email, last.member.email}
    row = OutboxMessage.objects.get(recipient=hung_up_on.member)
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "Connection unexpectedly closed" in row.last_error


def test_a_message_the_server_hangs_up_on_after_its_dot_stays_sent(approved, smtp_sink):
    """The server may have it (this one does): it must not go out twice."""
    group = organized_group(join_policy="request")
    first, hung_up_on, last = (approved(group) for _ in range(3))
    serve(smtp_sink, HangsUp(hung_up_on.member.email, after_the_dot=True))
    assert outbox_dispatch().sent == 3
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_dispatch().claimed == 0
    assert sorted(m["To"] for m in smtp_sink.inbox.messages) == sorted(
        m.member.email for m in (first, hung_up_on, last)
    )
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}

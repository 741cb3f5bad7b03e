"""A circle forms itself, end to end, on a phone: five new members near each other ask for a
circle, a real Celery worker runs the engine and sends the emails to an SMTP sink on loopback,
the members answer from the links in their inboxes, and the circle becomes a group with a
tentative first meetup they can say "going" to.

Four of the five share Tuesday evenings; the fifth is free only on Saturday mornings with her
kids, so no circle holds her. The worker's emails link to the live server (SITE_URL)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Group, Membership
from momcircle.celery import app as celery_app
from momcircle.celery import ping
from momcircle.circles.models import Proposal
from momcircle.circles.tests.factories import LINCOLN_PARK, SATURDAY_MORNING, TUESDAY_EVENING
from momcircle.outbox.models import OutboxMessage
from momcircle.profiles.services import availability_replace
from scheduling.models import Meetup, Rsvp
from tests.factories import member
from tests.smtp_sink import SmtpSink
from tests.test_accessibility_browser import serious_violations
from tests.tour import ARTIFACTS, horizontal_overflow, sign_in
from tests.workers import outbox_worker, stop, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
MILE_NORTH = 1 / 69
NEIGHBOURS = (("Ana", 0.0), ("Bea", 0.3), ("Cleo", 0.6), ("Dana", 0.9), ("Eva", 1.2))


@pytest.fixture
def sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(live_server, sink):
    """A worker on the test database, sending to the sink, linking to the live server."""
    queue = celery_app.amqp.default_queue.name
    process = outbox_worker(queue, sink.port, SITE_URL=live_server.url)
    try:
        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
        yield process
    finally:
        stop(process)


def neighbours() -> list:
    women = []
    for name, miles in NEIGHBOURS:
        mom = member(
            first_name=name,
            last_initial="M",
            latitude=LINCOLN_PARK[0] + miles * MILE_NORTH,
            longitude=LINCOLN_PARK[1],
        )
        availability_replace(
            member=mom, windows=[SATURDAY_MORNING if name == "Eva" else TUESDAY_EVENING]
        )
        women.append(mom)
    return women


def mails_of(sink, kind: str, count: int) -> dict[str, object]:
    """Her email of that kind, by address, once `count` of them have arrived."""

    def arrived() -> dict:
        sent = OutboxMessage.objects.filter(kind=kind, status=OutboxMessage.Status.SENT)
        ids = {f"<outbox-{row.pk}@momcircle>": row.recipient.email for row in sent}
        return {
            ids[m["Message-ID"]]: m for m in list(sink.inbox.messages) if m["Message-ID"] in ids
        }

    wait_until(lambda: len(arrived()) >= count, timeout=90, what=f"{count} {kind} emails arrive")
    return arrived()


def link_in(mail, label: str) -> str:
    lines = mail.get_body(("plain",)).get_content().splitlines()
    (url,) = [line.removeprefix(f"{label}: ") for line in lines if line.startswith(f"{label}: ")]
    return url


def check_the_page(page, name: str) -> None:
    """No serious accessibility violation, and it fits the 360 px screen."""
    assert serious_violations(page) == [], name
    assert horizontal_overflow(page) <= 0, name
    folder = ARTIFACTS / "360px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"circle-tour-{name}.png", full_page=True)


def test_five_neighbours_ask_four_are_proposed_three_accept_and_their_circle_meets(
    phone_page, live_server, worker, sink
):
    page = phone_page
    women = neighbours()

    # Each asks for a circle from her home page, keeping the defaults.
    for number, woman in enumerate(women):
        page.context.clear_cookies()
        sign_in(page, live_server.url, woman)
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Find me a circle").click()
        expect(page.get_by_role("heading", name="Find me a circle")).to_be_visible()
        expect(page.get_by_label("3 miles")).to_be_checked()
        if number == 0:
            check_the_page(page, "find-me-a-circle")
        page.get_by_role("button", name="Find me a circle").click()
        expect(page.get_by_text("We're looking for your circle.")).to_be_visible()

    # The nightly task runs in the worker; four of them hear of their circle.
    celery_app.send_task("circles.make_proposals")
    proposals = mails_of(sink, "circle_proposed", 4)
    assert set(proposals) == {woman.email for woman in women[:4]}
    proposal = Proposal.objects.get()

    # Three say "I'm in" from their inboxes, not signed in; one says "Not this one".
    page.context.clear_cookies()
    for number, woman in enumerate(women[:4]):
        page.goto(link_in(proposals[woman.email], "I'm in / Not this one"))
        expect(page.get_by_role("heading", name="Meet your circle")).to_be_visible()
        expect(page.get_by_text("4 working moms near each other")).to_be_visible()
        if number == 0:
            check_the_page(page, "meet-your-circle")
        if number == 3:
            page.get_by_role("button", name="Not this one").click()
            expect(page.get_by_text("Thanks for telling us.")).to_be_visible()
        else:
            page.get_by_role("button", name="I'm in").click()
            expect(page.get_by_role("status").first).to_contain_text("You're in")

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FORMED
    group = Group.objects.get()
    active = group.memberships.filter(status=Membership.Status.ACTIVE)
    assert {m.member for m in active} == set(women[:3])
    assert active.get(role=Membership.Role.ORGANIZER).member == women[0]
    assert not group.is_listed
    meetup = Meetup.objects.get(group=group)
    assert meetup.status == Meetup.Status.TENTATIVE
    assert meetup.quorum == 3
    assert meetup.quorum_deadline < meetup.starts_at
    assert meetup.starts_at > timezone.now()

    # Each of the three gets the "new meetup" email with its calendar, and answers from it.
    announced = mails_of(sink, "meetup_new", 3)
    assert set(announced) == {woman.email for woman in women[:3]}
    for woman in women[:3]:
        mail = announced[woman.email]
        (calendar,) = list(mail.iter_attachments())
        assert calendar.get_content_type() == "text/calendar"
        page.context.clear_cookies()
        sign_in(page, live_server.url, woman)
        page.goto(link_in(mail, "See the meetup"))
        expect(page.get_by_role("heading", name="Our first meetup")).to_be_visible()
        page.get_by_role("button", name="Going", exact=True).click()
        expect(page.get_by_text("You're going.").first).to_be_visible()
    assert Rsvp.objects.filter(meetup=meetup, response=Rsvp.Response.GOING).count() == 3
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.CONFIRMED

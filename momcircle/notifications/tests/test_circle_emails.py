"""The emails about circles, as they arrive at a real SMTP sink, and the page their links
open."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from momcircle.circles.models import CircleWish, ProposalSeat
from momcircle.circles.services import proposals_close_due, proposals_make
from momcircle.circles.tests.factories import seeker
from momcircle.notifications import links
from momcircle.outbox.models import OutboxMessage
from momcircle.outbox.services import outbox_dispatch
from tests.factories import member

pytestmark = pytest.mark.django_db
NAMES = ("Ana", "Bea", "Cleo", "Dana")


@pytest.fixture
def proposal(run_on_commit):
    """Ana and three neighbours a little north of her, proposed a circle."""
    women = [seeker("Ana", last_initial="K")]
    women += [seeker(name, north_miles=1.2, last_initial="T") for name in NAMES[1:]]
    (made,) = run_on_commit(proposals_make)
    return made


def ana():
    return ProposalSeat.objects.get(member__profile__first_name="Ana").member


def parts(mail) -> tuple[str, str]:
    types = [part.get_content_type() for part in mail.walk()]
    assert types == ["multipart/alternative", "text/plain", "text/html"]
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def circle_link(member, proposal) -> str:
    return reverse(
        "notifications:email_circle",
        args=[links.circle_token(member=member, proposal=proposal)],
    )


def test_meet_your_circle_arrives_with_both_parts_her_circle_and_a_one_click_stop(
    smtp_sink, proposal
):
    outbox_dispatch()
    her = ana()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == "Meet your circle: 4 working moms near you"
    text, html = parts(mail)
    assert "all free Tuesdays 20:30–22:00, kid-free" in text
    assert "- Ana K. (you): Hybrid; kids: Toddler (1–2)" in text
    assert "- Bea T.: Hybrid; kids: Toddler (1–2); about 1 mile away" in text
    assert "<strong>Bea T.</strong>" in html
    (answer_url,) = [
        line.removeprefix("I'm in / Not this one: ")
        for line in text.splitlines()
        if line.startswith("I'm in / Not this one: ")
    ]
    token = answer_url.removeprefix(f"{settings.SITE_URL}/email/circle/").rstrip("/")
    assert links.circle_seat_from(token, viewer=AnonymousUser()).member == her
    assert f'href="{escape(answer_url)}"' in html
    for other in ProposalSeat.objects.exclude(member=her):
        assert other.member.email not in text + html
    unsubscribe = str(mail["List-Unsubscribe"]).strip()[1:-1]
    token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
    assert links.unsubscribe_from(token) == (her.pk, "circle_proposals")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails: {unsubscribe}" in text


def test_she_is_not_emailed_a_circle_she_already_answered(smtp_sink, run_on_commit, proposal):
    her = ana()
    client = Client()
    client.force_login(her)
    client.post(reverse("circles:answer", args=[proposal.pk]), {"answer": "out"})
    outbox_dispatch()
    assert smtp_sink.inbox.to(her.email) == []
    assert len(smtp_sink.inbox.messages) == 3


def test_no_circle_email_once_she_turned_them_off(smtp_sink, run_on_commit):
    women = [seeker(name) for name in NAMES]
    women[0].profile.circle_proposals = False
    women[0].profile.save()
    run_on_commit(proposals_make)
    outbox_dispatch()
    assert smtp_sink.inbox.to(women[0].email) == []
    assert len(smtp_sink.inbox.messages) == 3


def test_the_one_click_stop_turns_circle_emails_off_and_drops_the_waiting_one(proposal):
    her = ana()
    token = links.unsubscribe_token(member=her, topic="circle_proposals")
    Client(enforce_csrf_checks=True).post(
        reverse("notifications:email_unsubscribe", args=[token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    her.profile.refresh_from_db()
    assert not her.profile.circle_proposals
    row = OutboxMessage.objects.get(recipient=her, kind="circle_proposed")
    assert row.status == OutboxMessage.Status.DROPPED


def test_the_link_opens_her_circle_and_a_get_changes_nothing(client, proposal):
    response = client.get(circle_link(ana(), proposal))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meet your circle" in html
    assert 'value="in"' in html
    assert set(ProposalSeat.objects.values_list("answer", flat=True)) == {"pending"}


def test_a_button_on_the_link_s_page_answers_without_a_login(run_on_commit, proposal):
    her = ana()
    response = run_on_commit(Client().post, circle_link(her, proposal), {"answer": "in"})
    assert response.status_code == 200
    assert escape("You're in. We'll tell you when the circle is a group.") in (
        response.content.decode()
    )
    assert ProposalSeat.objects.get(member=her).answer == "in"


def test_another_member_signed_in_cannot_use_her_link(client, proposal):
    client.force_login(member())
    response = client.post(circle_link(ana(), proposal), {"answer": "out"})
    assert response.status_code == 400
    assert "sent to another member" in response.content.decode()
    assert set(ProposalSeat.objects.values_list("answer", flat=True)) == {"pending"}


def test_a_tampered_link_says_so_and_changes_nothing(client, proposal):
    token = signing.TimestampSigner(salt="another salt").sign(f"{ana().pk}:{proposal.pk}")
    response = client.post(reverse("notifications:email_circle", args=[token]), {"answer": "in"})
    assert response.status_code == 400
    assert "no longer works" in response.content.decode()
    assert set(ProposalSeat.objects.values_list("answer", flat=True)) == {"pending"}


def test_the_pause_email_tells_her_how_to_resume(smtp_sink, run_on_commit, proposal):
    her = ana()
    CircleWish.objects.filter(member=her).update(lapses=1)
    run_on_commit(proposals_close_due, now=proposal.deadline + timedelta(minutes=1))
    OutboxMessage.objects.filter(kind="circle_proposed").delete()
    outbox_dispatch()
    (mail,) = smtp_sink.inbox.to(her.email)
    assert mail["Subject"] == "We paused your search for a circle"
    text, html = parts(mail)
    wish_url = settings.SITE_URL + reverse("circles:wish")
    assert f'open "Find me a circle" and press "Resume looking": {wish_url}' in text
    assert f'href="{wish_url}"' in html
    assert links.unsubscribe_from(
        str(mail["List-Unsubscribe"]).strip()[1:-1].rstrip("/").rsplit("/", 1)[-1]
    ) == (her.pk, "circle_proposals")

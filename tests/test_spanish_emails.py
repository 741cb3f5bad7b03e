"""Emails in the recipient's language: women who read MomCircle in Spanish get every kind of
email in Spanish from a real worker that runs with the site's English defaults, with her
times in her own zone as Spanish writes them ("mar 8 dic, 19:30–21:00 EST"); allauth's emails
(confirming her address, a login code, a new password) come in the language of the page that
asked for them.

What MomCircle's Python writes into them (times, the labels of a change) is checked always;
once the email templates are marked for translation, each part of each email must read as
Spanish too, with none of the catalogue's English and no common English word outside what
members wrote (tests/spanish.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from groups.services import membership_approve, membership_decline
from momcircle.celery import app as celery_app
from momcircle.circles.models import CircleWish, Proposal
from momcircle.circles.services import proposals_close_due, proposals_make
from momcircle.circles.tests.factories import seeker
from momcircle.conversation.services import message_post
from momcircle.moderation.services import report_file, report_warn
from momcircle.notifications.digest import digest_moment
from momcircle.notifications.services import weekly_digests_queue
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.outbox.registry import RENDERERS
from scheduling.models import Meetup
from scheduling.services import (
    SeriesEdit,
    meetup_cancel,
    meetup_create,
    meetup_update,
    meetups_cancel_without_quorum,
    rsvp_set,
    series_end,
    series_update_following,
    standing_answer_set,
)
from scheduling.tests.series import occurrences, plan_series
from tests import spanish
from tests.factories import PASSWORD, MembershipFactory, UserFactory, join_request, member
from tests.test_emails_worker import (  # noqa: F401 (the worker's fixtures)
    arrived,
    circle,
    details,
    in_chicago,
    inbox,
    sink,
    subject_of,
    worker,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
# Django's Spanish for days and months, written out to check its formats against.
DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
MEMBER_TEXT = (
    "Paseo por el lago",
    "Cena en Lula",
    "Picnic",
    "Brunch",
    "Intercambio de libros",
    "Café Lula",
    "2537 N Kedzie Blvd",
    "Llego a las siete",
    "Tormenta",
    "¡Bienvenida!",
    "Estamos completas.",
    "Club de lectura",
)


def spanish_day(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]}"


def spanish_span(meetup: Meetup, zone: ZoneInfo) -> str:
    start, end = meetup.starts_at.astimezone(zone), meetup.ends_at.astimezone(zone)
    return f"{spanish_day(start)}, {start:%H:%M}–{end:%H:%M} {end:%Z}"


def parts(mail) -> dict[str, str]:
    return {
        "subject": subject_of(mail),
        "text": mail.get_body(("plain",)).get_content(),
        "html": spanish.visible_text(mail.get_body(("html",)).get_content()),
    }


def made_due(box, *, to, kind: str, about):
    """Her message of that kind, due later, is made due now and sent by the beat's task."""
    now = timezone.now()
    OutboxMessage.objects.filter(recipient=to, kind=kind, subject=subject_key(about)).update(
        due_at=now, next_attempt_at=now
    )
    celery_app.send_task("outbox.dispatch")
    return arrived(box, to=to, kind=kind, about=about)


def reads_spanish(**profile):
    return member(language="es", time_zone="America/New_York", **profile)


def every_kind_in_spanish(inbox, circle) -> dict[str, tuple[object, str]]:  # noqa: F811
    """Each kind of email as it reached a woman who reads Spanish: {kind: (mail, what it must
    say of a time, in Spanish)}. The organizer and the worker read English."""
    her, tess = circle.member, circle.other_member.member
    organizer, group = circle.organizer, circle.group
    her.profile.language, her.profile.time_zone = "es", "America/New_York"
    her.profile.reminder_timing = "both"
    her.profile.save()
    got = {}

    walk = meetup_create(
        group=group, by=organizer, details=details("Paseo por el lago", in_chicago(10, 18, 30))
    )
    when = spanish_span(walk, NEW_YORK)
    got["meetup_new"] = (arrived(inbox, to=her, kind="meetup_new", about=walk), when)
    rsvp_set(meetup=walk, member=her, response="going")
    for kind in ("reminder_evening", "reminder_hours"):
        got[kind] = (made_due(inbox, to=her, kind=kind, about=walk), when)
    message_post(meetup=walk, author=tess, text="Llego a las siete")
    mail = arrived(inbox, to=her, kind="meetup_conversation", about=walk)
    got["meetup_conversation"] = (mail, when)
    moved = walk.starts_at + timedelta(days=1)
    meetup_update(
        meetup=walk,
        by=organizer,
        details=details("Paseo por el lago", moved.astimezone(ZoneInfo("America/Chicago"))),
    )
    mail = arrived(inbox, to=her, kind="meetup_changed", about=walk)
    got["meetup_changed"] = (mail, f"Empieza: {spanish_day(walk.starts_at.astimezone(NEW_YORK))}")
    meetup_cancel(meetup=walk, by=organizer, reason="Tormenta")
    walk.refresh_from_db()
    got["meetup_cancelled"] = (
        arrived(inbox, to=her, kind="meetup_cancelled", about=walk),
        spanish_span(walk, NEW_YORK),
    )

    dinner = meetup_create(
        group=group, by=organizer, details=details("Cena en Lula", in_chicago(12, 19), capacity=1)
    )
    rsvp_set(meetup=dinner, member=tess, response="going")
    rsvp_set(meetup=dinner, member=her, response="going")
    rsvp_set(meetup=dinner, member=tess, response="cant_go")
    got["waitlist_promoted"] = (
        arrived(inbox, to=her, kind="waitlist_promoted", about=dinner),
        spanish_span(dinner, NEW_YORK),
    )

    starts = in_chicago(14, 11)
    picnic = meetup_create(
        group=group,
        by=organizer,
        details=details("Picnic", starts, quorum=1, quorum_deadline=starts - timedelta(days=1)),
    )
    rsvp_set(meetup=picnic, member=her, response="going")
    got["quorum_reached"] = (
        arrived(inbox, to=her, kind="quorum_reached", about=picnic),
        spanish_span(picnic, NEW_YORK),
    )
    starts = in_chicago(15, 10, 30)
    deadline = starts - timedelta(days=1)
    brunch = meetup_create(
        group=group,
        by=organizer,
        details=details("Brunch", starts, quorum=2, quorum_deadline=deadline),
    )
    rsvp_set(meetup=brunch, member=her, response="going")
    meetups_cancel_without_quorum(now=deadline + timedelta(minutes=1))
    got["quorum_missed"] = (
        arrived(inbox, to=her, kind="quorum_missed", about=brunch),
        spanish_day(deadline.astimezone(NEW_YORK)),
    )

    reader = reads_spanish(announcements="weekly_digest", first_name="Lucía")
    reader.profile.time_zone = "America/Los_Angeles"
    reader.profile.save()
    MembershipFactory(group=group, member=reader)
    swap = meetup_create(
        group=group, by=organizer, details=details("Intercambio de libros", in_chicago(9, 19))
    )
    sunday = digest_moment("America/Los_Angeles", timezone.now())
    Meetup.objects.filter(pk=swap.pk).update(created_at=sunday - timedelta(days=1))
    weekly_digests_queue(now=sunday + timedelta(minutes=1))
    got["weekly_digest"] = (
        arrived(inbox, to=reader, kind="weekly_digest"),
        spanish_span(swap, LOS_ANGELES),
    )

    approved = circle.request
    approved.member.profile.language = "es"
    approved.member.profile.save()
    declined = join_request(group, reads_spanish(first_name="Inés"))
    membership_approve(membership=approved, by=organizer, message="¡Bienvenida!")
    membership_decline(membership=declined, by=organizer, message="Estamos completas.")
    got["join_approved"] = (
        arrived(inbox, to=approved.member, kind="join_approved", about=approved),
        "",
    )
    got["join_declined"] = (
        arrived(inbox, to=declined.member, kind="join_declined", about=declined),
        "",
    )

    club = plan_series(group, organizer, title="Club de lectura", starts_at=in_chicago(16, 20))
    first = occurrences(club)[0]
    got["series_new"] = (
        arrived(inbox, to=her, kind="series_new", about=club),
        spanish_span(first, NEW_YORK),
    )
    standing_answer_set(series=club, member=her)
    series_update_following(
        meetup=first,
        by=organizer,
        edit=SeriesEdit(
            title="Club de lectura", start_time=club.start_time, length_minutes=120,
            venue_name="Café Lula",
        ),
    )  # fmt: skip
    first_day = spanish_day(first.occurrence_date)
    got["series_changed"] = (arrived(inbox, to=her, kind="series_changed", about=club), first_day)
    club.refresh_from_db()
    series_end(series=club, by=organizer)
    got["series_ended"] = (arrived(inbox, to=her, kind="series_ended", about=club), "")

    lucia = seeker("Lucía", language="es")  # in Chicago, free when the others are
    for name in ("Ana", "Bea", "Cora", "Dina"):
        seeker(name)
    (proposal,) = proposals_make()
    got["circle_proposed"] = (
        arrived(inbox, to=lucia, kind="circle_proposed", about=proposal),
        "",
    )
    CircleWish.objects.filter(member=lucia).update(lapses=1)
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now())
    proposals_close_due()
    got["wish_paused"] = (arrived(inbox, to=lucia, kind="wish_paused", about=lucia.circle_wish), "")

    report = report_file(reporter=tess, reason="spam", reported_user=her)
    report_warn(report=report, by=member(user__is_staff=True))
    got["member_warning"] = (arrived(inbox, to=her, kind="member_warning", about=report), "")
    return got


def test_every_kind_of_email_reaches_her_in_spanish_from_an_english_worker(inbox, circle):  # noqa: F811
    """What MomCircle's Python writes in them (times, labels) is in her language."""
    emails = every_kind_in_spanish(inbox, circle)
    assert set(emails) == set(RENDERERS)
    wrong = {
        kind: when
        for kind, (mail, when) in emails.items()
        if when and not all(when in text for text in list(parts(mail).values())[1:])
    }
    assert wrong == {}


@pytest.mark.skipif(
    not spanish.templates_marked("email"),
    reason="the email templates are not marked for translation yet (the templates' branch)",
)
def test_every_part_of_every_email_reads_as_spanish(inbox, circle):  # noqa: F811
    """Subject, text and HTML: Spanish, with none of the catalogue's English and no common
    English word outside what members wrote."""
    emails = every_kind_in_spanish(inbox, circle)
    written = (circle.group.name, *MEMBER_TEXT)
    problems = {}
    for kind, (mail, _) in emails.items():
        for part, text in parts(mail).items():
            found = [
                *spanish.english_in(text, member_text=written),
                *spanish.common_english_words(text, member_text=written),
            ]
            # A subject is a few words ("Cancelado: Picnic"), often none of the common ones.
            if part != "subject" and not spanish.has_spanish(text, member_text=written):
                found.append("(no Spanish)")
            if found:
                problems[f"{kind} {part}"] = found
    assert problems == {}


# --- allauth's emails, in the language of the page that asked -------------------------------


def allauth_subject(english: str) -> str:
    with translation.override("es"):
        spanish_subject = gettext(english)
    assert spanish_subject != english
    return spanish_subject


@pytest.mark.django_db
def test_signing_up_in_spanish_sends_the_confirmation_in_spanish(client):
    client.post(
        "/accounts/signup/",
        {"email": "ana@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    (sent,) = django_mail.outbox
    assert allauth_subject("Please Confirm Your Email Address") in sent.subject


@pytest.mark.django_db
def test_a_password_reset_asked_in_spanish_comes_in_spanish(client):
    user = UserFactory(email="ana@example.com")
    client.post("/accounts/password/reset/", {"email": user.email}, HTTP_ACCEPT_LANGUAGE="es")
    (sent,) = django_mail.outbox
    assert allauth_subject("Password Reset Email") in sent.subject


@pytest.mark.django_db
def test_a_login_code_asked_in_spanish_comes_in_spanish(client):
    user = UserFactory(email="ana@example.com")
    client.post("/accounts/login/code/", {"email": user.email}, HTTP_ACCEPT_LANGUAGE="es")
    (sent,) = django_mail.outbox
    assert allauth_subject("Sign-In Code") in sent.subject

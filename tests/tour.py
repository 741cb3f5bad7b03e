"""A small neighborhood and every page type a person can open in it, for the browser checks
that go over all pages (accessibility, phone width, Content-Security-Policy)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.test import Client

from groups.models import Group, JoinPolicy, Membership
from momcircle.availability.windows import WeeklyWindow
from momcircle.conversation.models import Message
from momcircle.conversation.services import message_post
from momcircle.notifications.kinds import REMINDERS
from momcircle.notifications.links import rsvp_token, unsubscribe_token
from momcircle.profiles.services import availability_replace
from scheduling.models import Meetup
from scheduling.services import rsvp_set, standing_answer_set
from scheduling.tests.factories import MeetupFactory
from scheduling.tests.series import occurrences, plan_series
from tests.factories import MembershipFactory, UserFactory, join_request, member, organized_group

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TUESDAY_EVENING = WeeklyWindow(1, 20 * 60 + 30, 22 * 60, "kid_free")


@dataclass
class Neighborhood:
    organizer: object
    member: object
    newcomer: object
    group: Group
    other_group: Group
    meetup: Meetup
    series: object  # every other Tuesday, Maya in every time
    stranger: object
    message: Message  # Maya's, on the meetup, just posted

    @property
    def occurrence(self) -> Meetup:
        return occurrences(self.series)[0]


def neighborhood() -> Neighborhood:
    """Olivia organizes a group by request with Maya in it and Priya asking to join, and they
    talk on its meetup's page; another group nearby is there to be found; Nora signed up but
    has no profile yet."""
    organizer = member(first_name="Olivia", last_initial="N")
    maya = member(first_name="Maya", last_initial="L", bio="Nurse, two kids, loves walks.")
    group = organized_group(
        organizer,
        name="Lincoln Park After Bedtime",
        join_policy=JoinPolicy.REQUEST,
        join_question="How old are your kids?",
        focus=["walks", "book club"],
    )
    MembershipFactory(group=group, member=maya, role=Membership.Role.CO_ORGANIZER)
    join_request(group, member(first_name="Priya"), answer="A toddler and a baby.")
    other_group = organized_group(name="Saturday Playground Moms")
    for mom in (organizer, maya):
        availability_replace(member=mom, windows=[TUESDAY_EVENING])
    meetup = MeetupFactory(group=group, title="Tuesday walk and talk", capacity=6)
    rsvp_set(meetup=meetup, member=maya, response="going")
    series = plan_series(group, organizer, frequency="biweekly", title="Book club", capacity=8)
    standing_answer_set(series=series, member=maya)
    message_post(
        meetup=meetup, author=organizer, text="Can we do the café instead? www.cafelula.com"
    )
    message = message_post(meetup=meetup, author=maya, text="Sure!\nI'll bring snacks.")
    return Neighborhood(
        organizer=organizer,
        member=maya,
        newcomer=UserFactory(),
        group=group,
        other_group=other_group,
        meetup=meetup,
        series=series,
        stranger=member(first_name="Sofia"),
        message=message,
    )


@dataclass(frozen=True)
class PageType:
    name: str
    viewer: str | None  # a Neighborhood attribute, or None for a visitor
    path: Callable[[Neighborhood], str]


PAGE_TYPES = [
    PageType("landing", None, lambda n: "/"),
    PageType("sign-up", None, lambda n: "/accounts/signup/"),
    PageType("log-in", None, lambda n: "/accounts/login/"),
    PageType("log-in-with-a-code", None, lambda n: "/accounts/login/code/"),
    PageType("password-reset", None, lambda n: "/accounts/password/reset/"),
    PageType("password-reset-sent", None, lambda n: "/accounts/password/reset/done/"),
    PageType("verify-your-email", None, lambda n: "/accounts/confirm-email/"),
    PageType("account-inactive", None, lambda n: "/accounts/inactive/"),
    PageType("onboarding", "newcomer", lambda n: "/welcome/"),
    PageType("home", "member", lambda n: "/"),
    PageType("availability", "member", lambda n: "/availability/"),
    PageType("browse", "member", lambda n: "/groups/"),
    PageType("group", "member", lambda n: n.group.get_absolute_url()),
    PageType("group-to-join", "member", lambda n: n.other_group.get_absolute_url()),
    PageType("organizer-tools", "organizer", lambda n: f"/groups/{n.group.slug}/manage/"),
    PageType("edit-group", "organizer", lambda n: f"/groups/{n.group.slug}/edit/"),
    PageType("new-group", "member", lambda n: "/groups/new/"),
    PageType("my-groups", "member", lambda n: "/groups/mine/"),
    PageType("my-profile", "member", lambda n: "/me/"),
    PageType("email-preferences", "member", lambda n: "/me/email-preferences/"),
    PageType("blocked-members", "member", lambda n: "/me/blocked/"),
    PageType("delete-account", "member", lambda n: "/me/delete/"),
    PageType("member-profile", "member", lambda n: f"/members/{n.organizer.pk}/"),
    PageType("report-member", "member", lambda n: f"/members/{n.organizer.pk}/report/"),
    PageType("report-group", "member", lambda n: f"/report/group/{n.other_group.slug}/"),
    PageType("meetup", "member", lambda n: f"/meetups/{n.meetup.pk}/"),
    PageType("meetup-for-a-non-member", "stranger", lambda n: f"/meetups/{n.meetup.pk}/"),
    PageType("new-meetup", "organizer", lambda n: f"/meetups/new/{n.group.slug}/"),
    PageType(
        "new-meetup-with-times-for-a-series",
        "organizer",
        lambda n: (
            f"/meetups/new/{n.group.slug}/?duration=90&mode=either&horizon=21&repeat=biweekly"
        ),
    ),
    PageType("edit-meetup", "organizer", lambda n: f"/meetups/{n.meetup.pk}/edit/"),
    PageType("cancel-meetup", "organizer", lambda n: f"/meetups/{n.meetup.pk}/cancel/"),
    PageType("report-meetup", "member", lambda n: f"/report/meetup/{n.meetup.pk}/"),
    PageType("edit-message", "member", lambda n: f"/messages/{n.message.pk}/edit/"),
    PageType("report-message", "organizer", lambda n: f"/report/message/{n.message.pk}/"),
    PageType("calendar", "member", lambda n: "/calendar/"),
    PageType("series", "member", lambda n: n.series.get_absolute_url()),
    PageType("series-for-a-non-member", "stranger", lambda n: n.series.get_absolute_url()),
    PageType("meetup-of-a-series", "member", lambda n: n.occurrence.get_absolute_url()),
    PageType("series-for-its-organizer", "organizer", lambda n: n.series.get_absolute_url()),
    PageType(
        "edit-this-and-following",
        "organizer",
        lambda n: f"/meetups/{n.occurrence.pk}/edit-following/",
    ),
    PageType("end-series", "organizer", lambda n: f"/series/{n.series.pk}/end/"),
    PageType(
        "change-answer-from-email",
        None,
        lambda n: f"/email/rsvp/{rsvp_token(member=n.member, meetup=n.meetup)}/",
    ),
    PageType(
        "cant-go-this-week-from-email",
        None,
        lambda n: f"/email/rsvp/{rsvp_token(member=n.member, meetup=n.occurrence)}/skip/",
    ),
    PageType(
        "unsubscribe-from-email",
        None,
        lambda n: f"/email/unsubscribe/{unsubscribe_token(member=n.member, topic=REMINDERS)}/",
    ),
]


def sign_in(page, base_url: str, user) -> None:
    """Signs her in by handing the browser a session cookie (the log-in form has its own
    test)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def open_page(page, base_url: str, page_type: PageType, place: Neighborhood):
    if page_type.viewer:
        sign_in(page, base_url, getattr(place, page_type.viewer))
    response = page.goto(base_url + page_type.path(place))
    assert response.status == 200, (page_type.name, response.status, page.url)
    return response


def horizontal_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

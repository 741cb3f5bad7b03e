"""Every form a member (or staff) submits, fuzzed through its real view: no response is a 500,
a rejected submission shows her why, and a rejected submission leaves the database as it was.

Each case posts a drawn body (valid-looking and hostile values, missing, repeated and extra
fields, invalid UTF-8) as the right signed-in member. An accepted submission must have stored
what was posted, and valid-looking bodies must be accepted often enough that the saving path
is explored. Every example runs inside a savepoint that is rolled back, so an accepted
submission never leaks into the next example."""

import importlib
import pkgutil
import sys
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django import forms
from django.apps import apps
from django.contrib.messages import constants
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from groups import forms as group_forms
from groups.models import Group, JoinPolicy, MeetingStyle, Membership
from momcircle.conversation import forms as conversation_forms
from momcircle.conversation.models import ConversationMute, Message
from momcircle.moderation import admin as moderation_admin
from momcircle.moderation import forms as moderation_forms
from momcircle.moderation.models import Report
from momcircle.notifications import kinds, links
from momcircle.privacy import forms as privacy_forms
from momcircle.profiles import account_forms, availability_forms
from momcircle.profiles import admin as profile_admin
from momcircle.profiles import forms as profile_forms
from momcircle.profiles import services as profile_services
from momcircle.profiles.models import (
    AgeBand,
    Announcements,
    KidMode,
    LookingFor,
    Profile,
    ReminderTiming,
    WorkPattern,
)
from momcircle.profiles.presets import PRESETS
from scheduling import forms as scheduling_forms
from scheduling import services as scheduling_services
from scheduling.models import Meetup, MeetupSeries, Rsvp
from scheduling.tests.factories import MeetupFactory, in_days
from scheduling.tests.series import occurrences, plan_series
from tests import fuzzing
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    ProfileFactory,
    UserFactory,
    join_request,
    member,
    organized_group,
)

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("momcircle", "groups", "scheduling")
# The zone of the group whose meetups are planned: times are typed on its wall clock.
GROUP_ZONE = ZoneInfo("America/Chicago")

# --- valid-looking values ---------------------------------------------------------------------


def choice(values) -> st.SearchStrategy:
    return st.sampled_from([str(value) for value in values])


def count(low: int, high: int) -> st.SearchStrategy:
    return st.integers(low, high).map(str)


# Text a member types: any script, no control characters (the forms refuse those, and the
# chaos of every payload still sends them).
typed = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
names = st.sampled_from(["Olivia", "Maya R.", "Zoë", "Anne-Marie", "  Priya  "]) | st.text(
    typed, min_size=1, max_size=40
)
initials = st.sampled_from(["K", "k.", " ñ ", "N\u0303", "ß", "Kowalski", "7", ""]) | st.text(
    max_size=3
)
prose = st.sampled_from(["", "Evenings out and Saturday playground mornings."]) | st.text(
    typed, max_size=120
)
# 60607 in digits other than 0-9 (full-width, Arabic-Indic, mathematical bold): they once
# crashed every form with a ZIP code.
OTHER_DIGIT_ZIPS = ["６０６０７", "٦٠٦٠٧", "𝟔𝟎𝟔𝟎𝟕"]
zips = st.just("60614") | st.sampled_from(
    ["10001", "94110", "00000", "6061", "606140", "ABCDE", " 60614 ", *OTHER_DIGIT_ZIPS]
)
ZIP_EXPLICIT = tuple([("zip_code", typed)] for typed in OTHER_DIGIT_ZIPS)
time_zones = st.sampled_from(["", "America/Chicago", "America/New_York", "Europe/Paris", "UTC"])
emails = st.sampled_from(
    ["new.mom@example.com", "MEMBER0@EXAMPLE.COM", "not-an-email", "a@b", "x@example.com "]
) | st.emails().filter(lambda address: len(address) < 200)
passwords = st.sampled_from([PASSWORD, "another-long-password-7", "short", "password", "12345678"])
tags = st.sampled_from(["running, book club", "walks;walks;WALKS", ",".join("abcdefghijkl")])


def local_times() -> st.SearchStrategy:
    """Wall-clock times around the next few weeks, as <input type=datetime-local> sends them."""
    soon = timezone.now().replace(second=0, microsecond=0)
    return st.integers(-2 * 24 * 60, 40 * 24 * 60).map(
        lambda minutes: (soon + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")
    )


def evenings() -> st.SearchStrategy:
    """Evenings three and four days ahead: a drawn start and end often make a meetup."""
    today = timezone.localdate()
    return st.sampled_from(
        [
            f"{today + timedelta(days=days):%Y-%m-%d}T{clock}"
            for days in (3, 4)
            for clock in ("19:00", "20:30", "22:00")
        ]
    )


def _wall(moment: datetime) -> str:
    return moment.strftime(scheduling_forms.LOCAL_FORMAT)


@st.composite
def meetup_plans(draw) -> dict[str, str]:
    """When, how many and until when, filled in together as an organizer would: a start two
    days to six weeks ahead on the group's wall clock, an end 30 minutes to 4 hours later,
    seats or none, and a quorum that fits the seats with a deadline before the start, or no
    quorum at all."""
    today = timezone.now().astimezone(GROUP_ZONE).date()
    day = today + timedelta(days=draw(st.integers(2, 40)))
    start = datetime.combine(day, time(7)) + timedelta(minutes=30 * draw(st.integers(0, 30)))
    end = start + timedelta(minutes=15 * draw(st.integers(2, 16)))
    capacity = draw(st.none() | st.integers(1, 40))
    quorum = draw(st.none() | st.integers(1, capacity or 20))
    deadline = start - timedelta(hours=draw(st.integers(1, 36)))
    return {
        "starts_at": _wall(start),
        "ends_at": _wall(end),
        "capacity": "" if capacity is None else str(capacity),
        "quorum": "" if quorum is None else str(quorum),
        "quorum_deadline": "" if quorum is None else _wall(deadline),
    }


# Times and counts drawn each on its own: a start in the past, an end before the start, a
# quorum without a deadline or above the seats. Mostly refused by the service's rules.
loose_plans = st.fixed_dictionaries(
    {
        "starts_at": evenings() | local_times(),
        "ends_at": evenings(),
        "capacity": st.sampled_from(["", "1", "8", "501"]),
        "quorum": st.sampled_from(["", "", "1", "3", "600"]),
        "quorum_deadline": st.just("") | evenings() | local_times(),
    }
)


def window_values() -> st.SearchStrategy:
    return st.builds(
        lambda day, start, length, mode: f"{day},{start},{start + length},{mode}",
        st.integers(0, 6),
        st.integers(0, 47).map(lambda half_hours: half_hours * 30),
        st.sampled_from([30, 60, 90, 120]),
        choice(KidMode.values),
    )


PROFILE_FIELDS = {
    "first_name": names,
    "last_initial": initials,
    "zip_code": zips,
    "time_zone": time_zones,
    "work_pattern": choice(WorkPattern.values),
    **{f"kids_{band}": count(-1, 10) for band in AgeBand.values},
    "looking_for": st.lists(choice(LookingFor.values), min_size=1, max_size=3, unique=True),
    "interests_text": tags | prose,
    "bio": prose,
}
GROUP_FIELDS = {
    "name": names,
    "description": st.just("Evenings out and Saturday playground mornings.") | prose,
    "focus_text": tags | st.just("") | prose,
    "kids_age_focus": st.lists(choice(AgeBand.values), max_size=3, unique=True),
    "zip_code": zips,
    "meeting_style": choice(MeetingStyle.values),
    "size_cap": count(2, 50) | count(-1, 60),
    "join_policy": choice(JoinPolicy.values),
    "join_question": prose,
    "is_listed": st.sampled_from(["on", ""]),
}
MEETUP_FIELDS = {
    "title": st.just("Moms' night out") | names,
    "plan": meetup_plans() | meetup_plans() | loose_plans,
    "kid_mode": choice([KidMode.KID_FREE, KidMode.KIDS_ALONG]),
    "venue_name": st.sampled_from(["Café Lula", " The Pancake House ", "Café Lula", ""]),
    "venue_address": st.sampled_from(["2537 N Kedzie Blvd", ""]),
    "at_home": st.sampled_from(["on", ""]),
    "online_link": st.sampled_from(["", "", "https://meet.example.com/moms", "meet.example.com"]),
    "description": prose,
    "kids_take_seats": st.sampled_from(["on", ""]),
    "waitlist_cutoff_hours": count(-1, 170),
}


def mostly(valid: st.SearchStrategy, invalid: st.SearchStrategy) -> st.SearchStrategy:
    """Three draws in four from `valid`."""
    return st.one_of(valid, valid, valid, invalid)


@st.composite
def repeats(draw) -> dict[str, str]:
    """How a new meetup repeats, filled in together: a rhythm, and how it ends (now and then
    a date before the start, an impossible date, a count out of range, the last weekday of
    a month that is not)."""
    today = timezone.now().astimezone(GROUP_ZONE).date()
    end = draw(mostly(st.sampled_from(["never", "on", "after"]), st.just("")))
    until = today + timedelta(days=draw(mostly(st.integers(45, 200), st.integers(-5, 45))))
    return {
        "repeat": draw(
            mostly(st.sampled_from(["weekly", "biweekly", "monthly"]), st.just("monthly_last"))
        ),
        "repeat_end": end,
        "repeat_until": draw(mostly(st.just(f"{until:%Y-%m-%d}"), st.just("2027-02-30"))),
        "repeat_count": draw(mostly(count(1, 12), st.sampled_from(["0", "201"]))),
    }


SERIES_FIELDS = {**MEETUP_FIELDS, "repeats": repeats()}
clocks = mostly(
    st.sampled_from(["19:00", "20:30", "21:45", "00:30", "19:00:00"]),
    st.sampled_from(["9pm", "25:00", ""]),
)
SERIES_EDIT_FIELDS = {
    "title": st.just("Wine night") | names,
    "start_time": clocks,
    "end_time": clocks,
    "venue_name": mostly(st.sampled_from(["Hula", " The Pancake House "]), st.just("")),
    "venue_address": st.sampled_from(["2537 N Kedzie Blvd", ""]),
    "online_link": st.sampled_from(["", "", "https://meet.example.com/moms", "meet.example.com"]),
    "capacity": mostly(st.sampled_from(["", "6", "12"]), st.sampled_from(["0", "501"])),
    "description": prose,
}
STANDING_FIELDS = {
    "standing": choice(["on", "off", "maybe"]),
    "kids": st.sampled_from(["", "0", "2", "-1"]),
    "next": st.sampled_from(
        ["/groups/", "https://evil.example/", "//evil.example/", "", "/\\evil"]
    ),
}


def new_time_row(row: int) -> st.SearchStrategy:
    """The four selects of one "new time" row: empty, complete, or anything in each."""
    parts = {
        "weekday": count(0, 6),
        "start": st.integers(0, 46).map(lambda n: str(n * 30)),
        "end": st.integers(1, 48).map(lambda n: str(n * 30)),
        "mode": choice(KidMode.values),
    }
    complete = st.fixed_dictionaries({f"add_{row}_{p}": value for p, value in parts.items()})
    partial = st.fixed_dictionaries(
        {
            f"add_{row}_{p}": st.one_of(value, st.just(""), fuzzing.hostile_scalar)
            for p, value in parts.items()
        }
    )
    return st.one_of(st.just({}), st.just({}), complete, partial)


AVAILABILITY_FIELDS = {
    "window": window_values(),
    **{f"add_{row}": new_time_row(row) for row in range(1, availability_forms.NEW_ROWS + 1)},
}
RSVP_FIELDS = {
    "response": choice(Rsvp.Response.values),
    "kids": st.sampled_from(["", "0"]) | st.sampled_from(["2", "10", "11", "-1"]),
}

# --- the world the forms act on ---------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A value known once the world exists: Ref("maya", "email") is her email address."""

    name: str
    attribute: str = "pk"


@dataclass
class World:
    olivia: object  # organizer of both groups
    maya: object  # member of the group by request, free on Tuesday evenings
    priya: object  # her request to join waits for the organizers
    sara: object  # a member of neither group
    newcomer: object  # signed up, no profile yet
    halfway: object  # a profile, but no weekly times yet
    unconfirmed: object  # her email address waits for its confirmation
    staff: object
    group: object  # by request, with a question, in GROUP_ZONE
    open_group: object
    meetup: object  # tentative until two are going
    series: object  # every Tuesday, three times, in the group by request
    maya_membership: object
    priya_request: object
    blocked: object  # maya blocked her
    maya_message: object  # on the meetup, just posted
    # priya's open reports about olivia, the group, the meetup and maya's message
    member_report: object
    group_report: object
    meetup_report: object
    message_report: object

    @property
    def reports(self) -> list:
        return [self.member_report, self.group_report, self.meetup_report, self.message_report]

    def member_url(self, name: str, who) -> str:
        return reverse(name, args=[who.pk])

    def resolve(self, value):
        if isinstance(value, Ref):
            return str(getattr(getattr(self, value.name), value.attribute))
        return value


@pytest.fixture
def world() -> World:
    olivia, maya, priya, sara = (member() for _ in range(4))
    group = organized_group(
        olivia,
        join_policy=JoinPolicy.REQUEST,
        join_question="How old are your kids?",
        time_zone=GROUP_ZONE.key,
    )
    open_group = organized_group(olivia, join_policy=JoinPolicy.OPEN)
    meetup = MeetupFactory(
        group=group,
        created_by=olivia,
        status=Meetup.Status.TENTATIVE,
        quorum=2,
        quorum_deadline=in_days(6),
    )
    blocked = member()
    profile_services.member_block(blocker=maya, blocked=blocked)
    scheduling_services.calendar_feed_regenerate(member=maya)
    unconfirmed = UserFactory(verified=False)
    EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, primary=True)
    reason = Report.Reason.OTHER
    maya_membership = MembershipFactory(group=group, member=maya)
    maya_message = Message.objects.create(meetup=meetup, author=maya, text="I'll bring snacks")
    return World(
        olivia=olivia,
        maya=maya,
        priya=priya,
        sara=sara,
        newcomer=UserFactory(),
        halfway=ProfileFactory(onboarded_at=None).user,
        unconfirmed=unconfirmed,
        staff=UserFactory(is_staff=True, is_superuser=True),
        group=group,
        open_group=open_group,
        meetup=meetup,
        series=plan_series(group, olivia, count=3),
        maya_membership=maya_membership,
        priya_request=join_request(group, priya, answer="Two toddlers"),
        blocked=blocked,
        member_report=Report.objects.create(reporter=priya, reported_user=olivia, reason=reason),
        group_report=Report.objects.create(reporter=priya, reported_group=group, reason=reason),
        meetup_report=Report.objects.create(reporter=priya, reported_meetup=meetup, reason=reason),
        maya_message=maya_message,
        message_report=Report.objects.create(
            reporter=priya, reported_message=maya_message, reason=reason
        ),
    )


# --- the fuzz table ---------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    who: str | None  # the World attribute of the signed-in member; None: anonymous
    path: Callable[[World], str]
    fields: dict[str, st.SearchStrategy] = field(default_factory=dict)
    form_classes: tuple[type, ...] = ()  # the project's form classes this case goes through
    method: str = "post"
    form_key: str = "form"  # where a re-rendered page has the form in its context
    examples: int = 25
    headers: dict = field(default_factory=dict)
    # How to open the page first, in the same session (allauth's reset link needs it).
    prepare: Callable[[Client, World], str] | None = None
    # The form the view reads, bound to the body: an invalid one must be a rejection.
    oracle: Callable[[QueryDict, World], forms.Form] | None = None
    # A page without errors is the normal answer to the POST (the unsubscribe page).
    answers_with_page: bool = False
    # Bodies that always run first: inputs that once broke the view.
    explicit: tuple[list[tuple[str, object]], ...] = ()
    # After an accepted submission: (what, as posted, as stored) for each value it wrote.
    written: Callable[[QueryDict, World, object], list[tuple]] | None = None
    # The least share of examples drawn without chaos that must be accepted.
    accepted_floor: float = 0.0
    # The level from which a flashed message is a refusal (the admin warns).
    refusal_level: int = constants.ERROR


def _group_url(name: str, group: str = "group") -> Callable[[World], str]:
    return lambda w: reverse(name, args=[getattr(w, group).slug])


def _membership_url(name: str, membership: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.group.slug, getattr(w, membership).pk])


def _meetup_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.meetup.pk])


def _reset_password_link(client: Client, world: World) -> str:
    """Opens the emailed link; allauth keeps the key in the session and sends her on."""
    uid = user_pk_to_url_str(world.maya)
    key = default_token_generator.make_token(world.maya)
    response = client.get(reverse("account_reset_password_from_key", args=[uid, key]))
    assert response.status_code == 302, response
    return response.url


# --- what an accepted submission must have stored ---------------------------------------------
# Each posted value is read the way the form reads it: the last of repeated values, text
# stripped, numbers and ticks as Django's own fields read them.


def _text(data: QueryDict, name: str) -> str:
    return data.get(name, "").strip()


def _letter(data: QueryDict, name: str) -> str:
    """The letter she typed, in either case (a stop after it is fine)."""
    return unicodedata.normalize("NFC", _text(data, name).removesuffix(".")).casefold()


def _number(data: QueryDict, name: str) -> int | None:
    return forms.IntegerField(required=False).clean(data.get(name))


def _ticked(data: QueryDict, name: str) -> bool:
    return forms.BooleanField(required=False).clean(
        forms.CheckboxInput().value_from_datadict(data, {}, name)
    )


def _wall_clock(data: QueryDict, name: str) -> datetime | None:
    text = _text(data, name)
    return datetime.fromisoformat(text).replace(second=0, microsecond=0) if text else None


def _on_group_clock(moment: datetime | None) -> datetime | None:
    return moment.astimezone(GROUP_ZONE).replace(tzinfo=None) if moment else None


def _meetup_written(meetup: Meetup, data: QueryDict) -> list[tuple]:
    kid_mode = data.get("kid_mode")
    kids_take_seats = _ticked(data, "kids_take_seats") and kid_mode == KidMode.KIDS_ALONG
    return [
        ("title", _text(data, "title"), meetup.title),
        *(
            (name, _wall_clock(data, name), _on_group_clock(getattr(meetup, name)))
            for name in ("starts_at", "ends_at", "quorum_deadline")
        ),
        ("kid_mode", kid_mode, meetup.kid_mode),
        ("venue_name", _text(data, "venue_name"), meetup.venue_name),
        ("venue_address", _text(data, "venue_address"), meetup.venue_address),
        ("at_home", _ticked(data, "at_home"), meetup.at_home),
        ("description", _text(data, "description"), meetup.description),
        *(
            (name, _number(data, name), getattr(meetup, name))
            for name in ("capacity", "quorum", "waitlist_cutoff_hours")
        ),
        ("kids_take_seats", kids_take_seats, meetup.kids_take_seats),
    ]


def _new_meetup_written(data: QueryDict, w: World, response) -> list[tuple]:
    new = Meetup.objects.filter(group=w.group, series__isnull=True).exclude(pk=w.meetup.pk)
    return [("meetups created", 1, new.count()), *_meetup_written(new.get(), data)]


def _new_series_written(data: QueryDict, w: World, response) -> list[tuple]:
    """A series when it repeats (its first meetup as posted), else one meetup."""
    repeat = data.get("repeat", "")
    if not repeat:
        return _new_meetup_written(data, w, response)
    new = MeetupSeries.objects.filter(group=w.group).exclude(pk=w.series.pk)
    series = new.get()
    end = data.get("repeat_end") or "never"
    until = forms.DateField().clean(data.get("repeat_until")) if end == "on" else None
    return [
        ("series created", 1, new.count()),
        ("frequency", repeat.removesuffix("_last"), series.frequency),
        ("last", repeat == "monthly_last", series.week_of_month == -1),
        ("until", until, series.ends_on),
        ("count", _number(data, "repeat_count") if end == "after" else None, series.count),
        *_meetup_written(occurrences(series)[0], data),
    ]


def _series_edit_written(data: QueryDict, w: World, response) -> list[tuple]:
    """The series that carries the first meetup on, with what was posted."""
    first = Meetup.objects.select_related("series").get(pk=occurrences(w.series)[0].pk)
    series, start = first.series, forms.TimeField().clean(data.get("start_time"))
    return [
        ("title", _text(data, "title"), series.title),
        ("start_time", start, series.start_time),
        ("first meetup starts", start, _on_group_clock(first.starts_at).time()),
        ("venue_name", _text(data, "venue_name"), series.venue_name),
        ("capacity", _number(data, "capacity"), series.capacity),
        ("description", _text(data, "description"), series.description),
    ]


def _standing_written(data: QueryDict, w: World, response) -> list[tuple]:
    standing = w.series.standing_answers.filter(member=w.maya).exists()
    return [("standing", data.get("standing") == "on", standing)]


def _group_written(group: Group, data: QueryDict) -> list[tuple]:
    return [
        ("name", " ".join(data.get("name", "").split()), group.name),
        ("description", _text(data, "description"), group.description),
        ("size_cap", _number(data, "size_cap"), group.size_cap),
        ("meeting_style", data.get("meeting_style"), group.meeting_style),
        ("join_policy", data.get("join_policy"), group.join_policy),
        ("is_listed", _ticked(data, "is_listed"), group.is_listed),
        ("kids_age_focus", set(data.getlist("kids_age_focus")), set(group.kids_age_focus)),
    ]


def _new_group_written(data: QueryDict, w: World, response) -> list[tuple]:
    new = Group.objects.exclude(pk__in=[w.group.pk, w.open_group.pk])
    return [("groups created", 1, new.count()), *_group_written(new.get(), data)]


def _profile_written(who: str) -> Callable:
    def written(data: QueryDict, w: World, response) -> list[tuple]:
        profile = Profile.objects.get(user=getattr(w, who))
        kids = {band: _number(data, f"kids_{band}") for band in AgeBand.values}
        return [
            ("first_name", _text(data, "first_name"), profile.first_name),
            ("last initial", _letter(data, "last_initial"), profile.last_initial.casefold()),
            ("bio", _text(data, "bio"), profile.bio),
            ("work_pattern", data.get("work_pattern"), profile.work_pattern),
            ("kids", {band: n for band, n in kids.items() if n}, profile.kids),
            ("looking_for", set(data.getlist("looking_for")), set(profile.looking_for)),
        ]

    return written


def _preferences_written(data: QueryDict, w: World, response) -> list[tuple]:
    profile = Profile.objects.get(user=w.maya)
    return [
        ("reminder_timing", data.get("reminder_timing"), profile.reminder_timing),
        (
            "reminder_evening_time",
            data.get("reminder_evening_time"),
            f"{profile.reminder_evening_time:%H:%M}",
        ),
        (
            "reminder_hours_before",
            _number(data, "reminder_hours_before"),
            profile.reminder_hours_before,
        ),
        ("announcements", data.get("announcements"), profile.announcements),
        ("meetup_updates", _ticked(data, "meetup_updates"), profile.meetup_updates),
        (
            "conversation_emails",
            _ticked(data, "conversation_emails"),
            profile.conversation_emails,
        ),
    ]


def _rsvp_written(data: QueryDict, w: World, response) -> list[tuple]:
    answer = Rsvp.objects.get(meetup=w.meetup, member=w.maya)
    response_ = data.get("response")
    kids = 0 if response_ == Rsvp.Response.CANT_GO else _number(data, "kids") or 0
    return [("response", response_, answer.response), ("kids", kids, answer.kids)]


def _request_written(data: QueryDict, w: World, response) -> list[tuple]:
    request = Membership.objects.get(group=w.group, member=w.sara)
    return [
        ("status", Membership.Status.PENDING, request.status),
        ("answer", _text(data, "answer"), request.answer),
    ]


def _report_written(who: str, about: str, target: Callable[[World], object]) -> Callable:
    def written(data: QueryDict, w: World, response) -> list[tuple]:
        report = Report.objects.get(reporter=getattr(w, who))
        return [
            ("reason", data.get("reason"), report.reason),
            ("details", _text(data, "details"), report.details),
            (about, target(w), getattr(report, about)),
            ("status", Report.Status.OPEN, report.status),
        ]

    return written


def _as_message(typed: str | None) -> str:
    """A message as it is stored: one kind of line break, tabs as spaces, no other control
    characters, no blank edges."""
    text = (typed or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs"))
    return kept.strip()


def _message_written(data: QueryDict, w: World, response) -> list[tuple]:
    newest = Message.objects.filter(author=w.maya).latest("pk")
    return [("text", _as_message(data.get("text")), newest.text)]


def _mute_written(data: QueryDict, w: World, response) -> list[tuple]:
    muted = ConversationMute.objects.filter(meetup=w.meetup, member=w.maya).exists()
    return [("muted", data.get("muted") == "yes", muted)]


def _signed_out(data: QueryDict, w: World, response) -> list[tuple]:
    return [("signed in", False, response.wsgi_request.user.is_authenticated)]


def _address_confirmed(data: QueryDict, w: World, response) -> list[tuple]:
    return [("verified", True, EmailAddress.objects.get(user=w.unconfirmed).verified)]


def _moderation_written(data: QueryDict, w: World, response) -> list[tuple]:
    """The reports nobody selected are still open (selecting all of them is another thing)."""
    if forms.BooleanField(required=False).clean(data.get("select_across")):
        return []
    selected = set()
    for value in data.getlist("_selected_action"):
        try:
            selected.add(int(value))
        except ValueError:
            continue
    return [
        (f"report #{report.pk}, not selected", Report.Status.OPEN, report.status)
        for report in Report.objects.filter(pk__in=[r.pk for r in w.reports])
        if report.pk not in selected
    ]


def _confirmation_url(w: World, *, spoiled: bool = False) -> str:
    address = EmailAddress.objects.get(user=w.unconfirmed)
    key = EmailConfirmationHMAC(address).key
    return reverse("account_confirm_email", args=[key + "x" if spoiled else key])


REPORT_FIELDS = {"reason": choice([*Report.Reason.values, "boring"]), "details": prose}
MESSAGE_FIELDS = {
    "text": st.sampled_from(
        [
            "Running 10 minutes late",
            "I'll bring snacks\r\nand juice boxes",
            "Café Lula instead? www.cafelula.com",
            "x" * 2000,
            "\r\n".join(["y" * 99] * 20),
        ]
    )
    | prose
}
MODERATION_ACTIONS = [action.__name__ for action in moderation_admin.ReportAdmin.actions]

CASES = [
    # profiles
    Case(
        "onboarding",
        "newcomer",
        lambda w: reverse("profiles:onboarding"),
        PROFILE_FIELDS,
        form_classes=(profile_forms.ProfileForm,),
        written=_profile_written("newcomer"),
        examples=20,
        explicit=ZIP_EXPLICIT,
    ),
    Case(
        "profile edit",
        "maya",
        lambda w: reverse("profiles:edit"),
        PROFILE_FIELDS,
        form_classes=(profile_forms.ProfileForm,),
        written=_profile_written("maya"),
        examples=25,
        explicit=ZIP_EXPLICIT,
    ),
    Case(
        "notification preferences",
        "maya",
        lambda w: reverse("profiles:notifications"),
        {
            "reminder_timing": choice([*ReminderTiming.values, "weekly"]),
            "reminder_evening_time": st.sampled_from(["20:00", "16:30", "22:30"])
            | st.sampled_from(["23:00", "20:15", "8pm"]),
            "reminder_hours_before": count(1, 48) | count(-1, 50),
            "announcements": choice(Announcements.values),
            "meetup_updates": st.sampled_from(["on", ""]),
            "conversation_emails": st.sampled_from(["on", ""]),
        },
        form_classes=(profile_forms.NotificationPreferencesForm,),
        written=_preferences_written,
        examples=20,
    ),
    Case(
        "account deletion",
        "maya",
        lambda w: reverse("privacy:delete"),
        {"password": passwords},
        form_classes=(privacy_forms.DeleteAccountForm,),
        examples=15,
    ),
    Case(
        "report a member",
        "maya",
        lambda w: w.member_url("moderation:report_member", w.olivia),
        REPORT_FIELDS,
        form_classes=(moderation_forms.ReportForm,),
        written=_report_written("maya", "reported_user", lambda w: w.olivia),
        examples=12,
    ),
    Case(
        "report a group",
        "sara",
        _group_url("moderation:report_group"),
        REPORT_FIELDS,
        form_classes=(moderation_forms.ReportForm,),
        written=_report_written("sara", "reported_group", lambda w: w.group),
        examples=10,
    ),
    Case(
        "report a meetup",
        "maya",
        _meetup_url("moderation:report_meetup"),
        REPORT_FIELDS,
        form_classes=(moderation_forms.ReportForm,),
        written=_report_written("maya", "reported_meetup", lambda w: w.meetup),
        examples=10,
    ),
    Case(
        "report a message",
        "olivia",
        lambda w: reverse("moderation:report_message", args=[w.maya_message.pk]),
        REPORT_FIELDS,
        form_classes=(moderation_forms.ReportForm,),
        written=_report_written("olivia", "reported_message", lambda w: w.maya_message),
        examples=10,
    ),
    Case("block", "maya", lambda w: w.member_url("moderation:block", w.olivia), examples=5),
    Case(
        "unblock",
        "maya",
        lambda w: w.member_url("moderation:unblock", w.blocked),
        {"next": st.sampled_from(["/groups/", "https://evil.example/", "//evil", "/\\evil", ""])},
        explicit=([("next", "0")],),
        examples=12,
    ),
    # groups
    Case(
        "group create",
        "sara",
        lambda w: reverse("groups:create"),
        GROUP_FIELDS,
        form_classes=(group_forms.GroupForm,),
        written=_new_group_written,
        examples=30,
        explicit=ZIP_EXPLICIT,
    ),
    Case(
        "group edit",
        "olivia",
        _group_url("groups:edit"),
        GROUP_FIELDS,
        form_classes=(group_forms.GroupForm,),
        written=lambda data, w, response: _group_written(Group.objects.get(pk=w.group.pk), data),
        examples=25,
        explicit=ZIP_EXPLICIT,
    ),
    Case(
        "join request with an answer",
        "sara",
        _group_url("groups:join"),
        {"answer": prose},
        form_classes=(group_forms.JoinForm,),
        form_key="join_form",
        written=_request_written,
        examples=15,
    ),
    Case(
        "join an open group",
        "sara",
        _group_url("groups:join", "open_group"),
        form_classes=(group_forms.JoinForm,),
        form_key="join_form",
        examples=5,
    ),
    Case(
        "join by invite",
        "sara",
        lambda w: reverse("groups:invite", args=[w.group.slug, w.group.invite_token]),
        {"answer": prose},
        form_classes=(group_forms.JoinForm,),
        form_key="join_form",
        examples=10,
    ),
    Case(
        "approve with a message",
        "olivia",
        _membership_url("groups:approve", "priya_request"),
        {"message": prose},
        form_classes=(group_forms.DecisionForm,),
        oracle=lambda data, w: group_forms.DecisionForm(data),
        examples=15,
    ),
    Case(
        "decline with a message",
        "olivia",
        _membership_url("groups:decline", "priya_request"),
        {"message": prose},
        form_classes=(group_forms.DecisionForm,),
        oracle=lambda data, w: group_forms.DecisionForm(data),
        examples=10,
    ),
    Case(
        "change a role",
        "olivia",
        _membership_url("groups:set_role", "maya_membership"),
        {"role": choice(Membership.Role.values)},
        form_classes=(group_forms.RoleForm,),
        oracle=lambda data, w: group_forms.RoleForm(data),
        examples=12,
    ),
    Case(
        "hand over the group",
        "olivia",
        _group_url("groups:transfer"),
        {"to": st.sampled_from([Ref("maya_membership"), Ref("priya_request"), Ref("olivia")])},
        form_classes=(group_forms.TransferForm,),
        oracle=lambda data, w: group_forms.TransferForm(
            data, group=w.group, viewer=w.olivia, action=""
        ),
        examples=10,
    ),
    Case(
        "remove a member", "olivia", _membership_url("groups:remove", "maya_membership"), examples=5
    ),
    Case("ban a member", "olivia", _membership_url("groups:ban", "maya_membership"), examples=5),
    Case("leave", "maya", _group_url("groups:leave"), examples=5),
    Case("archive", "olivia", _group_url("groups:archive"), examples=5),
    Case("new invite link", "olivia", _group_url("groups:regenerate_invite"), examples=5),
    Case(
        "browse near me",
        "maya",
        lambda w: reverse("groups:browse"),
        {
            "miles": st.sampled_from(["1", "5", "25", "7"]),
            "kids": choice(AgeBand.values),
            "style": choice(["", *MeetingStyle.values]),
            "has_space": st.sampled_from(["on", ""]),
            "q": prose,
            "page": st.sampled_from(["1", "2", "0", "last"]),
        },
        form_classes=(group_forms.BrowseForm,),
        method="get",
        examples=10,
    ),
    # scheduling
    Case(
        "availability",
        "maya",
        lambda w: reverse("profiles:availability"),
        AVAILABILITY_FIELDS,
        form_classes=(availability_forms.AvailabilityForm,),
        examples=20,
    ),
    Case(
        "first availability",
        "halfway",
        lambda w: reverse("profiles:availability"),
        AVAILABILITY_FIELDS,
        form_classes=(availability_forms.AvailabilityForm,),
        examples=12,
    ),
    Case(
        "availability preset",
        "maya",
        lambda w: reverse("profiles:availability_preset"),
        {"preset": choice([*PRESETS, "all-day"])},
        form_classes=(availability_forms.PresetForm,),
        examples=10,
        oracle=lambda data, w: availability_forms.PresetForm(data),
    ),
    Case(
        "meetup create",
        "olivia",
        _group_url("scheduling:meetup_create"),
        MEETUP_FIELDS,
        form_classes=(scheduling_forms.MeetupForm,),
        written=_new_meetup_written,
        accepted_floor=0.3,
        examples=35,
        explicit=([("starts_at", "9999-12-31T23:59")],),
    ),
    Case(
        "meetup series create",
        "olivia",
        _group_url("scheduling:meetup_create"),
        SERIES_FIELDS,
        form_classes=(scheduling_forms.NewMeetupForm,),
        written=_new_series_written,
        accepted_floor=0.15,  # the meetup's own refusals, and the repeat's on top
        examples=35,
        explicit=(
            [("repeat", "weekly"), ("repeat_end", "after"), ("repeat_count", "\u0663")],
            [("repeat", "monthly"), ("repeat_end", "on"), ("repeat_until", "9999-12-31")],
        ),
    ),
    Case(
        "plan a meetup (suggested times)",
        "olivia",
        _group_url("scheduling:meetup_create"),
        {
            "duration": choice(["60", "90", "45"]),
            "mode": choice(["either", "kid_free", "x"]),
            "horizon": choice(["7", "14", "60"]),
            "starts_at": local_times(),
            "ends_at": local_times(),
            "kid_mode": choice(KidMode.values),
            "repeat": choice(["", "weekly", "biweekly", "monthly", "daily"]),
        },
        form_classes=(scheduling_forms.SuggestForm,),
        method="get",
        examples=8,
    ),
    Case(
        "meetup edit this and following",
        "olivia",
        lambda w: reverse("scheduling:meetup_edit_following", args=[occurrences(w.series)[0].pk]),
        SERIES_EDIT_FIELDS,
        form_classes=(scheduling_forms.SeriesEditForm,),
        written=_series_edit_written,
        accepted_floor=0.2,
        examples=25,
    ),
    Case(
        "I'm in every week",
        "maya",
        lambda w: reverse("scheduling:series_standing", args=[w.series.pk]),
        STANDING_FIELDS,
        form_classes=(scheduling_forms.StandingForm,),
        oracle=lambda data, w: scheduling_forms.StandingForm(data),
        written=_standing_written,
        examples=12,
    ),
    Case(
        "I'm in every week with htmx",
        "maya",
        lambda w: reverse("scheduling:series_standing", args=[w.series.pk]),
        STANDING_FIELDS,
        form_classes=(scheduling_forms.StandingForm,),
        headers={"HX-Request": "true"},
        oracle=lambda data, w: scheduling_forms.StandingForm(data),
        written=_standing_written,
        examples=12,
    ),
    Case(
        "end a series",
        "olivia",
        lambda w: reverse("scheduling:series_end", args=[w.series.pk]),
        {"reason": prose},
        form_classes=(scheduling_forms.CancelForm,),
        examples=8,
    ),
    Case(
        "meetup edit",
        "olivia",
        _meetup_url("scheduling:meetup_edit"),
        MEETUP_FIELDS,
        form_classes=(scheduling_forms.MeetupForm,),
        written=lambda data, w, response: _meetup_written(Meetup.objects.get(pk=w.meetup.pk), data),
        accepted_floor=0.3,
        examples=30,
        explicit=([("quorum_deadline", "9999-12-31T23:59")],),
    ),
    Case(
        "meetup cancel",
        "olivia",
        _meetup_url("scheduling:meetup_cancel"),
        {"reason": prose},
        form_classes=(scheduling_forms.CancelForm,),
        examples=10,
    ),
    Case(
        "RSVP",
        "maya",
        _meetup_url("scheduling:rsvp"),
        RSVP_FIELDS,
        form_classes=(scheduling_forms.RsvpForm,),
        oracle=lambda data, w: scheduling_forms.RsvpForm(data),
        written=_rsvp_written,
        examples=15,
    ),
    Case(
        "RSVP with htmx",
        "maya",
        _meetup_url("scheduling:rsvp"),
        RSVP_FIELDS,
        form_classes=(scheduling_forms.RsvpForm,),
        headers={"HX-Request": "true"},
        oracle=lambda data, w: scheduling_forms.RsvpForm(data),
        written=_rsvp_written,
        examples=15,
    ),
    Case(
        "RSVP from an email",
        None,
        lambda w: reverse(
            "notifications:email_rsvp",
            args=[links.rsvp_token(member=w.maya, meetup=w.meetup)],
        ),
        RSVP_FIELDS,
        form_classes=(scheduling_forms.RsvpForm,),
        oracle=lambda data, w: scheduling_forms.RsvpForm(data),
        written=_rsvp_written,
        examples=15,
    ),
    Case(
        "can't go this week from an email",
        None,
        lambda w: reverse(
            "notifications:email_skip",
            args=[links.rsvp_token(member=w.maya, meetup=occurrences(w.series)[0])],
        ),
        {"response": choice(Rsvp.Response.values)},
        examples=6,
    ),
    Case(
        "unsubscribe from an email",
        None,
        lambda w: reverse(
            "notifications:email_unsubscribe",
            args=[links.unsubscribe_token(member=w.maya, topic=kinds.REMINDERS)],
        ),
        {"List-Unsubscribe": st.just("One-Click")},
        answers_with_page=True,
        examples=5,
    ),
    Case(
        "new calendar link", "maya", lambda w: reverse("scheduling:calendar_new_link"), examples=5
    ),
    # conversation
    Case(
        "post a message",
        "maya",
        _meetup_url("conversation:messages"),
        MESSAGE_FIELDS,
        form_classes=(conversation_forms.MessageForm,),
        oracle=lambda data, w: conversation_forms.MessageForm(data),
        written=_message_written,
        accepted_floor=0.6,
        examples=25,
    ),
    Case(
        "edit a message",
        "maya",
        lambda w: reverse("conversation:edit", args=[w.maya_message.pk]),
        MESSAGE_FIELDS,
        form_classes=(conversation_forms.MessageForm,),
        oracle=lambda data, w: conversation_forms.MessageForm(data),
        written=_message_written,
        examples=20,
    ),
    Case(
        "mute a conversation",
        "maya",
        _meetup_url("conversation:mute"),
        {"muted": st.sampled_from(["yes", "no"])},
        form_classes=(conversation_forms.MuteForm,),
        written=_mute_written,
        examples=10,
    ),
    Case(
        "delete a message",
        "maya",
        lambda w: reverse("conversation:delete", args=[w.maya_message.pk]),
        examples=5,
    ),
    Case(
        "hide a message",
        "olivia",
        lambda w: reverse("conversation:hide", args=[w.maya_message.pk]),
        examples=5,
    ),
    # accounts (allauth)
    Case(
        "log out",
        "maya",
        lambda w: reverse("account_logout"),
        {"next": st.sampled_from(["/groups/", "https://evil.example/", "//evil.example/", ""])},
        written=_signed_out,
        examples=6,
    ),
    Case(
        "confirm an email address",
        None,
        _confirmation_url,
        written=_address_confirmed,
        examples=5,
    ),
    Case(
        "confirm an email address, signed in as another member",
        "maya",
        _confirmation_url,
        written=_address_confirmed,
        examples=3,
    ),
    Case(
        "confirm an email address with a spoiled key",
        None,
        lambda w: _confirmation_url(w, spoiled=True),
        examples=3,
    ),
    Case(
        "sign-up",
        None,
        lambda w: reverse("account_signup"),
        {"email": emails, "password1": passwords, "password2": passwords},
        form_classes=(account_forms.SignupForm,),
        examples=20,
    ),
    Case(
        "log in",
        None,
        lambda w: reverse("account_login"),
        {
            "login": st.just(Ref("maya", "email")) | emails,
            "password": st.just(PASSWORD) | passwords,
            "remember": st.sampled_from(["on", ""]),
        },
        form_classes=(account_forms.LoginForm,),
        examples=15,
    ),
    Case(
        "ask for a login code",
        None,
        lambda w: reverse("account_request_login_code"),
        {"email": st.just(Ref("maya", "email")) | emails},
        form_classes=(account_forms.RequestLoginCodeForm,),
        examples=10,
    ),
    Case(
        "password reset",
        None,
        lambda w: reverse("account_reset_password"),
        {"email": emails},
        examples=10,
    ),
    Case(
        "password reset from the emailed key",
        None,
        lambda w: "",
        {"password1": passwords, "password2": passwords},
        prepare=_reset_password_link,
        examples=10,
    ),
    Case(
        "password change",
        "maya",
        lambda w: reverse("account_change_password"),
        {"oldpassword": passwords, "password1": passwords, "password2": passwords},
        examples=12,
    ),
    Case(
        "add an email address",
        "maya",
        lambda w: reverse("account_email"),
        {"email": emails, "action_add": st.just("")},
        examples=12,
    ),
    Case(
        "reauthenticate",
        "maya",
        lambda w: reverse("account_reauthenticate"),
        {"password": passwords},
        examples=8,
    ),
    # staff
    Case(
        "admin: add a user",
        "staff",
        lambda w: reverse("admin:profiles_user_add"),
        {
            "email": emails,
            "password1": passwords,
            "password2": passwords,
        },
        form_classes=(profile_admin.UserCreationForm,),
        form_key="adminform",
        examples=12,
    ),
    Case(
        "admin: edit a user",
        "staff",
        lambda w: reverse("admin:profiles_user_change", args=[w.sara.pk]),
        {
            "email": emails,
            "is_active": st.sampled_from(["on", ""]),
            "is_staff": st.sampled_from(["on", ""]),
            "is_superuser": st.sampled_from(["on", ""]),
        },
        form_classes=(profile_admin.UserEditForm,),
        form_key="adminform",
        examples=12,
    ),
    Case(
        "admin: moderate reports",
        "staff",
        lambda w: reverse("admin:moderation_report_changelist"),
        {
            "action": st.sampled_from(MODERATION_ACTIONS)
            | st.sampled_from(["delete_selected", "", "ban"]),
            "_selected_action": st.lists(
                st.sampled_from(
                    [
                        Ref("member_report"),
                        Ref("group_report"),
                        Ref("meetup_report"),
                        Ref("message_report"),
                        Ref("meetup"),
                        Ref("olivia"),
                        "0",
                        "99999",
                    ]
                ),
                min_size=1,
                max_size=3,
                unique=True,
            ),
            "index": st.just("0"),
            "select_across": st.sampled_from(["0", "0", "0", "1"]),
        },
        written=_moderation_written,
        refusal_level=constants.WARNING,
        answers_with_page=True,  # a POST that is no action is the list, shown again
        explicit=(
            [("action", "report_dismiss"), ("index", "0"), ("_selected_action", "abc")],
            [("action", "report_warn"), ("index", "0"), ("_selected_action", "1.5")],
        ),
        examples=20,
    ),
]


# --- the properties ---------------------------------------------------------------------------

FUZZ_SETTINGS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "print_blob": False,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@dataclass
class Outcome:
    rejected_by: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _context_form(response, key: str):
    context = response.context
    if context is None or key not in context:
        return None
    form = context[key]
    return getattr(form, "form", form)  # the admin wraps its form


def _notice(response) -> tuple[int, str] | None:
    """The answer an RSVP view renders in place: (level, text)."""
    context = response.context
    if context is None or "notice" not in context or not context["notice"]:
        return None
    notice = context["notice"]
    return notice if isinstance(notice, tuple) else (constants.INFO, notice)


def judge(case: Case, response, *, invalid: bool, changed: list[str]) -> Outcome:
    """Why the submission was refused (if it was), and what is wrong with how."""
    outcome = Outcome()
    html = response.content.decode("utf-8", "replace")
    if response.status_code >= 400:
        outcome.rejected_by.append(f"status {response.status_code}")
    form = _context_form(response, case.form_key)
    # A GET form (the filters of a list) falls back to its defaults, quietly by design.
    if case.method == "post" and form is not None and form.is_bound and form.errors:
        outcome.rejected_by.append("the form came back with errors")
        if not fuzzing.shows_error_markup(html):
            outcome.problems.append("the re-rendered form shows no error markup")
        hidden = fuzzing.missing_errors(form, html)
        if hidden:
            outcome.problems.append(f"errors not shown on the page: {hidden}")
    flashed = fuzzing.flashed(response)
    refusals = [str(message) for message in flashed if message.level >= case.refusal_level]
    if any(not message.strip() for message in refusals):
        outcome.problems.append("an empty error message")
    # Some of a batch done and some refused (an admin action) is no refusal of the whole.
    if not any(message.level == constants.SUCCESS for message in flashed):
        outcome.rejected_by.extend(f"message {message!r}" for message in refusals)
    notice = _notice(response)
    if notice and (notice[0] >= constants.ERROR or invalid):
        outcome.rejected_by.append(f"notice {notice[1]!r}")
        if not notice[1].strip() or escape(notice[1]) not in html:
            outcome.problems.append(f"the notice {notice[1]!r} is not on the page")
    if invalid and not outcome.rejected_by:
        outcome.problems.append("an invalid form was not refused with a message")
    if (
        case.method == "post"
        and response.status_code == 200
        and not outcome.rejected_by
        and notice is None
        and not case.answers_with_page
    ):
        outcome.problems.append("a 200 answer to a POST that shows no error")
    if (outcome.rejected_by or case.method == "get") and changed:
        outcome.problems.append(f"rejected, yet these tables changed: {changed}")
    location = response.headers.get("Location")
    if location and not url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}):
        outcome.problems.append(f"sends her off the site, to {location!r}")
    return outcome


def wrong_writes(case: Case, data: QueryDict, world: World, response) -> list[str]:
    """What an accepted submission stored otherwise than it was posted."""
    return [
        f"{what}: posted {posted!r}, stored {stored!r}"
        for what, posted, stored in case.written(data, world, response)
        if posted != stored
    ]


def submit(case: Case, world: World, pairs: list[tuple[str, object]]) -> bool:
    """One example: sign in, post, judge; everything it wrote is rolled back. Returns whether
    the submission was accepted."""
    crashes: list[str] = []

    def record_crash(sender, **kwargs):
        crashes.append("".join(traceback.format_exception(*sys.exc_info())))

    body = fuzzing.form_body([(name, world.resolve(value)) for name, value in pairs])
    got_request_exception.connect(record_crash)
    try:
        with fuzzing.rolled_back():
            client = Client(raise_request_exception=False)
            if case.who:
                client.force_login(getattr(world, case.who))
            path = case.prepare(client, world) if case.prepare else case.path(world)
            # Judged before the request: an accepted one changes what is valid (a transfer).
            data = QueryDict(body)
            invalid = case.oracle is not None and not case.oracle(data, world).is_valid()
            before = fuzzing.snapshot()
            if case.method == "get":
                response = client.get(f"{path}?{body}", headers=case.headers)
            else:
                response = client.generic(
                    "POST",
                    path,
                    body,
                    content_type="application/x-www-form-urlencoded",
                    headers=case.headers,
                )
            where = f"{case.method.upper()} {path}\nbody: {body[:600]}"
            crashed = response.status_code >= 500 or bool(crashes)
            assert not crashed, f"{case.name}: {response.status_code} for {where}\n" + "\n".join(
                crashes
            )
            changed = fuzzing.changed_tables(before, fuzzing.snapshot())
            outcome = judge(case, response, invalid=invalid, changed=changed)
            accepted = not outcome.rejected_by
            if accepted and case.written:
                outcome.problems.extend(wrong_writes(case, data, world, response))
            event("accepted" if accepted else "rejected")
            assert outcome.problems == [], (
                f"{case.name}: status {response.status_code}, rejected by "
                f"{outcome.rejected_by or 'nothing'}, for {where}"
            )
    finally:
        got_request_exception.disconnect(record_crash)
    return accepted


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_form_submission_crashes_leaks_or_fails_silently(case, world):
    calm: list[bool] = []  # accepted or not, for each example drawn without chaos

    @settings(max_examples=case.examples, **FUZZ_SETTINGS)
    @given(payload=fuzzing.payloads(case.fields))
    def fuzz(payload):
        accepted = submit(case, world, payload.pairs)
        if payload.chaos == 0:
            calm.append(accepted)

    for pairs in case.explicit:
        fuzz = example(payload=fuzzing.Payload(pairs, chaos=100))(fuzz)
    fuzz()
    if case.accepted_floor:
        # Valid-looking values that are always refused would leave the saving path unexplored.
        assert calm, "no example was drawn without chaos"
        assert sum(calm) / len(calm) >= case.accepted_floor, (
            f"{sum(calm)} of {len(calm)} examples drawn without chaos were accepted"
        )


def _project_forms() -> set[type]:
    """Every Form and ModelForm class defined in the project's own apps."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_PACKAGES):
            continue
        package = importlib.import_module(config.name)
        for module_info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if {"tests", "migrations"} & set(module_info.name.split(".")):
                continue
            module = importlib.import_module(module_info.name)
            found |= {
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            }
    return found


def test_every_form_of_the_project_is_in_the_fuzz_table():
    defined = _project_forms()
    assert group_forms.GroupForm in defined  # the search finds forms at all
    covered = {form for case in CASES for form in case.form_classes}
    assert sorted(form.__qualname__ for form in defined - covered) == []


def test_the_judge_flags_a_write_after_a_refusal_and_a_page_without_errors(world):
    """The properties above can fail: a refused form with a changed table, a refusal whose
    error is not on the page, and a 200 answer to a POST that shows nothing."""
    cases = {case.name: case for case in CASES}
    client = Client()
    client.force_login(world.maya)
    refused = client.post(reverse("profiles:edit"), {"bio": "Missing everything else"})
    edit = cases["profile edit"]
    assert judge(edit, refused, invalid=False, changed=[]).problems == []
    assert judge(edit, refused, invalid=False, changed=["profiles_profile"]).problems == [
        "rejected, yet these tables changed: ['profiles_profile']"
    ]
    assert fuzzing.missing_errors(refused.context["form"], "<p>Nothing here</p>") != []
    unsubscribe = cases["unsubscribe from an email"]
    page = Client().post(unsubscribe.path(world))
    assert judge(unsubscribe, page, invalid=False, changed=[]).problems == []
    silent = replace(unsubscribe, answers_with_page=False)
    assert judge(silent, page, invalid=False, changed=[]).problems == [
        "a 200 answer to a POST that shows no error"
    ]
    assert judge(silent, page, invalid=True, changed=[]).problems[0] == (
        "an invalid form was not refused with a message"
    )


def test_a_write_other_than_the_post_is_flagged(world):
    """The check of accepted submissions can fail: a title other than the one posted, and a
    start read on another clock than the group's."""
    edit = next(case for case in CASES if case.name == "meetup edit")
    starts_at = world.meetup.starts_at

    def wrong(title: str, zone: ZoneInfo) -> list[str]:
        posted = QueryDict(
            urlencode({"title": title, "starts_at": _wall(starts_at.astimezone(zone))})
        )
        problems = wrong_writes(edit, posted, world, None)
        return [problem.split(":")[0] for problem in problems if problem.startswith(("t", "s"))]

    assert wrong(f"  {world.meetup.title} ", GROUP_ZONE) == []
    assert wrong("Book club", ZoneInfo("Europe/Paris")) == ["title", "starts_at"]

"""One small site with a woman in every position a page can meet, for the authorization matrix.

"Staff" is a member of the MomCircle team with a profile of her own, in no group.
"Blocked" is a former member: the organizer blocked her and removed her from the group, so she
holds no membership and the block is what keeps her from coming back. "Unverified" signed up
but never confirmed her email, so allauth does not let her sign in.
"""

import copy
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from groups.models import JoinPolicy, Membership
from groups.services import membership_remove
from momcircle.conversation.models import Message
from momcircle.moderation.models import Report
from momcircle.notifications.kinds import REMINDERS
from momcircle.notifications.links import rsvp_token, unsubscribe_token
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.profiles.models import Block
from scheduling.models import CalendarFeed, Rsvp
from scheduling.tests.factories import MeetupFactory, in_days
from scheduling.tests.series import occurrences, plan_series
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    UserFactory,
    join_request,
    member,
    organized_group,
)

POSITIONS = (
    "anonymous",
    "unverified",
    "non_member",
    "pending",
    "member",
    "co_organizer",
    "organizer",
    "blocked",
    "staff",
)


@dataclass
class World:
    """Our group with a woman in every position, and another group with its own people for
    IDOR attempts. `unverified_cookies` are what the unverified woman's browser holds after
    she tried the login form."""

    group: object
    meetup: object
    series: object  # weekly, nobody in it every week yet
    people: dict
    other_group: object
    other_meetup: object
    other_series: object
    other_member: object
    other_request: Membership
    message: Message  # Maya's, on our meetup, just posted
    other_message: Message  # Ella's, on the other group's meetup
    report: Report
    outbox_message: OutboxMessage
    permission_group: PermissionGroup
    unverified_cookies: object

    def person(self, position: str):
        return self.people[position]

    @property
    def member(self):
        return self.people["member"]

    @property
    def organizer(self):
        return self.people["organizer"]

    @property
    def occurrence(self):
        """The first meetup of the series."""
        return occurrences(self.series)[0]

    @property
    def other_occurrence(self):
        return occurrences(self.other_series)[0]

    @property
    def request(self) -> Membership:
        return Membership.objects.get(group=self.group, member=self.people["pending"])

    def membership_of(self, position: str) -> Membership:
        return Membership.objects.get(group=self.group, member=self.people[position])


def build_world() -> World:
    organizer = member(first_name="Olivia")
    group = organized_group(
        organizer,
        name="Lincoln Park Evenings",
        slug="lincoln-park-evenings",
        join_policy=JoinPolicy.REQUEST,
        join_question="How old are your kids?",
        size_cap=8,
    )
    co_organizer = MembershipFactory(
        group=group, member=member(first_name="Corinne"), role=Membership.Role.CO_ORGANIZER
    ).member
    maya = MembershipFactory(group=group, member=member(first_name="Maya")).member
    bea = MembershipFactory(group=group, member=member(first_name="Bea")).member
    pending = join_request(group, member(first_name="Priya"), answer="A toddler.").member
    meetup = MeetupFactory(group=group, created_by=organizer, title="Patio night")
    for woman in (organizer, maya, bea):
        Rsvp.objects.create(meetup=meetup, member=woman, response=Rsvp.Response.GOING)
    Block.objects.create(blocker=organizer, blocked=bea)
    membership_remove(membership=Membership.objects.get(group=group, member=bea), by=organizer)

    unverified = UserFactory(email="uma@example.com", verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    staff = member(first_name="Stella", user__email="team@momcircle.example", user__is_staff=True)
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    people = {
        "unverified": unverified,
        "non_member": member(first_name="Sara"),
        "pending": pending,
        "member": maya,
        "co_organizer": co_organizer,
        "organizer": organizer,
        "blocked": bea,
        "staff": staff,
    }
    for woman in (maya, organizer):
        CalendarFeed.objects.create(member=woman)

    other_organizer = member(first_name="Edith")
    other_group = organized_group(
        other_organizer, name="Wicker Park Mornings", slug="wicker-park-mornings"
    )
    other_member = MembershipFactory(group=other_group, member=member(first_name="Ella")).member
    other_request = join_request(other_group, member(first_name="Fay"))
    other_meetup = MeetupFactory(group=other_group, created_by=other_organizer, title="Swings")
    Rsvp.objects.create(meetup=other_meetup, member=other_member, response=Rsvp.Response.GOING)

    return World(
        group=group,
        meetup=meetup,
        series=plan_series(group, organizer, count=3, title="Tuesday walks"),
        people=people,
        other_group=other_group,
        other_meetup=other_meetup,
        other_series=plan_series(other_group, other_organizer, count=3, title="Swing Tuesdays"),
        other_member=other_member,
        other_request=other_request,
        message=Message.objects.create(meetup=meetup, author=maya, text="I'll bring snacks"),
        other_message=Message.objects.create(
            meetup=other_meetup, author=other_member, text="See you at the swings"
        ),
        report=Report.objects.create(
            reporter=maya, reported_group=other_group, reason=Report.Reason.SPAM
        ),
        outbox_message=OutboxMessage.objects.create(
            recipient=maya,
            subject=subject_key(meetup),
            kind="reminder_evening",
            due_at=in_days(6),
            next_attempt_at=in_days(6),
        ),
        permission_group=PermissionGroup.objects.create(name="Moderators"),
        unverified_cookies=try_to_sign_in(Client(), unverified).client.cookies,
    )


@contextmanager
def rolled_back_world(django_db_blocker):
    """The world, built inside a transaction that is rolled back at the end, with a fast
    password hasher and rate-limit counters of its own (a cache namespace)."""
    quick_and_private = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"world-{uuid.uuid4().hex}"}
        },
    )
    with django_db_blocker.unblock(), quick_and_private, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def try_to_sign_in(client, woman):
    """The login form, as she fills it in."""
    return client.post(reverse("account_login"), {"login": woman.email, "password": PASSWORD})


def sign_in(client, world: World, position: str) -> None:
    """Gives the client the session she would have. The unverified woman has the browser she
    was left with after trying the login form (see World.unverified_cookies)."""
    if position == "unverified":
        client.cookies = copy.deepcopy(world.unverified_cookies)
    elif position != "anonymous":
        client.force_login(world.person(position))


def email_rsvp_token(woman, meetup) -> str:
    return rsvp_token(member=woman, meetup=meetup)


def email_unsubscribe_token(woman) -> str:
    return unsubscribe_token(member=woman, topic=REMINDERS)


def content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


# What a refused request must leave alone: every row the site keeps, minus the login stamp.
WATCHED_APPS = (
    "profiles",
    "groups",
    "scheduling",
    "conversation",
    "moderation",
    "outbox",
    "account",
    "auth",
    "admin",
)
IGNORED_COLUMNS = {"last_login"}


def _fingerprint_sql() -> tuple[list[str], str]:
    quote = connection.ops.quote_name
    labels, parts = [], []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            columns = [
                quote(f.column)
                for f in model._meta.concrete_fields
                if f.column not in IGNORED_COLUMNS
            ]
            rows = f"row({', '.join(columns)})::text"
            order = quote(model._meta.pk.column)
            table = quote(model._meta.db_table)
            labels.append(model._meta.label)
            parts.append(
                f"(SELECT md5(coalesce(string_agg({rows}, '|' ORDER BY {order}), '')) FROM {table})"
            )
    return labels, "SELECT " + ", ".join(parts)


def database_state() -> dict[str, str]:
    """A digest of every watched table, in one query."""
    labels, sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [label for label in before if before[label] != after[label]]

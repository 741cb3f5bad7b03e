"""A few meetups of the demo city with short conversations on their pages, in the groups of
the first demo member (the login `make run` prints) first. Written straight to the tables like
the rest of the demo city, so seeding sends no email; running it again adds nothing."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from groups.models import Group, Membership
from momcircle.conversation.models import Message
from momcircle.profiles.models import KidMode
from scheduling.models import Meetup, Rsvp

# (title, days ahead, start, hours, kid mode, place, the conversation: (who, minutes ago, text)
# where who is 0 for the organizer and n for the group's nth member).
SCENES = [
    (
        "Moms' night out at Café Lula",
        3,
        time(20, 30),
        2,
        KidMode.KID_FREE,
        "Café Lula",
        [
            (0, 180, "Booked a big table by the window. Their patio heaters are on, too."),
            (1, 150, "I'll be there! Can someone save me a seat? Bedtime runs long on Tuesdays."),
            (2, 95, "I'll bring the card game we talked about."),
            (1, 20, "Running 10 minutes late, start without me!"),
        ],
    ),
    (
        "Saturday playground morning",
        5,
        time(9, 30),
        3,
        KidMode.KIDS_ALONG,
        "Humboldt Park playground",
        [
            (0, 240, "Forecast says sunny. Meet by the big slide?"),
            (1, 200, "I'll bring snacks for the kids: apple slices and crackers."),
            (
                2,
                60,
                "If it rains, can we do the café instead? The library has a story hour at 10: "
                "https://www.chicagopubliclibrary.org",
            ),
            (0, 45, "Good idea: the library at 10 if it rains, I'll post here by 8."),
        ],
    ),
    (
        "After-bedtime walk by the lake",
        8,
        time(20, 45),
        1,
        KidMode.KID_FREE,
        "Montrose Harbor, by the bait shop",
        [
            (0, 300, "Same loop as last time, about 45 minutes."),
            (1, 30, "Bringing a flashlight, it gets dark early now."),
        ],
    ),
]
GOING_PER_MEETUP = 4


def _groups_to_talk_in(first_member_id: int, group_ids: list[int]) -> list[Group]:
    hers = list(
        Group.objects.filter(
            pk__in=group_ids, memberships__member_id=first_member_id, memberships__status="active"
        ).order_by("pk")
    )
    others = Group.objects.filter(pk__in=group_ids).exclude(pk__in=[g.pk for g in hers])
    return [*hers, *others.order_by("pk")][: len(SCENES)]


def _people_of(group: Group) -> list[int]:
    """The organizer first, then the others in the order they joined."""
    memberships = Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
    organizer = memberships.get(role=Membership.Role.ORGANIZER).member_id
    others = memberships.exclude(member_id=organizer).order_by("joined_at", "pk")
    return [organizer, *others.values_list("member_id", flat=True)]


def _meetup(group: Group, scene, people: list[int], now: datetime) -> Meetup:
    """The scene's meetup of the group, with the first few of its people going."""
    title, days, start, hours, kid_mode, place, _ = scene
    zone = ZoneInfo(group.time_zone)
    starts_at = datetime.combine(now.astimezone(zone).date() + timedelta(days=days), start, zone)
    meetup, created = Meetup.objects.get_or_create(
        group=group,
        title=title,
        defaults={
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "kid_mode": kid_mode,
            "venue_name": place,
            "created_by_id": people[0],
        },
    )
    if created:
        Rsvp.objects.bulk_create(
            Rsvp(meetup=meetup, member_id=member_id, response=Rsvp.Response.GOING)
            for member_id in people[:GOING_PER_MEETUP]
        )
    return meetup


def seed_conversations(*, first_member_id: int, group_ids: list[int]) -> int:
    """Returns how many messages it wrote (none when they are there already)."""
    now = timezone.now()
    written = 0
    for group, scene in zip(_groups_to_talk_in(first_member_id, group_ids), SCENES, strict=False):
        people = _people_of(group)
        meetup = _meetup(group, scene, people, now)
        if Message.objects.filter(meetup=meetup).exists():
            continue
        lines = [
            Message(
                meetup=meetup,
                author_id=people[who % len(people)],
                text=text,
                created_at=now - timedelta(minutes=ago),
            )
            for who, ago, text in scene[-1]
        ]
        written += len(Message.objects.bulk_create(lines))
    return written

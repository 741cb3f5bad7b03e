import time
from datetime import time as clock
from datetime import timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from groups.models import Group, GroupWeek, Membership
from groups.services import group_weeks_refresh
from momcircle.availability.recurrence import MONTHLY, monthly_position
from momcircle.availability.slots import weekly_slot_mask
from momcircle.availability.windows import merge_windows
from momcircle.conversation.models import Message
from momcircle.demo import city as demo_city
from momcircle.demo.conversations import seed_conversations
from momcircle.profiles.models import AvailabilityWindow, Profile, WeeklyFreeSlots
from scheduling.models import Meetup, MeetupSeries, Rsvp, StandingAnswer
from scheduling.services import series_keep_horizon

BATCH = 2000
# Besides the user model: the tables the demo city fills.
FILLED = (
    EmailAddress, Profile, AvailabilityWindow, WeeklyFreeSlots, Group, Membership, GroupWeek,
    Meetup, Rsvp, Message, MeetupSeries, StandingAnswer,
)  # fmt: skip


class Command(BaseCommand):
    help = "Fill a realistic demo metro area (Chicago) with working moms and their groups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=300)
        parser.add_argument("--groups", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, members: int, groups: int, seed: int, **options) -> None:
        self.quiet = options["verbosity"] < 1
        started = time.perf_counter()
        people = demo_city.generate_members(members, seed)
        circles = demo_city.generate_groups(groups, seed, people)
        plans = demo_city.generate_series(circles, seed)
        with transaction.atomic():
            user_ids = self._users(people)
            self._profiles(people, user_ids)
            self._windows(people, user_ids)
            group_ids = self._groups(circles, user_ids)
            self._series(circles, plans, group_ids, user_ids)
            seed_conversations(
                first_member_id=user_ids[people[0].number], group_ids=list(group_ids.values())
            )
        self._analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ready: {members} members, {len(circles)} groups "
                f"({len(plans)} with a recurring meetup) "
                f"in {time.perf_counter() - started:.1f} s. "
                f"Log in as {people[0].email} / {demo_city.PASSWORD}"
            )
        )

    def _analyze(self) -> None:
        """Bulk inserts leave PostgreSQL's statistics behind until autovacuum comes by, and
        plans made on them (a table of 200,000 rows taken for an empty one) can be far off."""
        tables = [model._meta.db_table for model in (get_user_model(), *FILLED)]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))

    def _batches(self, rows: list, description: str):
        with tqdm(
            total=len(rows), desc=description, unit="row", file=self.stderr, disable=self.quiet
        ) as bar:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                yield batch
                bar.update(len(batch))

    def _users(self, people) -> dict[int, int]:
        User = get_user_model()
        password = make_password(demo_city.PASSWORD)
        now = timezone.now()
        rows = [User(email=p.email, password=password, date_joined=now) for p in people]
        for batch in self._batches(rows, "members"):
            User.objects.bulk_create(batch, ignore_conflicts=True)
        ids = dict(
            User.objects.filter(email__endswith=f"@{demo_city.EMAIL_DOMAIN}").values_list(
                "email", "pk"
            )
        )
        addresses = [
            EmailAddress(user_id=ids[p.email], email=p.email, verified=True, primary=True)
            for p in people
        ]
        for batch in self._batches(addresses, "email addresses"):
            EmailAddress.objects.bulk_create(batch, ignore_conflicts=True)
        return {p.number: ids[p.email] for p in people}

    def _profiles(self, people, user_ids: dict[int, int]) -> None:
        now = timezone.now()
        rows = [
            Profile(
                user_id=user_ids[p.number],
                first_name=p.first_name,
                last_initial=p.last_initial,
                zip_code=p.zip_code,
                latitude=p.latitude,
                longitude=p.longitude,
                time_zone=demo_city.TIME_ZONE,
                work_pattern=p.work_pattern,
                kids=p.kids,
                looking_for=p.looking_for,
                interests=p.interests,
                onboarded_at=now,
            )
            for p in people
        ]
        for batch in self._batches(rows, "profiles"):
            Profile.objects.bulk_create(batch, ignore_conflicts=True)

    def _windows(self, people, user_ids: dict[int, int]) -> None:
        has_windows = set(
            AvailabilityWindow.objects.filter(member_id__in=user_ids.values())
            .values_list("member_id", flat=True)
            .distinct()
        )
        rows = [
            AvailabilityWindow(
                member_id=user_ids[p.number],
                weekday=w.weekday,
                start_minute=w.start,
                end_minute=w.end,
                mode=w.mode,
            )
            for p in people
            if user_ids[p.number] not in has_windows
            for w in merge_windows(p.windows)
        ]
        for batch in self._batches(rows, "weekly windows"):
            AvailabilityWindow.objects.bulk_create(batch)
        weeks = [
            WeeklyFreeSlots(member_id=user_ids[p.number], slots=sorted(weekly_slot_mask(p.windows)))
            for p in people
        ]
        for batch in self._batches(weeks, "weekly slots"):
            WeeklyFreeSlots.objects.bulk_create(batch, ignore_conflicts=True)

    def _groups(self, circles, user_ids: dict[int, int]) -> dict[str, int]:
        rows = [
            Group(
                name=c.name,
                slug=c.slug,
                description=(
                    f"Working moms around {c.place} who would rather meet than "
                    "scroll. Small, friendly, and planned around bedtimes and naps."
                ),
                zip_code=c.zip_code,
                latitude=c.latitude,
                longitude=c.longitude,
                time_zone=demo_city.TIME_ZONE,
                meeting_style=c.meeting_style,
                kids_age_focus=c.kids_age_focus,
                size_cap=c.size_cap,
                join_policy=c.join_policy,
                join_question="Which ages are your kids, and what would you enjoy doing?"
                if c.join_policy == "request"
                else "",
            )
            for c in circles
        ]
        for batch in self._batches(rows, "groups"):
            Group.objects.bulk_create(batch, ignore_conflicts=True)
        group_ids = dict(
            Group.objects.filter(slug__in=[c.slug for c in circles]).values_list("slug", "pk")
        )
        now = timezone.now()
        memberships = []
        for c in circles:
            memberships.append(
                Membership(
                    group_id=group_ids[c.slug],
                    member_id=user_ids[c.organizer],
                    role=Membership.Role.ORGANIZER,
                    joined_at=now,
                )
            )
            memberships.extend(
                Membership(group_id=group_ids[c.slug], member_id=user_ids[n], joined_at=now)
                for n in c.members
            )
        for batch in self._batches(memberships, "memberships"):
            Membership.objects.bulk_create(batch, ignore_conflicts=True)
        if not self.quiet:
            self.stderr.write("Counting who is free when in each group…")
        group_weeks_refresh(group_ids=group_ids.values())
        return group_ids

    def _series(self, circles, plans, group_ids: dict[str, int], user_ids: dict[int, int]) -> None:
        """Each group's recurring meetup once (a group that has one keeps it) from its next
        weekday on, the members in it every time, and its first weeks of meetups made by the
        horizon job as it makes them every hour."""
        by_number = {c.number: c for c in circles}
        have = set(
            MeetupSeries.objects.filter(group_id__in=group_ids.values()).values_list(
                "group_id", flat=True
            )
        )
        today = timezone.localtime(timezone.now(), ZoneInfo(demo_city.TIME_ZONE)).date()
        new = []
        for plan in plans:
            circle = by_number[plan.group]
            if group_ids[circle.slug] in have:
                continue
            first = today + timedelta(days=(plan.weekday - today.weekday() - 1) % 7 + 1)
            series = MeetupSeries(
                group_id=group_ids[circle.slug],
                frequency=plan.frequency,
                week_of_month=monthly_position(first) if plan.frequency == MONTHLY else None,
                starts_on=first,
                start_time=clock(plan.hour, plan.minute),
                length_minutes=plan.minutes,
                title=plan.title,
                venue_name=plan.venue,
                kid_mode=plan.kid_mode,
                created_by_id=user_ids[circle.organizer],
            )
            series.rule.validate()
            new.append((series, plan))
        MeetupSeries.objects.bulk_create([series for series, _ in new])
        StandingAnswer.objects.bulk_create(
            [
                StandingAnswer(series=series, member_id=user_ids[number])
                for series, plan in new
                for number in plan.standing
            ],
            ignore_conflicts=True,
        )
        made = series_keep_horizon()
        if not self.quiet:
            self.stderr.write(f"{len(new)} recurring meetups, {made} of their meetups made.")

"""Writes of circles: her wish, the proposals the engine makes, her answer, a proposal becoming
a group with its first meetup, and the deadlines.

Every rule is checked with the proposal row locked, so answers given at the same moment are
counted one after the other: the circle becomes one group, with the right members. A member
holds at most one live seat (a partial unique constraint), so two runs of the engine can never
propose her into two circles at once; runs also wait for each other (an advisory lock).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import JoinPolicy, MeetingStyle
from groups.services import group_create, membership_join
from momcircle.availability.windows import WeeklyWindow
from momcircle.circles import events
from momcircle.circles.engine import Circle, Seeker, form_circles
from momcircle.circles.first_meetup import MEETUP_LENGTH, first_meetup_start
from momcircle.circles.models import CircleSize, CircleWish, Proposal, ProposalSeat, Radius, Style
from momcircle.circles.seekers import Area, kept_apart, seekers_of, wishes_to_consider
from momcircle.events import send_after_commit
from momcircle.geo import UnknownZip, locate_zip
from momcircle.profiles.models import Block, User
from momcircle.profiles.selectors import weekly_windows_for
from momcircle.profiles.words import window_in_words
from momcircle.rules import RuleBroken
from scheduling.services import MeetupDetails, meetup_create

IN = ProposalSeat.Answer.IN
OUT = ProposalSeat.Answer.OUT
PENDING = ProposalSeat.Answer.PENDING
OPEN = Proposal.Status.OPEN
FORMED = Proposal.Status.FORMED
LAPSED = Proposal.Status.LAPSED

LAPSES_BEFORE_PAUSE = 2
# The first meetup leaves time to answer: two days when proposed, a day when the circle forms.
PROPOSED_LEAD = timedelta(hours=48)
FORMING_LEAD = timedelta(hours=24)
# Those who accepted can still say "going" until shortly before it starts.
QUORUM_BEFORE_START = timedelta(hours=12)
STYLE_OF_MODE = {style.kid_wish: style for style in MeetingStyle if style != MeetingStyle.BOTH}
# Runs of the engine wait for each other on this PostgreSQL advisory lock.
RUN_LOCK = 0x43697263  # "Circ"

CLOSED = _("This circle no longer takes answers.")
NOT_OPEN_TO_YOU = _("This circle is no longer open to you.")
GROUP_ALREADY = _(
    "You're in this circle's group already: to leave it, use “Leave this group” on its page."
)
ELSEWHERE = _("You're already in another proposed circle: answer that one first.")


def _quorum() -> int:
    return settings.CIRCLE_QUORUM


# --- her wish ---------------------------------------------------------------------------------


def _checked(value, choices, sentence: str):
    RuleBroken.unless(value in choices, sentence)
    return value


@transaction.atomic
def wish_save(
    *, member: User, radius_miles: int, size: str, match_kids: bool, style: str
) -> CircleWish:
    """Her wish ("Find me a circle") with what she likes; saving also resumes a pause."""
    RuleBroken.unless(
        getattr(getattr(member, "profile", None), "is_onboarded", False),
        _("Please finish your profile and your week first."),
    )
    wish = CircleWish.objects.select_for_update().filter(member=member).first() or CircleWish(
        member=member
    )
    wish.radius_miles = _checked(radius_miles, Radius.values, _("Choose how far you would go."))
    wish.size = _checked(size, CircleSize.values, _("Choose the size of circle you like."))
    wish.style = _checked(style, Style.values, _("Choose kid-free, kids along or either."))
    wish.match_kids = bool(match_kids)
    _look_again(wish)
    return wish


def _look_again(wish: CircleWish) -> None:
    wish.active, wish.paused_at, wish.lapses = True, None, 0
    wish.save()


def _her_wish(member: User) -> CircleWish:
    wish = CircleWish.objects.select_for_update().filter(member=member).first()
    RuleBroken.unless(wish is not None, _("You haven't asked us to find you a circle yet."))
    return wish


@transaction.atomic
def wish_turn_off(*, member: User) -> CircleWish:
    """No new circles for her (a circle already proposed to her still waits for her answer)."""
    wish = _her_wish(member)
    wish.active = False
    wish.save(update_fields=["active", "updated_at"])
    return wish


@transaction.atomic
def wish_resume(*, member: User) -> CircleWish:
    """She is looking again, after a pause or after turning it off."""
    wish = _her_wish(member)
    _look_again(wish)
    return wish


# --- proposals ------------------------------------------------------------------------------


def proposals_make(
    *,
    area: Area | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Proposal]:
    """Runs the engine over the wishes to consider (in the area, or everywhere) and proposes
    the circles it finds whose members are all free of open proposals. Idempotent: a second
    run the same day gives the engine the same input, so it finds the same circles, which are
    already proposed. Concurrent runs wait for each other."""
    now = now or timezone.now()
    say = progress or (lambda line: None)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK])
        wishes = wishes_to_consider(area=area, today=now.date())
        seekers = seekers_of(wishes)
        apart = kept_apart(seeker.id for seeker in seekers)
        say(f"{len(seekers)} members looking for a circle, {len(apart)} pairs kept apart")
        found = form_circles(
            seekers, apart=apart, starting=(now + timedelta(days=1)).date(), progress=say
        )
        held = set(ProposalSeat.objects.filter(live=True).values_list("member_id", flat=True))
        by_id = {seeker.id: seeker for seeker in seekers}
        made = [
            _propose(circle, [by_id[pk] for pk in circle.member_ids], now)
            for circle in found
            if held.isdisjoint(circle.member_ids)
        ]
        say(f"{len(found)} circles found, {len(made)} new proposals")
    return made


def _propose(circle: Circle, seekers: list[Seeker], now: datetime) -> Proposal:
    window = circle.window
    start = first_meetup_start(
        {seeker.id: (seeker.zone, seeker.windows) for seeker in seekers},
        window,
        circle.zone,
        after=now + PROPOSED_LEAD,
    )
    proposal = Proposal.objects.create(
        zone=circle.zone,
        weekday=window.weekday,
        start_minute=window.start,
        end_minute=window.end,
        mode=window.mode,
        proposed_start=start,
        proposed_end=start + MEETUP_LENGTH,
        deadline=now + timedelta(hours=settings.CIRCLE_ANSWER_HOURS),
        created_at=now,
    )
    ProposalSeat.objects.bulk_create(
        ProposalSeat(proposal=proposal, member_id=member_id) for member_id in circle.member_ids
    )
    send_after_commit(events.proposal_made, sender=Proposal, proposal=proposal)
    return proposal


# --- answers ----------------------------------------------------------------------------------


def _locked(seat: ProposalSeat) -> tuple[Proposal, ProposalSeat]:
    proposal = Proposal.objects.select_for_update().get(pk=seat.proposal_id)
    fresh = (
        ProposalSeat.objects.select_for_update(of=("self",))
        .select_related("member__profile")
        .filter(pk=seat.pk)
        .first()
    )
    RuleBroken.unless(fresh is not None, NOT_OPEN_TO_YOU)
    fresh.proposal = proposal
    return proposal, fresh


def _kept_apart_from_the_circle(proposal: Proposal, member: User) -> bool:
    others = (
        ProposalSeat.objects.filter(proposal=proposal).exclude(answer=OUT).exclude(member=member)
    )
    return Block.objects.filter(
        Q(blocker=member, blocked__in=others.values("member"))
        | Q(blocked=member, blocker__in=others.values("member"))
    ).exists()


@transaction.atomic
def proposal_answer(
    *, seat: ProposalSeat, answer: str, now: datetime | None = None
) -> ProposalSeat:
    """Her answer, "I'm in" or "Not this one", until the deadline. The answer that makes
    enough "I'm in" turns the circle into a group of those who accepted, with its first
    meetup; after that an "I'm in" joins the group. Before it forms she may change her mind."""
    now = now or timezone.now()
    RuleBroken.unless(answer in (IN, OUT), _("Choose “I'm in” or “Not this one”."))
    proposal, seat = _locked(seat)
    RuleBroken.unless(proposal.status != LAPSED and now < proposal.deadline, CLOSED)
    if seat.answer == answer:
        return seat
    if answer == OUT:
        RuleBroken.unless(not (seat.answer == IN and proposal.status == FORMED), GROUP_ALREADY)
        _withdraw(seat, now)
        _lapse_if_it_cannot_form(proposal)
    else:
        RuleBroken.unless(not _kept_apart_from_the_circle(proposal, seat.member), NOT_OPEN_TO_YOU)
        seat.answer, seat.answered_at = IN, now
        seat.live = proposal.status == OPEN
        _save_seat(seat)
        if proposal.status == FORMED:
            _join(proposal, seat.member)
    CircleWish.objects.filter(member=seat.member).update(lapses=0)
    if proposal.status == OPEN and _count(proposal, IN) >= _quorum():
        _form(proposal, now)
    return seat


def _save_seat(seat: ProposalSeat) -> None:
    try:
        with transaction.atomic():
            seat.save(update_fields=["answer", "answered_at", "live"])
    except IntegrityError as error:
        raise RuleBroken(ELSEWHERE) from error


def _withdraw(seat: ProposalSeat, now: datetime) -> None:
    seat.answer, seat.answered_at, seat.live = OUT, now, False
    seat.save(update_fields=["answer", "answered_at", "live"])


def _count(proposal: Proposal, answer: str) -> int:
    return ProposalSeat.objects.filter(proposal=proposal, answer=answer).count()


def _form(proposal: Proposal, now: datetime) -> None:
    """Those who said "I'm in" become an unlisted group, the first of them its organizer,
    with the first meetup tentative until enough are going."""
    accepted = list(
        ProposalSeat.objects.filter(proposal=proposal, answer=IN)
        .select_related("member__profile")
        .order_by("answered_at", "pk")
    )
    organizer = accepted[0].member
    words = _words_of_her_circle(proposal, organizer)
    group = group_create(
        organizer=organizer,
        name=words.group_name,
        description=words.group_description,
        zip_code=organizer.profile.zip_code,
        focus=[],
        kids_age_focus=sorted(
            {band for seat in accepted for band, n in seat.member.profile.kids.items() if n}
        ),
        meeting_style=STYLE_OF_MODE[proposal.mode],
        size_cap=max(proposal.seats.count(), _quorum()),
        join_policy=JoinPolicy.OPEN,
        join_question="",
        is_listed=False,
    )
    for seat in accepted[1:]:
        membership_join(group=group, member=seat.member, invite_token=group.invite_token)
    if proposal.proposed_start < now + FORMING_LEAD:
        start = first_meetup_start(
            {seat.member_id: _week_of(seat.member) for seat in accepted},
            proposal.window,
            proposal.zone,
            after=now + FORMING_LEAD,
        )
        proposal.proposed_start, proposal.proposed_end = start, start + MEETUP_LENGTH
    meetup = meetup_create(
        group=group,
        by=organizer,
        details=MeetupDetails(
            title=words.meetup_title,
            starts_at=proposal.proposed_start,
            ends_at=proposal.proposed_end,
            kid_mode=proposal.mode,
            description=words.meetup_description,
            venue_name=words.meetup_venue,
            quorum=_quorum(),
            quorum_deadline=proposal.proposed_start - QUORUM_BEFORE_START,
        ),
        now=now,
    )
    proposal.status, proposal.group, proposal.first_meetup = FORMED, group, meetup
    proposal.save()
    ProposalSeat.objects.filter(proposal=proposal, answer=IN).update(live=False)
    CircleWish.objects.filter(member__in=[seat.member for seat in accepted]).update(active=False)


def _week_of(member: User) -> tuple[str, list[WeeklyWindow]]:
    return member.profile.time_zone, weekly_windows_for(member)


@dataclass(frozen=True)
class CircleWords:
    """What MomCircle writes for a new circle's group and first meetup. They become the
    organizer's own text to edit, so they are written once, in her language, and never
    translated again."""

    group_name: str
    group_description: str
    meetup_title: str
    meetup_description: str
    meetup_venue: str


def _words_of_her_circle(proposal: Proposal, organizer: User) -> CircleWords:
    try:
        place = locate_zip(organizer.profile.zip_code).place
    except UnknownZip:
        place = organizer.profile.zip_code
    with translation.override(organizer.profile.language):
        return CircleWords(
            group_name=gettext("%(day)s circle near %(place)s")
            % {"day": WEEKDAYS[proposal.weekday], "place": place},
            group_description=gettext(
                "A circle MomCircle found: working moms near each other, all free %(when)s."
            )
            % {"when": window_in_words(proposal.window, every_week=True)},
            meetup_title=gettext("Our first meetup"),
            meetup_description=gettext(
                "The first meetup of our circle, at a time we all share. The organizer will "
                "add the place; say whether you're going now."
            ),
            meetup_venue=gettext("Place to be decided by the organizer"),
        )


def _join(proposal: Proposal, member: User) -> None:
    """A late "I'm in": she joins the group the circle became, and hears of its first
    meetup."""
    group = proposal.group
    RuleBroken.unless(group is not None and not group.is_archived, CLOSED)
    membership_join(group=group, member=member, invite_token=group.invite_token)
    CircleWish.objects.filter(member=member).update(active=False)
    send_after_commit(events.circle_joined, sender=Proposal, proposal=proposal, member=member)


# --- deadlines, blocks, deletion ----------------------------------------------------------------


def proposals_close_due(*, now: datetime | None = None) -> int:
    """Every proposal past its deadline that still holds seats lets them go, each in its own
    transaction: one that did not form lapses, and those who never answered count a lapse
    (two in a row pause her wish). Returns how many were closed."""
    now = now or timezone.now()
    due = (
        Proposal.objects.filter(deadline__lte=now, seats__live=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    return sum(_close(pk, now) for pk in list(due))


@transaction.atomic
def _close(proposal_pk: int, now: datetime) -> bool:
    proposal = Proposal.objects.select_for_update().get(pk=proposal_pk)
    if proposal.deadline > now:
        return False
    silent = list(
        ProposalSeat.objects.filter(proposal=proposal, live=True, answer=PENDING).values_list(
            "member_id", flat=True
        )
    )
    ProposalSeat.objects.filter(proposal=proposal, live=True).update(live=False)
    if proposal.status == OPEN:
        proposal.status = LAPSED
        proposal.save(update_fields=["status"])
    _count_lapses(silent, now)
    return True


def _count_lapses(member_ids: Iterable[int], now: datetime) -> None:
    CircleWish.objects.filter(member__in=member_ids).update(lapses=F("lapses") + 1)
    pausing = CircleWish.objects.filter(
        member__in=member_ids, lapses__gte=LAPSES_BEFORE_PAUSE, paused_at__isnull=True
    )
    for wish in pausing.select_for_update():
        wish.paused_at = now
        wish.save(update_fields=["paused_at", "updated_at"])
        send_after_commit(events.wish_paused, sender=CircleWish, wish=wish)


def _lapse_if_it_cannot_form(proposal: Proposal) -> None:
    """Too few left who said yes or may still: everyone goes back into the pool, and nobody
    counts a lapse for it."""
    if proposal.status != OPEN:
        return
    hopeful = ProposalSeat.objects.filter(proposal=proposal, live=True).count()
    if hopeful < _quorum():
        ProposalSeat.objects.filter(proposal=proposal, live=True).update(live=False)
        proposal.status = LAPSED
        proposal.save(update_fields=["status"])


@transaction.atomic
def proposals_keep_apart(*, blocker: User, blocked: User, now: datetime | None = None) -> int:
    """She blocked someone she shares a proposed circle with: she leaves that circle (as if
    she had said "Not this one", without a lapse), unless she is already in the group it
    became, in which case the other's unanswered seat closes. Nobody is told who blocked
    whom. Returns how many seats closed."""
    now = now or timezone.now()
    closed = 0
    hers = ProposalSeat.objects.filter(member=blocker, proposal__seats__member=blocked)
    for proposal_pk in hers.values_list("proposal_id", flat=True).order_by("proposal_id"):
        proposal = Proposal.objects.select_for_update().get(pk=proposal_pk)
        seats = {
            seat.member_id: seat
            for seat in ProposalSeat.objects.select_for_update().filter(
                proposal=proposal, member__in=[blocker, blocked]
            )
        }
        mine, theirs = seats[blocker.pk], seats[blocked.pk]
        leaving = mine if mine.live else theirs if theirs.live and mine.answer == IN else None
        if leaving is None or theirs.answer == OUT:
            continue
        _withdraw(leaving, now)
        _lapse_if_it_cannot_form(proposal)
        closed += 1
    return closed


@transaction.atomic
def member_leaves_circles(*, member: User) -> None:
    """Her account is going: her seats go, and a circle she leaves continues without her, or
    lapses when too few are left who could still make it a group."""
    proposal_pks = list(
        ProposalSeat.objects.filter(member=member, live=True).values_list("proposal_id", flat=True)
    )
    for proposal in Proposal.objects.select_for_update().filter(pk__in=proposal_pks).order_by("pk"):
        ProposalSeat.objects.filter(proposal=proposal, member=member).delete()
        _lapse_if_it_cannot_form(proposal)
    ProposalSeat.objects.filter(member=member).delete()
    CircleWish.objects.filter(member=member).delete()

"""Circles from wish to group: proposals, answers, the circle becoming a group with its first
meetup, deadlines, pauses, blocks and deleted accounts, against the real database."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.utils import timezone

from groups.models import Group, Membership
from momcircle.circles import services
from momcircle.circles.models import CircleWish, Proposal, ProposalSeat
from momcircle.circles.seekers import Area
from momcircle.circles.tests.factories import (
    SATURDAY_MORNING,
    TUESDAY_EVENING,
    proposal_for,
    seeker,
)
from momcircle.outbox.models import OutboxMessage, subject_key
from momcircle.privacy.services import account_delete
from momcircle.profiles.services import member_block
from momcircle.rules import RuleBroken
from scheduling.models import Meetup
from tests.factories import MembershipFactory, member, organized_group

pytestmark = pytest.mark.django_db
IN, OUT, PENDING = ProposalSeat.Answer.IN, ProposalSeat.Answer.OUT, ProposalSeat.Answer.PENDING
CHICAGO = ZoneInfo("America/Chicago")


def propose(run_on_commit, **options) -> list[Proposal]:
    return run_on_commit(services.proposals_make, **options)


def seat_of(woman) -> ProposalSeat:
    return ProposalSeat.objects.get(member=woman)


def say(run_on_commit, woman, answer, **options) -> ProposalSeat:
    seat = ProposalSeat.objects.filter(member=woman).latest("pk")
    return run_on_commit(services.proposal_answer, seat=seat, answer=answer, **options)


def members_of(proposal: Proposal) -> set:
    return {seat.member for seat in proposal.seats.all()}


# --- her wish -------------------------------------------------------------------------------


def test_a_wish_needs_her_profile_and_her_week_first():
    halfway = member(onboarded_at=None)
    with pytest.raises(RuleBroken, match="finish your profile"):
        services.wish_save(
            member=halfway, radius_miles=3, size="small", match_kids=False, style="either"
        )
    assert not CircleWish.objects.exists()


def test_a_wish_with_a_distance_she_cannot_choose_is_refused_and_nothing_is_saved():
    with pytest.raises(RuleBroken, match="how far"):
        services.wish_save(
            member=member(), radius_miles=7, size="small", match_kids=False, style="either"
        )
    assert not CircleWish.objects.exists()


def test_turning_it_off_and_resuming_it():
    ana = seeker()
    services.wish_turn_off(member=ana)
    assert not CircleWish.objects.get(member=ana).active
    CircleWish.objects.filter(member=ana).update(paused_at=timezone.now(), lapses=2)
    wish = services.wish_resume(member=ana)
    assert (wish.active, wish.paused_at, wish.lapses) == (True, None, 0)


def test_turning_off_a_wish_she_never_made_says_so():
    with pytest.raises(RuleBroken, match="haven't asked"):
        services.wish_turn_off(member=member())


# --- proposals ------------------------------------------------------------------------------


def test_five_neighbours_free_on_tuesday_evenings_are_proposed_one_circle(run_on_commit, five):
    before = timezone.now()
    (proposal,) = propose(run_on_commit)
    assert members_of(proposal) == set(five)
    assert proposal.window == TUESDAY_EVENING
    assert (proposal.zone, proposal.status) == ("America/Chicago", Proposal.Status.OPEN)
    assert all(seat.live and seat.answer == PENDING for seat in proposal.seats.all())
    assert proposal.deadline - before >= timedelta(hours=72)
    assert proposal.deadline - before < timedelta(hours=72, minutes=1)


def test_the_proposed_first_meetup_is_a_tuesday_evening_in_the_next_days(run_on_commit, five):
    (proposal,) = propose(run_on_commit)
    start = proposal.proposed_start.astimezone(CHICAGO)
    assert (start.weekday(), f"{start:%H:%M}") == (1, "20:30")
    assert proposal.proposed_end - proposal.proposed_start == timedelta(minutes=90)
    assert timedelta(hours=48) <= proposal.proposed_start - timezone.now() <= timedelta(days=12)


def test_everyone_proposed_to_is_emailed_the_circle(run_on_commit, five):
    (proposal,) = propose(run_on_commit)
    told = OutboxMessage.objects.filter(kind="circle_proposed", subject=subject_key(proposal))
    assert {row.recipient for row in told} == set(five)


def test_running_the_engine_twice_changes_nothing(run_on_commit, five):
    propose(run_on_commit)
    seats = set(ProposalSeat.objects.values_list("pk", "proposal_id", "member_id", "live"))
    assert propose(run_on_commit) == []
    assert set(ProposalSeat.objects.values_list("pk", "proposal_id", "member_id", "live")) == seats


def test_a_member_in_an_open_proposal_from_an_earlier_day_waits_for_it(run_on_commit, five):
    (first,) = propose(run_on_commit)
    Proposal.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    newcomers = [seeker(name, north_miles=0.2) for name in ("Gia", "Hana", "Ines", "Jo")]
    (second,) = propose(run_on_commit)
    assert members_of(second) == set(newcomers)


def test_three_neighbours_are_too_few_for_a_circle(run_on_commit):
    for name in ("Ana", "Bea", "Cleo"):
        seeker(name)
    assert propose(run_on_commit) == []


def test_women_already_in_a_group_together_are_never_proposed_together(run_on_commit, five):
    group = organized_group(five[0])
    MembershipFactory(group=group, member=five[1])
    (proposal,) = propose(run_on_commit)
    assert len(members_of(proposal)) == 4
    assert not {five[0], five[1]} <= members_of(proposal)


def test_a_circle_never_holds_two_women_where_one_blocked_the_other(run_on_commit, five):
    member_block(blocker=five[3], blocked=five[2])
    (proposal,) = propose(run_on_commit)
    assert len(members_of(proposal)) == 4
    assert not {five[2], five[3]} <= members_of(proposal)


def test_a_member_in_other_groups_can_still_be_proposed_a_circle(run_on_commit, five):
    MembershipFactory(group=organized_group(), member=five[0])
    (proposal,) = propose(run_on_commit)
    assert five[0] in members_of(proposal)


def test_paused_and_turned_off_wishes_are_left_out(run_on_commit, five):
    services.wish_turn_off(member=five[0])
    CircleWish.objects.filter(member=five[1]).update(paused_at=timezone.now())
    fay = seeker("Fay")
    (proposal,) = propose(run_on_commit)
    assert members_of(proposal) == {*five[2:], fay}


def test_women_whose_weeks_share_no_time_are_not_proposed_together(run_on_commit, five):
    seeker("Fay", windows=[SATURDAY_MORNING])
    (proposal,) = propose(run_on_commit)
    assert members_of(proposal) == set(five)


def test_a_run_for_an_area_proposes_circles_only_there(run_on_commit, five):
    far = [seeker(name, north_miles=30) for name in ("Fay", "Gia", "Hana", "Ines")]
    (proposal,) = propose(run_on_commit, area=Area.around_zip("60614", 5))
    assert members_of(proposal) == set(five)
    assert not ProposalSeat.objects.filter(member__in=far).exists()


# --- answers ----------------------------------------------------------------------------------


@pytest.fixture
def proposed(run_on_commit, five):
    """The five neighbours' circle, proposed."""
    (proposal,) = propose(run_on_commit)
    return proposal


def test_two_yes_are_not_yet_enough(run_on_commit, proposed, five):
    for woman in five[:2]:
        assert say(run_on_commit, woman, IN).answer == IN
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.OPEN
    assert not Group.objects.exists()
    assert seat_of(five[0]).live


def test_the_third_yes_makes_an_unlisted_group_of_those_who_accepted(run_on_commit, proposed, five):
    for woman in (five[2], five[0], five[4]):
        say(run_on_commit, woman, IN)
    proposed.refresh_from_db()
    group = proposed.group
    assert proposed.status == Proposal.Status.FORMED
    assert not group.is_listed
    active = group.memberships.filter(status=Membership.Status.ACTIVE)
    assert {m.member for m in active} == {five[0], five[2], five[4]}
    assert active.get(role=Membership.Role.ORGANIZER).member == five[2]  # the first to say yes
    assert group.size_cap == 5
    assert not ProposalSeat.objects.filter(member__in=[five[0], five[2], five[4]], live=True)
    assert not CircleWish.objects.filter(member__in=[five[0], five[2], five[4]], active=True)
    assert ProposalSeat.objects.get(member=five[1]).live  # she can still say yes


def test_its_first_meetup_is_tentative_until_three_are_going(run_on_commit, proposed, five):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    proposed.refresh_from_db()
    meetup = proposed.first_meetup
    assert meetup.group == proposed.group
    assert meetup.status == Meetup.Status.TENTATIVE
    assert (meetup.quorum, meetup.kid_mode) == (3, "kid_free")
    assert (meetup.starts_at, meetup.ends_at) == (proposed.proposed_start, proposed.proposed_end)
    assert timezone.now() < meetup.quorum_deadline < meetup.starts_at
    assert meetup.venue_name


def test_everyone_who_accepted_gets_the_new_meetup_email_organizer_included(
    run_on_commit, proposed, five
):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    proposed.refresh_from_db()
    told = OutboxMessage.objects.filter(
        kind="meetup_new", subject=subject_key(proposed.first_meetup)
    )
    assert {row.recipient for row in told} == set(five[:3])


def test_a_yes_after_the_circle_formed_joins_its_group_and_hears_of_the_meetup(
    run_on_commit, proposed, five
):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    say(run_on_commit, five[3], IN)
    proposed.refresh_from_db()
    assert proposed.group.memberships.filter(member=five[3], status="active").exists()
    assert OutboxMessage.objects.filter(
        recipient=five[3], kind="meetup_new", subject=subject_key(proposed.first_meetup)
    ).exists()
    assert not seat_of(five[3]).live


def test_a_first_meetup_too_soon_when_the_circle_forms_moves_to_a_later_shared_time(
    run_on_commit, proposed, five
):
    soon = timezone.now() + timedelta(hours=20)
    Proposal.objects.filter(pk=proposed.pk).update(
        proposed_start=soon, proposed_end=soon + timedelta(minutes=90)
    )
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    proposed.refresh_from_db()
    start = proposed.first_meetup.starts_at
    assert start - timezone.now() >= timedelta(hours=24)
    assert (start.astimezone(CHICAGO).weekday(), f"{start.astimezone(CHICAGO):%H:%M}") == (
        1,
        "20:30",
    )


def test_she_may_change_her_mind_before_the_circle_forms(run_on_commit, proposed, five):
    say(run_on_commit, five[0], IN)
    seat = say(run_on_commit, five[0], OUT)
    assert (seat.answer, seat.live) == (OUT, False)
    seat = say(run_on_commit, five[0], IN)
    assert (seat.answer, seat.live) == (IN, True)


def test_once_in_the_group_not_this_one_is_refused(run_on_commit, proposed, five):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    with pytest.raises(RuleBroken, match="Leave this group"):
        say(run_on_commit, five[0], OUT)


def test_not_this_one_sends_her_back_to_the_pool_apart_from_that_circle(
    run_on_commit, proposed, five
):
    say(run_on_commit, five[0], OUT)
    assert not seat_of(five[0]).live
    run_on_commit(services.proposals_close_due, now=proposed.deadline)
    newcomers = [seeker(name) for name in ("Fay", "Gia", "Hana")]
    again = propose(run_on_commit, now=proposed.deadline + timedelta(hours=1))
    assert {frozenset(members_of(proposal)) for proposal in again} == {
        frozenset((five[0], *newcomers)),
        frozenset(five[1:]),
    }


def test_a_circle_that_can_no_longer_form_lapses_at_once(run_on_commit, proposed, five):
    for woman in five[:3]:
        say(run_on_commit, woman, OUT)
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.LAPSED
    assert not ProposalSeat.objects.filter(live=True).exists()
    assert set(CircleWish.objects.values_list("lapses", flat=True)) == {0}


def test_an_answer_after_the_deadline_is_refused(run_on_commit, proposed, five):
    later = proposed.deadline + timedelta(minutes=1)
    with pytest.raises(RuleBroken, match="no longer takes answers"):
        say(run_on_commit, five[0], IN, now=later)


def test_an_unknown_answer_is_refused(run_on_commit, proposed, five):
    with pytest.raises(RuleBroken, match="I'm in"):
        say(run_on_commit, five[0], "maybe")


# --- deadlines by beat ----------------------------------------------------------------------


def test_at_the_deadline_a_circle_short_of_yes_lapses_and_the_silent_count_a_lapse(
    run_on_commit, proposed, five
):
    say(run_on_commit, five[0], IN)
    say(run_on_commit, five[1], OUT)
    closed = run_on_commit(
        services.proposals_close_due, now=proposed.deadline + timedelta(minutes=1)
    )
    assert closed == 1
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.LAPSED
    assert not ProposalSeat.objects.filter(live=True).exists()
    lapses = dict(CircleWish.objects.values_list("member_id", "lapses"))
    assert [lapses[woman.pk] for woman in five] == [0, 0, 1, 1, 1]
    assert not CircleWish.objects.filter(paused_at__isnull=False).exists()


def test_the_deadline_beat_does_nothing_before_the_deadline(run_on_commit, proposed):
    assert run_on_commit(services.proposals_close_due) == 0
    assert ProposalSeat.objects.filter(live=True).count() == 5


def test_a_member_who_lets_two_proposals_lapse_is_paused_and_told_how_to_resume(
    run_on_commit, proposed, five
):
    CircleWish.objects.filter(member=five[0]).update(lapses=1)
    run_on_commit(services.proposals_close_due, now=proposed.deadline + timedelta(minutes=1))
    wish = CircleWish.objects.get(member=five[0])
    assert wish.paused_at is not None
    assert OutboxMessage.objects.filter(recipient=five[0], kind="wish_paused").exists()
    assert not CircleWish.objects.filter(paused_at__isnull=False).exclude(member=five[0])


def test_an_answer_resets_her_lapses(run_on_commit, proposed, five):
    CircleWish.objects.filter(member=five[0]).update(lapses=1)
    say(run_on_commit, five[0], OUT)
    assert CircleWish.objects.get(member=five[0]).lapses == 0


def test_the_deadline_closes_a_formed_circle_to_late_answers(run_on_commit, proposed, five):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    run_on_commit(services.proposals_close_due, now=proposed.deadline + timedelta(minutes=1))
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.FORMED
    assert not ProposalSeat.objects.filter(live=True).exists()
    assert CircleWish.objects.get(member=five[3]).lapses == 1


# --- blocks and deleted accounts ----------------------------------------------------------------


def test_blocking_a_member_of_her_proposed_circle_takes_her_out_of_it(
    run_on_commit, proposed, five
):
    run_on_commit(member_block, blocker=five[0], blocked=five[1])
    assert (seat_of(five[0]).answer, seat_of(five[0]).live) == (OUT, False)
    assert seat_of(five[1]).live
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.OPEN


def test_blocking_from_inside_the_group_closes_the_other_s_unanswered_seat(
    run_on_commit, proposed, five
):
    for woman in five[:3]:
        say(run_on_commit, woman, IN)
    run_on_commit(member_block, blocker=five[0], blocked=five[4])
    assert not seat_of(five[4]).live
    assert seat_of(five[3]).live


def test_she_cannot_say_yes_again_to_a_circle_with_a_woman_she_blocked(
    run_on_commit, proposed, five
):
    run_on_commit(member_block, blocker=five[0], blocked=five[1])
    with pytest.raises(RuleBroken, match="no longer open to you"):
        say(run_on_commit, five[0], IN)


def test_deleting_her_account_leaves_the_circle_to_the_others(run_on_commit, proposed, five):
    run_on_commit(account_delete, user=five[0])
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.OPEN
    assert members_of(proposed) == set(five[1:])
    assert CircleWish.objects.count() == 4


def test_deleting_her_account_lapses_a_circle_that_can_no_longer_form(
    run_on_commit, proposed, five
):
    say(run_on_commit, five[1], OUT)
    say(run_on_commit, five[2], OUT)
    run_on_commit(account_delete, user=five[0])
    proposed.refresh_from_db()
    assert proposed.status == Proposal.Status.LAPSED
    assert not ProposalSeat.objects.filter(live=True).exists()


def test_a_member_holds_one_live_seat_at_most(five):
    proposal_for(five[:4])
    with pytest.raises(IntegrityError, match="one_live_seat_per_member"):
        proposal_for([five[0], five[4]])

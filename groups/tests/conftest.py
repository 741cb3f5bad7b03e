from dataclasses import dataclass

import pytest

from groups.models import Group, JoinPolicy, Membership
from tests.factories import MembershipFactory, join_request, member, organized_group


@dataclass
class Circle:
    """A listed group by request with one woman in every position, and a stranger."""

    group: Group
    organizer: object
    co_organizer: object
    member: object
    other_member: Membership
    request: Membership
    stranger: object

    @property
    def applicant(self):
        return self.request.member

    def person(self, position: str):
        if position == "pending":
            return self.applicant
        return getattr(self, position)


@pytest.fixture
def circle(db) -> Circle:
    organizer = member(first_name="Olivia")
    group = organized_group(
        organizer,
        join_policy=JoinPolicy.REQUEST,
        join_question="How old are your kids?",
        size_cap=8,
    )
    co_organizer = MembershipFactory(
        group=group, member=member(first_name="Corinne"), role=Membership.Role.CO_ORGANIZER
    ).member
    return Circle(
        group=group,
        organizer=organizer,
        co_organizer=co_organizer,
        member=MembershipFactory(group=group, member=member(first_name="Maya")).member,
        other_member=MembershipFactory(group=group, member=member(first_name="Tess")),
        request=join_request(group, member(first_name="Priya"), answer="A toddler and a baby."),
        stranger=member(first_name="Sara"),
    )

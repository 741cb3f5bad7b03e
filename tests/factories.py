import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from groups.models import Group, JoinPolicy, MeetingStyle, Membership
from momcircle.profiles.models import Profile, User, WorkPattern

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified account without a profile (she has not been through onboarding)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class ProfileFactory(factory.django.DjangoModelFactory):
    """An onboarded member in Chicago's Lincoln Park (ZIP 60614)."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name_female")
    last_initial = factory.Faker("random_uppercase_letter")
    zip_code = "60614"
    latitude = 41.9229
    longitude = -87.6483
    time_zone = "America/Chicago"
    work_pattern = WorkPattern.HYBRID
    kids = factory.LazyFunction(lambda: {"toddler": 1})
    looking_for = factory.LazyFunction(lambda: ["moms_night_out"])
    onboarded_at = factory.LazyFunction(timezone.now)


def member(**profile_fields) -> User:
    """An onboarded member, ready to use the site."""
    return ProfileFactory(**profile_fields).user


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Lincoln Park Working Moms {n}")
    slug = factory.Sequence(lambda n: f"lincoln-park-working-moms-{n}")
    description = "Working moms in Lincoln Park: evenings out and Saturday playground mornings."
    zip_code = "60614"
    latitude = 41.9229
    longitude = -87.6483
    time_zone = "America/Chicago"
    meeting_style = MeetingStyle.BOTH
    join_policy = JoinPolicy.OPEN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    member = factory.LazyFunction(member)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


def organized_group(organizer: User | None = None, **group_fields) -> Group:
    """A group with its active organizer (a new member unless one is given)."""
    group = GroupFactory(**group_fields)
    MembershipFactory(group=group, member=organizer or member(), role=Membership.Role.ORGANIZER)
    return group


def join_request(group: Group, applicant: User | None = None, answer: str = "") -> Membership:
    """A request to join, waiting for the organizers."""
    return MembershipFactory(
        group=group,
        member=applicant or member(),
        status=Membership.Status.PENDING,
        answer=answer,
        joined_at=None,
    )

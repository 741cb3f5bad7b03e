import pytest
from django.contrib.auth import get_user_model

from groups.models import Group, Membership
from momcircle.privacy.services import account_delete
from momcircle.profiles.models import Profile
from tests.factories import PASSWORD, MembershipFactory, member

pytestmark = pytest.mark.django_db


def test_deleting_needs_her_password_and_a_wrong_one_changes_nothing(client):
    dana = member()
    client.force_login(dana)
    response = client.post("/me/delete/", {"password": "not-it"})
    assert "That password is not correct." in response.content.decode()
    assert get_user_model().objects.filter(pk=dana.pk).exists()


def test_deleting_removes_her_profile_and_memberships_and_logs_her_out(client):
    dana = member()
    MembershipFactory(member=dana)
    client.force_login(dana)
    response = client.post("/me/delete/", {"password": PASSWORD})
    assert response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=dana.pk).exists()
    assert not Profile.objects.filter(user_id=dana.pk).exists()
    assert not Membership.objects.filter(member_id=dana.pk).exists()
    assert "_auth_user_id" not in client.session


def test_a_group_she_organizes_passes_to_her_longest_serving_co_organizer():
    dana = member()
    circle = MembershipFactory(member=dana, role="organizer").group
    first = MembershipFactory(group=circle, role="co_organizer")
    MembershipFactory(group=circle, role="co_organizer")
    account_delete(user=dana)
    first.refresh_from_db()
    assert first.role == "organizer"
    assert not Group.objects.get(pk=circle.pk).is_archived


def test_a_group_she_organizes_alone_is_archived():
    dana = member()
    circle = MembershipFactory(member=dana, role="organizer").group
    MembershipFactory(group=circle, role="member")
    account_delete(user=dana)
    assert Group.objects.get(pk=circle.pk).is_archived

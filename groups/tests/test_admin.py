import pytest
from django.urls import reverse

from groups.models import Membership
from tests.factories import UserFactory, organized_group

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("admin:groups_group_changelist", None),
    ("admin:groups_group_change", "group"),
    ("admin:groups_membership_changelist", None),
    ("admin:groups_membership_change", "membership"),
]


@pytest.mark.parametrize(("name", "target"), ADMIN_PAGES)
def test_site_admins_can_look_after_groups_and_memberships(client, name, target):
    group = organized_group(name="Pilsen Moms")
    objects = {"group": group, "membership": Membership.objects.get(group=group)}
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    args = [objects[target].pk] if target else []
    response = client.get(reverse(name, args=args), {"q": "Pilsen"} if not target else {})
    assert response.status_code == 200
    assert "Pilsen Moms" in response.content.decode()


def test_groups_are_started_on_the_site_not_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:groups_group_add")).status_code == 403

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from groups.models import GroupWeek
from groups.services import (
    membership_approve,
    membership_join,
    membership_leave,
    membership_remove,
)
from momcircle.availability.slots import SLOTS_PER_DAY, heatmap_rows
from momcircle.availability.windows import WeeklyWindow
from momcircle.privacy.services import account_delete
from momcircle.profiles.services import availability_replace
from tests.factories import join_request, member, organized_group

pytestmark = pytest.mark.django_db

TUE_EVENING = WeeklyWindow(1, 20 * 60 + 30, 22 * 60, "kid_free")  # slots 41, 42, 43 of Tuesday
TUE_20_30 = 1 * SLOTS_PER_DAY + 41


def free_on_tuesday_evening(**profile_fields):
    her = member(**profile_fields)
    availability_replace(member=her, windows=[TUE_EVENING])
    return her


def counts(group) -> list[int]:
    return GroupWeek.objects.get(group=group).slot_counts


def test_joining_adds_her_free_slots_to_the_group_week():
    group = organized_group(join_policy="open")
    membership_join(group=group, member=free_on_tuesday_evening())
    assert counts(group)[TUE_20_30 : TUE_20_30 + 4] == [1, 1, 1, 0]


def test_a_request_waiting_for_approval_is_not_counted_until_approved():
    group = organized_group(join_policy="request")
    organizer = group.memberships.get().member
    request = join_request(group, free_on_tuesday_evening())
    assert not GroupWeek.objects.filter(group=group).exists() or counts(group)[TUE_20_30] == 0
    membership_approve(membership=request, by=organizer)
    assert counts(group)[TUE_20_30] == 1


def test_leaving_or_being_removed_takes_her_slots_away():
    group = organized_group(join_policy="open")
    organizer = group.memberships.get().member
    dana, erin = free_on_tuesday_evening(), free_on_tuesday_evening()
    membership_join(group=group, member=dana)
    joined = membership_join(group=group, member=erin)
    assert counts(group)[TUE_20_30] == 2
    membership_leave(group=group, member=dana)
    assert counts(group)[TUE_20_30] == 1
    membership_remove(membership=joined, by=organizer)
    assert counts(group)[TUE_20_30] == 0


def test_editing_her_week_updates_every_group_she_is_in(run_on_commit):
    first, second = organized_group(join_policy="open"), organized_group(join_policy="open")
    dana = member()
    membership_join(group=first, member=dana)
    membership_join(group=second, member=dana)
    run_on_commit(availability_replace, member=dana, windows=[TUE_EVENING])
    assert counts(first)[TUE_20_30] == counts(second)[TUE_20_30] == 1


def test_deleting_her_account_takes_her_slots_away():
    group = organized_group(join_policy="open")
    dana = free_on_tuesday_evening()
    membership_join(group=group, member=dana)
    account_delete(user=dana)
    assert counts(group)[TUE_20_30] == 0


def test_a_member_in_another_time_zone_is_counted_on_the_groups_clock():
    group = organized_group(join_policy="open", time_zone="America/Chicago")
    membership_join(group=group, member=free_on_tuesday_evening(time_zone="America/New_York"))
    assert counts(group)[TUE_20_30 - 2 : TUE_20_30 + 2] == [1, 1, 1, 0]


def tuesday_at_20_30_on_the_page(client, group) -> str:
    html = client.get(group.get_absolute_url()).content.decode()
    row = re.search(r'<th scope="row">20:30</th>(.*?)</tr>', html).group(1)
    return re.findall(r'<td class="heat-\d">(\d*)</td>', row)[1]


def test_the_group_page_shows_the_counts_as_they_change(client):
    group = organized_group(join_policy="open")
    dana = free_on_tuesday_evening()
    membership_join(group=group, member=dana)
    client.force_login(dana)
    assert tuesday_at_20_30_on_the_page(client, group) == "1"
    membership_join(group=group, member=free_on_tuesday_evening())
    assert tuesday_at_20_30_on_the_page(client, group) == "2"


def test_the_cached_heatmap_is_kept_apart_for_each_language():
    group = organized_group(join_policy="open")
    membership_join(group=group, member=free_on_tuesday_evening())
    context = {"group": group, "heatmap": heatmap_rows(group.week.slot_counts), "heatmap_days": []}
    with translation.override("es"):
        spanish = render_to_string("groups/_heatmap.html", context)
    with translation.override("en"):
        english = render_to_string("groups/_heatmap.html", context)
    assert "Integrantes libres por media hora" in spanish
    assert "Members free per half hour" in english

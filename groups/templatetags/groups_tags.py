"""The permission predicates as filters, so templates ask the same questions as views:
`{% if user|can_manage:group %}`, `{% if user|can_remove:membership %}`."""

from django import template

from groups import permissions

register = template.Library()

for predicate in (
    permissions.is_member,
    permissions.has_asked,
    permissions.is_banned,
    permissions.is_organizer,
    permissions.can_manage,
    permissions.can_lead,
    permissions.can_see_members,
    permissions.can_join,
    permissions.can_leave,
    permissions.can_remove,
    permissions.can_set_role,
):
    register.filter(predicate.__name__, predicate)

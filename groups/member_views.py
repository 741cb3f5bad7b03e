"""The page of a member of her groups: what she tells about herself, and the way to block or
report her."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from groups.permissions import can_see_member


def member_or_404(request, member_id: int, predicate=can_see_member):
    """The member if the predicate lets her see her, else a 404 (no one learns who exists)."""
    member = get_object_or_404(get_user_model().objects.select_related("profile"), pk=member_id)
    if not predicate(request.user, member) or not hasattr(member, "profile"):
        raise Http404("No such member.")
    return member


@login_required
@require_GET
def member_detail(request, member_id: int):
    member = member_or_404(request, member_id)
    context = {"profile": member.profile, "can_block_or_report": member.pk != request.user.pk}
    return render(request, "groups/member_detail.html", context)

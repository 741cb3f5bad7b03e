"""Blocking and reporting: a block is hers to make and undo; a report goes to the team."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.member_views import member_or_404
from groups.models import Group
from groups.permissions import can_see_member
from momcircle.conversation.models import Message
from momcircle.moderation import permissions, services
from momcircle.moderation.forms import ReportForm
from momcircle.profiles import selectors as profile_selectors
from momcircle.profiles import services as profile_services
from momcircle.profiles.models import Block
from momcircle.rules import submit
from scheduling.models import Meetup

THANKS = "Thank you. Our team will look at it; nobody is told who reported."


@login_required
@require_POST
def member_block(request, member_id: int):
    member = member_or_404(request, member_id, predicate=permissions.can_block)
    profile_services.member_block(blocker=request.user, blocked=member)
    messages.success(
        request,
        f"You blocked {member.profile.display_name}. Neither of you will see the other in "
        "member lists or suggestions, nor open the other's profile.",
    )
    return redirect("moderation:blocked")


@login_required
@require_POST
def member_unblock(request, member_id: int):
    # Only her own block is found: a name for any id would let anyone list members.
    block = get_object_or_404(
        Block.objects.select_related("blocked__profile"), blocker=request.user, blocked_id=member_id
    )
    profile_services.member_unblock(blocker=request.user, blocked=block.blocked)
    profile = getattr(block.blocked, "profile", None)
    messages.success(request, f"You unblocked {profile.display_name if profile else 'her'}.")
    then = request.POST.get("next", "")
    # A path on this site only: redirect() would read anything else as a view name.
    if not then.startswith("/") or not url_has_allowed_host_and_scheme(
        then, allowed_hosts={request.get_host()}
    ):
        then = reverse("moderation:blocked")
    return HttpResponseRedirect(then)


@login_required
@require_GET
def blocked_members(request):
    blocks = profile_selectors.blocked_by(request.user)
    return render(request, "moderation/blocked.html", {"blocks": blocks})


def _report(request, *, about: str, back: str, report_file: Callable):
    """The report form about one member, group or meetup; a sent report takes her back with
    thanks."""
    form = ReportForm(request.POST or None)
    sent = (
        request.method == "POST"
        and form.is_valid()
        and submit(form, partial(report_file, **form.cleaned_data))
    )
    if sent:
        messages.success(request, THANKS)
        return redirect(back)
    return render(request, "moderation/report.html", {"form": form, "about": about, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def report_member(request, member_id: int):
    member = member_or_404(request, member_id, predicate=permissions.can_report_member)
    back = (
        reverse("members:detail", args=[member.pk])
        if can_see_member(request.user, member)
        else reverse("moderation:blocked")
    )
    return _report(
        request,
        about=member.profile.display_name,
        back=back,
        report_file=partial(services.report_file, reporter=request.user, reported_user=member),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_group(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_report_group(request.user, group):
        raise Http404("No such group.")
    return _report(
        request,
        about=group.name,
        back=group.get_absolute_url(),
        report_file=partial(services.report_file, reporter=request.user, reported_group=group),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_meetup(request, pk: int):
    meetup = get_object_or_404(Meetup.objects.select_related("group"), pk=pk)
    if not permissions.can_report_meetup(request.user, meetup):
        raise Http404("No such meetup.")
    return _report(
        request,
        about=f"the meetup “{meetup.title}”",
        back=meetup.get_absolute_url(),
        report_file=partial(services.report_file, reporter=request.user, reported_meetup=meetup),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_message(request, pk: int):
    message = get_object_or_404(
        Message.objects.select_related("meetup__group", "author__profile"), pk=pk
    )
    if not permissions.can_report_message(request.user, message):
        raise Http404("No such message.")
    return _report(
        request,
        about=f"a message in the meetup “{message.meetup.title}”",
        back=f"{message.meetup.get_absolute_url()}#message-{message.pk}",
        report_file=partial(services.report_file, reporter=request.user, reported_message=message),
    )

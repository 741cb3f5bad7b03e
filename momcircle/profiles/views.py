import json
from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.models import Group
from momcircle.profiles import selectors, services
from momcircle.profiles.availability_forms import AvailabilityForm, PresetForm, window_value
from momcircle.profiles.forms import (
    DeleteAccountForm,
    NotificationPreferencesForm,
    ProfileForm,
    ReportForm,
)
from momcircle.profiles.models import Block, Profile
from momcircle.profiles.permissions import (
    can_block_or_report,
    can_report_group,
    can_report_meetup,
    can_see_profile,
    has_blocked,
)
from momcircle.profiles.presets import PRESETS
from momcircle.rules import RuleBroken, perform, submit
from scheduling.models import Meetup

THANKS = "Thank you. Our team will look at it; nobody is told who reported."


def _own_profile(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    profile = _own_profile(request.user)
    if profile and profile.is_onboarded:
        return redirect("home")
    form = ProfileForm(request.POST or None, instance=profile, submit_label="Next: when I'm free")
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, fields=form.profile_fields())
        return redirect("profiles:availability")
    return render(request, "profiles/onboarding.html", {"form": form, "step": 1})


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    """Her standing weekly availability, on the week grid; the last step of onboarding."""
    profile = _own_profile(request.user)
    if profile is None:
        return redirect("profiles:onboarding")
    if request.method == "POST":
        form = AvailabilityForm(request.POST, require_some=not profile.is_onboarded)
        replace = partial(services.availability_replace, member=request.user)
        if (
            form.is_valid()
            and submit(form, partial(replace, windows=form.cleaned_data["windows"])) is not None
        ):
            return _after_availability_saved(request, profile)
    else:
        stored = selectors.weekly_windows_for(request.user)
        form = AvailabilityForm(initial={"window": [window_value(w) for w in stored]})
    context = {"form": form, "profile": profile, "presets": PresetForm.buttons()}
    return render(request, "profiles/availability.html", context)


def _windows_saved(form: AvailabilityForm, *, member) -> bool:
    replace = partial(services.availability_replace, member=member, windows=form.windows())
    return submit(form, replace) is not None


def _after_availability_saved(request, profile: Profile):
    if profile.is_onboarded:
        messages.success(request, "Your weekly availability is saved.")
        return redirect("profiles:availability")
    services.profile_finish_onboarding(profile=profile)
    messages.success(
        request, "Welcome to MomCircle! We'll suggest groups and meetup times that fit your week."
    )
    return redirect("home")


@login_required
@require_POST
def availability_preset(request):
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the suggested times.")
        return redirect("profiles:availability")
    preset = PRESETS[form.cleaned_data["preset"]]
    add = partial(services.availability_add_preset, member=request.user, preset=preset)
    perform(request, add, success=f"Added “{preset.label}” to your week.")
    return redirect("profiles:availability")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, fields=form.profile_fields())
        messages.success(request, "Your profile is saved.")
        return redirect("profiles:edit")
    return render(request, "profiles/edit.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    profile = request.user.profile
    form = NotificationPreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_set_notification_preferences(
            profile=profile, preferences=form.cleaned_data
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect("profiles:notifications")
    return render(request, "profiles/notifications.html", {"form": form})


@login_required
@require_GET
def data_export(request):
    data = selectors.account_export(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"momcircle-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.info(request, "Your account and everything about you have been deleted.")
        return redirect("home")
    return render(request, "profiles/delete.html", {"form": form})


def _member(request, member_id: int, predicate=can_see_profile):
    member = get_object_or_404(get_user_model().objects.select_related("profile"), pk=member_id)
    if not predicate(request.user, member) or not hasattr(member, "profile"):
        raise Http404("No such member.")
    return member


@login_required
@require_GET
def member_detail(request, member_id: int):
    member = _member(request, member_id)
    is_herself = member.pk == request.user.pk
    context = {
        "profile": member.profile,
        "can_block_or_report": not is_herself,
        "she_is_blocked": not is_herself and has_blocked(request.user, member),
    }
    return render(request, "profiles/detail.html", context)


@login_required
@require_POST
def member_block(request, member_id: int):
    member = _member(request, member_id, predicate=can_block_or_report)
    services.member_block(blocker=request.user, blocked=member)
    messages.success(
        request,
        f"You blocked {member.profile.display_name}. Neither of you will see the other in "
        "member lists or suggestions.",
    )
    return redirect("profiles:detail", member_id=member.pk)


@login_required
@require_POST
def member_unblock(request, member_id: int):
    # Only her own block is found: a name for any id would let anyone list members.
    block = get_object_or_404(
        Block.objects.select_related("blocked__profile"), blocker=request.user, blocked_id=member_id
    )
    services.member_unblock(blocker=request.user, blocked=block.blocked)
    profile = getattr(block.blocked, "profile", None)
    messages.success(request, f"You unblocked {profile.display_name if profile else 'her'}.")
    then = request.POST.get("next", "")
    # A path on this site only: redirect() would read anything else as a view name.
    if not then.startswith("/") or not url_has_allowed_host_and_scheme(
        then, allowed_hosts={request.get_host()}
    ):
        then = reverse("profiles:blocked")
    return HttpResponseRedirect(then)


@login_required
@require_GET
def blocked_members(request):
    return render(request, "profiles/blocked.html", {"blocks": selectors.blocked_by(request.user)})


def _report(request, *, about: str, back: str, report_file: Callable):
    """The report form about one member, group or meetup; a sent report takes her back with
    thanks."""
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_file(**form.cleaned_data)
        except RuleBroken as broken:
            form.add_error(None, str(broken))
        else:
            messages.success(request, THANKS)
            return redirect(back)
    return render(request, "profiles/report.html", {"form": form, "about": about, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def report_member(request, member_id: int):
    member = _member(request, member_id, predicate=can_block_or_report)
    return _report(
        request,
        about=member.profile.display_name,
        back=reverse("profiles:detail", args=[member.pk]),
        report_file=partial(services.report_file, reporter=request.user, reported_user=member),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_group(request, slug: str):
    group = get_object_or_404(Group, slug=slug)
    if not can_report_group(request.user, group):
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
    if not can_report_meetup(request.user, meetup):
        raise Http404("No such meetup.")
    return _report(
        request,
        about=f"the meetup “{meetup.title}”",
        back=meetup.get_absolute_url(),
        report_file=partial(services.report_file, reporter=request.user, reported_meetup=meetup),
    )

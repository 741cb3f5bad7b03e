import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from momcircle.profiles import selectors, services
from momcircle.profiles.forms import DeleteAccountForm, NotificationPreferencesForm, ProfileForm
from momcircle.profiles.models import Profile
from momcircle.profiles.permissions import can_see_profile


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
        return redirect("scheduling:availability")
    return render(request, "profiles/onboarding.html", {"form": form, "step": 1})


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


@login_required
@require_GET
def member_detail(request, member_id: int):
    member = get_object_or_404(get_user_model().objects.select_related("profile"), pk=member_id)
    if not can_see_profile(request.user, member) or not hasattr(member, "profile"):
        raise Http404("No such member.")
    return render(request, "profiles/detail.html", {"profile": member.profile})

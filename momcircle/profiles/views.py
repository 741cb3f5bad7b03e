from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from momcircle.profiles import selectors, services
from momcircle.profiles.availability_forms import AvailabilityForm, PresetForm, window_value
from momcircle.profiles.forms import (
    NotificationPreferencesForm,
    ProfileForm,
)
from momcircle.profiles.models import Profile
from momcircle.profiles.presets import PRESETS
from momcircle.rules import perform, submit


def _own_profile(user) -> Profile | None:
    return getattr(user, "profile", None)  # the one the language middleware loaded


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    profile = _own_profile(request.user)
    if profile and profile.is_onboarded:
        return redirect("home")
    form = ProfileForm(
        request.POST or None, instance=profile, submit_label=gettext("Next: when I'm free")
    )
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
        messages.success(request, gettext("Your weekly availability is saved."))
        return redirect("profiles:availability")
    services.profile_finish_onboarding(profile=profile)
    messages.success(
        request,
        gettext("Welcome to MomCircle! We'll suggest groups and meetup times that fit your week."),
    )
    return redirect(_next_step(request))


def _next_step(request) -> str:
    """Where the last step of onboarding goes on: home, or the page of the button she pressed
    (such as "Save and find me a circle"), when it is on this site."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else "home"


@login_required
@require_POST
def availability_preset(request):
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the suggested times."))
        return redirect("profiles:availability")
    preset = PRESETS[form.cleaned_data["preset"]]
    add = partial(services.availability_add_preset, member=request.user, preset=preset)
    perform(
        request, add, success=gettext("Added “%(preset)s” to your week.") % {"preset": preset.label}
    )
    return redirect("profiles:availability")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, fields=form.profile_fields())
        messages.success(request, gettext("Your profile is saved."))
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
        messages.success(request, gettext("Your email preferences are saved."))
        return redirect("profiles:notifications")
    return render(request, "profiles/notifications.html", {"form": form})


@require_POST
def language(request):
    """The footer's switch: Django's set_language (her cookie, then back to the page she was
    on) and, once she is logged in, her profile's language too, since that one wins."""
    response = set_language(request)
    profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
    chosen = request.POST.get("language", "")
    if profile is not None and chosen in dict(settings.LANGUAGES):
        services.profile_set_language(profile=profile, language=chosen)
    return response

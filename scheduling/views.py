from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from momcircle.profiles.services import profile_finish_onboarding
from scheduling import selectors, services
from scheduling.availability import InvalidWindow
from scheduling.forms import AvailabilityForm, PresetForm, window_value
from scheduling.presets import PRESETS


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    profile = getattr(request.user, "profile", None)
    if profile is None:
        return redirect("profiles:onboarding")
    if request.method == "POST":
        form = AvailabilityForm(request.POST, require_some=not profile.is_onboarded)
        if form.is_valid() and _saved(form, member=request.user):
            return _after_save(request, profile)
    else:
        stored = selectors.weekly_windows_for(request.user)
        form = AvailabilityForm(initial={"window": [window_value(w) for w in stored]})
    return render(
        request,
        "scheduling/availability.html",
        {"form": form, "profile": profile, "presets": PresetForm.buttons()},
    )


def _saved(form: AvailabilityForm, *, member) -> bool:
    try:
        services.availability_replace(member=member, windows=form.cleaned_data["windows"])
    except InvalidWindow as error:
        form.add_error(None, str(error))
        return False
    return True


def _after_save(request, profile):
    if profile.is_onboarded:
        messages.success(request, "Your weekly availability is saved.")
        return redirect("scheduling:availability")
    profile_finish_onboarding(profile=profile)
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
        return redirect("scheduling:availability")
    preset = PRESETS[form.cleaned_data["preset"]]
    try:
        services.availability_add_preset(member=request.user, preset=preset)
    except InvalidWindow as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Added “{preset.label}” to your week.")
    return redirect("scheduling:availability")

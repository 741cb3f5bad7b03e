from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from momcircle.profiles.selectors import language_of

# Paths a signed-in member may open before finishing onboarding.
OPEN_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/static/",
    "/jsi18n/",
    "/healthz",
    "/welcome/",
    "/availability/",
    "/i18n/",
)


class OnboardingRequiredMiddleware:
    """Sends a signed-in member who has not finished onboarding back to it. Staff too: the
    member pages need her profile, and the admin stays open without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not _onboarded(user)
        ):
            return redirect(reverse("profiles:onboarding"))
        return self.get_response(request)


class LanguagePreferenceMiddleware:
    """Once she is logged in, the language on her profile wins over what her browser asks for
    (LocaleMiddleware, before this one, chose from that). Her profile is the one the
    onboarding check already loaded, so this costs no query of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request.user, default=None)
        if language is not None and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def _onboarded(user) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.is_onboarded

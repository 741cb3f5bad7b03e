from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from momcircle.circles.selectors import circle_card
from momcircle.health import failing_parts
from scheduling.selectors import my_week


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, or "My week" for a member: her next meetups, her groups, her circle
    (or "Find me a circle"), and groups near her that fit."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    context = {"week": my_week(request.user), "circle_card": circle_card(request.user)}
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    failing = failing_parts()
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok", "failing": []})

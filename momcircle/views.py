from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from momcircle.health import failing_parts
from scheduling.selectors import my_week


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, or "My week" for a member: her next meetups, her groups, and groups
    near her that fit."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    return render(request, "home.html", {"week": my_week(request.user)})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    failing = failing_parts()
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok", "failing": []})

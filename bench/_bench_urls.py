from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from momcircle.urls import urlpatterns as site_urlpatterns

# The site's frame with nothing in it: nav, messages, footer, static links, CSRF for htmx.
EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


def one_query() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def bare(request):
    """One query and a tiny response: the floor of the stack below any page."""
    one_query()
    return HttpResponse("ok")


@login_required
def floor(request):
    """The floor a signed-in page is compared with: the full middleware stack, the session
    and its member, one query of its own and base.html with an empty content block."""
    one_query()
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [path("bench/bare/", bare), path("bench/floor/", floor), *site_urlpatterns]

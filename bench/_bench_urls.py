from django.db import connection
from django.http import HttpResponse
from django.urls import path

from momcircle.urls import urlpatterns as site_urlpatterns


def bare(request):
    """One query and a tiny response: the floor a real page is compared with."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]

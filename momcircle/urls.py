from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import JavaScriptCatalog

from momcircle import views
from momcircle.addresses import TokenConverter

# <token:...>: the secret in an invite link, a calendar feed or a signed email link.
register_converter(TokenConverter, "token")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The week grid's words in her language (static/js reads them with gettext()).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("momcircle.profiles.urls")),
    path("", include("momcircle.notifications.urls")),
    path("", include("momcircle.moderation.urls")),
    path("", include("momcircle.privacy.urls")),
    path("members/", include("groups.member_urls")),
    path("", include("scheduling.urls")),
    path("", include("momcircle.conversation.urls")),
    path("groups/", include("groups.urls")),
    path("circles/", include("momcircle.circles.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

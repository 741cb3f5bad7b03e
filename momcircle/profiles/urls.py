from django.urls import path

from momcircle.profiles import views

app_name = "profiles"

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("me/", views.profile_edit, name="edit"),
    path("i18n/setlang/", views.language, name="language"),
    path("availability/", views.availability, name="availability"),
    path("availability/presets/", views.availability_preset, name="availability_preset"),
    path("me/email-preferences/", views.notification_preferences, name="notifications"),
]

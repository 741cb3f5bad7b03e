from django.urls import path

from momcircle.profiles import views

app_name = "profiles"

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("me/", views.profile_edit, name="edit"),
    path("me/email-preferences/", views.notification_preferences, name="notifications"),
    path("me/my-data.json", views.data_export, name="export"),
    path("me/delete/", views.account_delete, name="delete"),
    path("members/<int:member_id>/", views.member_detail, name="detail"),
]

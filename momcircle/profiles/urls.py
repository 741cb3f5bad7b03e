from django.urls import path

from momcircle.profiles import views

app_name = "profiles"

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("me/", views.profile_edit, name="edit"),
    path("availability/", views.availability, name="availability"),
    path("availability/presets/", views.availability_preset, name="availability_preset"),
    path("me/email-preferences/", views.notification_preferences, name="notifications"),
    path("me/my-data.json", views.data_export, name="export"),
    path("me/delete/", views.account_delete, name="delete"),
    path("me/blocked/", views.blocked_members, name="blocked"),
    path("members/<int:member_id>/", views.member_detail, name="detail"),
    path("members/<int:member_id>/block/", views.member_block, name="block"),
    path("members/<int:member_id>/unblock/", views.member_unblock, name="unblock"),
    path("members/<int:member_id>/report/", views.report_member, name="report_member"),
    path("report/group/<slug:slug>/", views.report_group, name="report_group"),
    path("report/meetup/<int:pk>/", views.report_meetup, name="report_meetup"),
]

from django.urls import path

from momcircle.moderation import views

app_name = "moderation"

urlpatterns = [
    path("me/blocked/", views.blocked_members, name="blocked"),
    path("members/<int:member_id>/block/", views.member_block, name="block"),
    path("members/<int:member_id>/unblock/", views.member_unblock, name="unblock"),
    path("members/<int:member_id>/report/", views.report_member, name="report_member"),
    path("report/group/<slug:slug>/", views.report_group, name="report_group"),
    path("report/meetup/<int:pk>/", views.report_meetup, name="report_meetup"),
    path("report/message/<int:pk>/", views.report_message, name="report_message"),
]

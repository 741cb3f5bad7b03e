from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("mine/", views.my_groups, name="mine"),
    path("new/", views.group_create, name="create"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/edit/", views.group_edit, name="edit"),
    path("<slug:slug>/archive/", views.group_archive, name="archive"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/invite/<token:token>/", views.invite, name="invite"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/new-invite-link/", views.regenerate_invite, name="regenerate_invite"),
    path("<slug:slug>/transfer/", views.transfer, name="transfer"),
    path("<slug:slug>/requests/<int:membership_id>/approve/", views.approve, name="approve"),
    path("<slug:slug>/requests/<int:membership_id>/decline/", views.decline, name="decline"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.remove, name="remove"),
    path("<slug:slug>/members/<int:membership_id>/ban/", views.ban, name="ban"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.set_role, name="set_role"),
]

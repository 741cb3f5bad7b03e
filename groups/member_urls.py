from django.urls import path

from groups import member_views

app_name = "members"

urlpatterns = [
    path("<int:member_id>/", member_views.member_detail, name="detail"),
]

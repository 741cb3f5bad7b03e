from django.urls import path

from momcircle.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/my-data.json", views.data_export, name="export"),
    path("me/delete/", views.account_delete, name="delete"),
]

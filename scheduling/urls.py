from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("availability/", views.availability, name="availability"),
    path("availability/presets/", views.availability_preset, name="availability_preset"),
]

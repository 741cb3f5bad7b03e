from django.urls import path

from momcircle.circles import views

app_name = "circles"

urlpatterns = [
    path("find-me-a-circle/", views.wish, name="wish"),
    path("find-me-a-circle/off/", views.wish_off, name="wish_off"),
    path("find-me-a-circle/resume/", views.wish_resume, name="wish_resume"),
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/answer/", views.answer, name="answer"),
]

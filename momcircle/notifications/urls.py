from django.urls import path

from momcircle.notifications import views

app_name = "notifications"

urlpatterns = [
    path("email/rsvp/<token:token>/", views.email_rsvp, name="email_rsvp"),
    path("email/rsvp/<token:token>/skip/", views.email_skip, name="email_skip"),
    path("email/unsubscribe/<token:token>/", views.email_unsubscribe, name="email_unsubscribe"),
]

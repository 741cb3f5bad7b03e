from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("meetups/new/<slug:slug>/", views.meetup_create, name="meetup_create"),
    path("meetups/<int:pk>/", views.meetup_detail, name="meetup"),
    path("meetups/<int:pk>/answers/", views.meetup_answers, name="meetup_answers"),
    path("meetups/<int:pk>/edit/", views.meetup_edit, name="meetup_edit"),
    path(
        "meetups/<int:pk>/edit-following/",
        views.meetup_edit_following,
        name="meetup_edit_following",
    ),
    path("meetups/<int:pk>/cancel/", views.meetup_cancel, name="meetup_cancel"),
    path("meetups/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("meetups/<int:pk>/calendar.ics", views.meetup_ics, name="meetup_ics"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("series/<int:pk>/standing/", views.series_standing, name="series_standing"),
    path("series/<int:pk>/end/", views.series_end, name="series_end"),
    path("series/<int:pk>/calendar.ics", views.series_ics, name="series_ics"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/new-link/", views.calendar_new_link, name="calendar_new_link"),
    path("calendar/<token:token>.ics", views.calendar_feed, name="calendar_feed"),
]

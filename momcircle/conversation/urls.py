from django.urls import path

from momcircle.conversation import views

app_name = "conversation"

urlpatterns = [
    path("meetups/<int:pk>/messages/", views.meetup_messages, name="messages"),
    path("meetups/<int:pk>/conversation/mute/", views.conversation_mute, name="mute"),
    path("messages/<int:pk>/edit/", views.message_edit, name="edit"),
    path("messages/<int:pk>/delete/", views.message_delete, name="delete"),
    path("messages/<int:pk>/hide/", views.message_hide, name="hide"),
]

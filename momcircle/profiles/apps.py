from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "momcircle.profiles"
    label = "profiles"
    verbose_name = "Members"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """A realistic demo city (`manage.py seed_demo`), built through every app."""

    name = "momcircle.demo"
    label = "demo"
    verbose_name = "Demo city"

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Availability and meetups"

    def ready(self) -> None:
        # Connects the signal receivers and registers the email kinds.
        from scheduling import emails, notices, receivers  # noqa: F401

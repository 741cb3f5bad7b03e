from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Meetups"

    def ready(self) -> None:
        from scheduling import receivers  # noqa: F401  (connects the signal receivers)

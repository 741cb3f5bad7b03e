from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What members hear about their groups and meetups by email, and when."""

    name = "momcircle.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Registers the email kinds with the outbox and connects the signal receivers.
        from momcircle.notifications import circle_emails, digest, emails, receivers  # noqa: F401

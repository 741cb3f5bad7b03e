from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Reports about members, groups and meetups; what the team does about them; blocks."""

    name = "momcircle.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from momcircle.moderation import emails  # noqa: F401  (registers the warning email)

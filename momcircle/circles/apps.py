from django.apps import AppConfig


class CirclesConfig(AppConfig):
    """Circles that form themselves: her wish, the proposals the engine makes, the answers, and
    a proposal becoming a group with its first meetup. The engine modules are pure."""

    name = "momcircle.circles"
    label = "circles"
    verbose_name = "Circles"

    def ready(self) -> None:
        from momcircle.circles import receivers  # noqa: F401  (connects the signal receivers)

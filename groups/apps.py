from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Neighborhood groups"

    def ready(self) -> None:
        from groups import emails, receivers  # noqa: F401  (email kinds, signal receivers)

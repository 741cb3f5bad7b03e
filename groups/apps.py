from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Neighborhood groups"

    def ready(self) -> None:
        from groups import receivers  # noqa: F401  (connects the signal receivers)

from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Neighborhood groups"

    def ready(self) -> None:
        from groups import emails  # noqa: F401  (registers the groups' email kinds)

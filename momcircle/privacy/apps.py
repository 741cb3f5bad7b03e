from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Her data across every app: the export she downloads and the deletion of her account."""

    name = "momcircle.privacy"
    label = "privacy"
    verbose_name = "Her data"

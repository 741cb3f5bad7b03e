from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "momcircle.outbox"
    label = "outbox"
    verbose_name = "Outgoing email"

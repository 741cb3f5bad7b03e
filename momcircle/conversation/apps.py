from django.apps import AppConfig


class ConversationConfig(AppConfig):
    """The short conversation on each meetup's page, among the members of its group."""

    name = "momcircle.conversation"
    label = "conversation"
    verbose_name = "Meetup conversations"

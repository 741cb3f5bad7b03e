"""What members change about themselves, for the apps that hang work on it (the emails
queued for them)."""

from django.dispatch import Signal

# profile, changed (a frozenset of the preference names whose value changed): sent inside
# the transaction that saves them, so what is queued for her changes with them or not at all.
notification_preferences_changed = Signal()

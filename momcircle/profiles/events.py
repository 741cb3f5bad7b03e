"""What members change about themselves, for the apps that hang work on it (the emails
queued for them)."""

from django.dispatch import Signal

# profile, changed (a frozenset of the names whose value changed: her email preferences, or
# her time zone, which her evening reminders follow): sent inside the transaction that saves
# them, so what is queued for her changes with them or not at all.
email_timing_changed = Signal()

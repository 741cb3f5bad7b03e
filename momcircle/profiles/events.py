"""What members change about themselves, for the apps above that hang work on it. Sent with
momcircle.events.send_after_commit."""

from django.dispatch import Signal

# profile, changed (a frozenset of the names whose value changed: her email preferences, or
# her time zone, which her evening reminders follow).
email_timing_changed = Signal()
# member: her weekly windows changed (the weeks of her groups count her anew).
availability_changed = Signal()
# blocker, blocked: she blocked a member (sent only when the block is new).
member_blocked = Signal()

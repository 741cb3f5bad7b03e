"""How an app tells the apps above it that something happened, without knowing them.

An app calls only downward: a service that needs another app's effect calls it, queued with
`transaction.on_commit` when it leaves the transaction. Where the effect belongs to an app
above (a changed profile moves her reminders in notifications), the lower app sends a signal,
always after its transaction commits, so a listener never acts on a change that was rolled
back and does its own work in its own transaction."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal


def send_after_commit(signal: Signal, *, sender: type, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))

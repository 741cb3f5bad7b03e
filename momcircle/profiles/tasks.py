from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="profiles.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Sessions live in PostgreSQL so any web process can serve any member; prune old ones."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

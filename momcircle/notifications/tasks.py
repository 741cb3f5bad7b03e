from celery import shared_task

from momcircle.notifications import services


@shared_task(name="notifications.queue_weekly_digests")
def queue_weekly_digests() -> int:
    """Beat, every quarter hour: the digests whose Sunday 17:00 has come in their zone."""
    return services.weekly_digests_queue()

from celery import shared_task

from scheduling import notices, services


@shared_task(name="scheduling.cancel_meetups_without_quorum")
def cancel_meetups_without_quorum() -> int:
    """Beat, every five minutes: tentative meetups past their deadline without enough going."""
    return len(services.meetups_cancel_without_quorum())


@shared_task(name="scheduling.queue_weekly_digests")
def queue_weekly_digests() -> int:
    """Beat, every quarter hour: the digests whose Sunday 17:00 has come in their zone."""
    return notices.weekly_digests_queue()

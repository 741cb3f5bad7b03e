from celery import shared_task

from scheduling import services


@shared_task(name="scheduling.cancel_meetups_without_quorum")
def cancel_meetups_without_quorum() -> int:
    """Beat, every five minutes: tentative meetups past their deadline without enough going."""
    return len(services.meetups_cancel_without_quorum())


@shared_task(name="scheduling.keep_series_horizon")
def keep_series_horizon() -> int:
    """Beat, every hour: each series' occurrences made SERIES_HORIZON_WEEKS ahead."""
    return services.series_keep_horizon()


@shared_task(name="scheduling.erase_home_addresses")
def erase_home_addresses() -> int:
    """Beat, every hour: the addresses of homes whose meetup ended a week ago."""
    return services.home_addresses_erase()

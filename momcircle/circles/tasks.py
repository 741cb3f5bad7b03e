from celery import shared_task

from momcircle.circles import services


@shared_task(name="circles.make_proposals")
def make_proposals() -> int:
    """Beat, nightly: the engine proposes circles to everyone looking for one."""
    return len(services.proposals_make())


@shared_task(name="circles.close_due_proposals")
def close_due_proposals() -> int:
    """Beat, every quarter hour: proposals past their deadline let their seats go."""
    return services.proposals_close_due()

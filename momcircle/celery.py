"""Celery application: configured from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momcircle.settings")

app = Celery("momcircle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="momcircle.ping", ignore_result=False)
def ping() -> str:
    """Round trip through broker, worker and result backend; used by operators and tests."""
    return "pong"

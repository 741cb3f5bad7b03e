import uuid

import pytest


@pytest.fixture(scope="session", autouse=True)
def _celery_queue_of_this_test_process():
    """What this test process queues without naming a queue (a dispatch after a commit) goes
    to a queue of its own: a worker a test starts on it is the only one to take those tasks,
    never the worker of a test in another process. Set before the first task is queued, as
    Celery reads the default queue once."""
    from momcircle.celery import app

    app.conf.task_default_queue = f"test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password for every member, and the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets its own cache namespace, so rate-limit counters never leak across tests."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def smtp_sink(settings):
    """Email goes over real SMTP to a sink on loopback; `smtp_sink.inbox.messages` holds it."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Services tell the apps above them after their commit (momcircle.events): run those
    callbacks in the test, as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run

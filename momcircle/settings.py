"""MomCircle settings, driven by environment variables (see README "Configuration")."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-key-never-used-in-production")

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "momcircle.admin_selection.MomCircleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "momcircle.profiles",
    "momcircle.outbox",
    "groups",
    "scheduling",
    "momcircle.circles",
    "momcircle.conversation",
    "momcircle.notifications",
    "momcircle.moderation",
    "momcircle.privacy",
    "momcircle.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "momcircle.addresses.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "momcircle.profiles.middleware.OnboardingRequiredMiddleware",
    "momcircle.profiles.middleware.LanguagePreferenceMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "momcircle.urls"
WSGI_APPLICATION = "momcircle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "momcircle.context_processors.support",
            ],
        },
    },
]

# Database: PostgreSQL only, everywhere (tests included).
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres:///momcircle")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and the shared cache (the rate limits, ours and allauth's, count there,
# so every web process sees the same counters). While Redis does not answer, the cache is a
# table in PostgreSQL (momcircle/cache.py; `manage.py createcachetable` creates it).
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "momcircle.cache.RedisOrDatabaseCache",
        "LOCATION": REDIS_URL,
        "TABLE": "momcircle_cache",
        "KEY_PREFIX": "momcircle",
        # A Redis that does not answer costs one request a second at most, once per
        # RETRY_SECONDS and process: in between, the calls go straight to PostgreSQL.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RETRY_SECONDS": 5,
    },
    # Rendered template fragments ({% cache %}), in each process's memory: a fragment costs
    # no round trip, and a deploy, which restarts the processes, never serves an old one.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# django-allauth: email is the login; verification is mandatory.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "momcircle.profiles.adapter.AccountAdapter"  # refuses control characters
ACCOUNT_FORMS = {
    "signup": "momcircle.profiles.account_forms.SignupForm",
    "login": "momcircle.profiles.account_forms.LoginForm",
    "request_login_code": "momcircle.profiles.account_forms.RequestLoginCodeForm",
}
# Logging in with a one-time code emailed to her: the way in no stranger can block. Five
# wrong passwords lock the password out for five minutes (login_failed below), not the
# code; a code belongs to the browser that asked for it and dies after three wrong tries.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    # Login codes: per address, and per email from anywhere (which bounds the emails she can
    # be sent); before those, per email from one address (profiles/account_forms.py), so
    # that a stranger needs several addresses to use up hers.
    "request_login_code": "20/m/ip,30/h/key",
    "request_login_code_from_address": "3/m/key,10/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MomCircle] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_SESSION_REMEMBER = None

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: EMAIL_URL=smtp://user:password@host:port (or smtp+tls://) for real delivery.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or ""
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MomCircle <hello@momcircle.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# An organizer's open meetup page asks for new answers this often.
ANSWERS_POLL_SECONDS = env.int("ANSWERS_POLL_SECONDS", default=20)
# A member's open meetup page asks for new messages in its conversation this often.
CONVERSATION_POLL_SECONDS = env.int("CONVERSATION_POLL_SECONDS", default=10)

# How far ahead a recurring meetup's occurrences exist (the hourly beat keeps them made).
SERIES_HORIZON_WEEKS = env.int("SERIES_HORIZON_WEEKS", default=8)

# Circles: how long members have to answer a proposed circle, and how many "I'm in" make it
# a group (its first meetup needs as many going).
CIRCLE_ANSWER_HOURS = env.int("CIRCLE_ANSWER_HOURS", default=72)
CIRCLE_QUORUM = env.int("CIRCLE_QUORUM", default=3)

# Where members write for help (shown on the account pages and in the footer).
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="help@momcircle.local")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
# The site's own catalogues (locale/, built by `make messages`; locale/en holds the site's own
# English for allauth's account pages), then its own Spanish for what allauth and Django's
# forms inside it say (locale_overrides/, edited by hand): each wins over allauth's and
# Django's catalogues, and the first over the second.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_TZ = True
# The day in a meetup's time for each language ("Tue 8 Dec", "mar 8 dic"): momcircle/formats/.
FORMAT_MODULE_PATH = ["momcircle.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: everything under the CELERY_ namespace (see momcircle/celery.py).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Where a task goes when its sender names no queue (a test's worker listens on one of its own,
# so what its tasks queue in turn, such as a dispatch after a commit, stays with it).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch": {
        "task": "outbox.dispatch",
        "schedule": env.float("OUTBOX_DISPATCH_SECONDS", default=60.0),
    },
    "clear-expired-sessions": {
        "task": "profiles.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=17),
    },
    "cancel-meetups-without-quorum": {
        "task": "scheduling.cancel_meetups_without_quorum",
        "schedule": crontab(minute="*/5"),
    },
    "keep-series-horizon": {
        "task": "scheduling.keep_series_horizon",
        "schedule": crontab(minute=7),
    },
    "erase-home-addresses": {
        "task": "scheduling.erase_home_addresses",
        "schedule": crontab(minute=41),
    },
    # Each member's digest is due at Sunday 17:00 in her own zone; zones are an hour or a
    # half hour apart, so a quarter-hourly run sends each within minutes of its time.
    "queue-weekly-digests": {
        "task": "notifications.queue_weekly_digests",
        "schedule": crontab(minute="*/15"),
    },
    # Circles are proposed at night (US time), when few members are answering anything.
    "make-circle-proposals": {
        "task": "circles.make_proposals",
        "schedule": crontab(hour=8, minute=30),
    },
    "close-due-circle-proposals": {
        "task": "circles.close_due_proposals",
        "schedule": crontab(minute="*/15"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything comes from this site, and no inline script
# or style runs. htmx's own indicator <style> is switched off in base.html (site.css has it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Browser features no MomCircle page uses are off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

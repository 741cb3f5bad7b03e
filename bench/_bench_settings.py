"""The project's settings plus a bare one-query view, the baseline of bench/browse.py and
bench/load.py."""

import warnings

from django.conf import global_settings

from momcircle.settings import *  # noqa: F403
from momcircle.settings import ACCOUNT_RATE_LIMITS

# Static files are not collected for a benchmark run; whitenoise need not say so.
warnings.filterwarnings("ignore", "No directory at")

ROOT_URLCONF = "_bench_urls"
DEBUG = False

# bench/load.py logs 100 members in from one address, 127.0.0.1, where production sees 100
# addresses: each simulated member keeps the 30 logins a minute one address has.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "3000/m/ip"}
# bench/load.py gives its members passwords hashed with MD5 so that a login measures the
# login page, not the deliberately slow PBKDF2 (about 230 ms of CPU each); the usual hashers
# still check every other password.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *global_settings.PASSWORD_HASHERS,
]

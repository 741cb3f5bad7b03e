"""The project's settings plus a bare one-query view, the baseline of bench/browse.py."""

import warnings

from momcircle.settings import *  # noqa: F403

# Static files are not collected for a benchmark run; whitenoise need not say so.
warnings.filterwarnings("ignore", "No directory at")

ROOT_URLCONF = "_bench_urls"
DEBUG = False

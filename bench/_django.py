"""Imported first by the benchmarks that run the project: the repository root and this folder
on sys.path, and Django set up with the bench settings."""

import os
import sys
from pathlib import Path

import django

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
os.environ["DJANGO_SETTINGS_MODULE"] = "_bench_settings"
django.setup()

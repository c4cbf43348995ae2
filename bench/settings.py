"""The site as it runs in production, on this machine's PostgreSQL and Redis, for `make bench`.

The site reads its configuration from the environment (``website.settings``): the bench
sets that environment, then pins what the figures depend on. ``BENCH_DATABASE_URL`` and
``BENCH_REDIS_URL`` choose other servers; ``BENCH_PAGE_CACHE=0`` serves case pages
uncached (``APPEALS_PAGE_CACHE = None``).
"""

import os
from pathlib import Path

import dj_database_url

BENCH_DIR = Path(__file__).resolve().parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/appeals_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
# Fixed, so that the runner signs the forms' render stamps with the servers' key.
BENCH_SECRET_KEY = "bench-only-key-never-used-to-serve-anyone-4b1d0c9e"  # noqa: S105
# Nobody is rate-limited: every request comes from 127.0.0.1.
NO_LIMIT = 1_000_000_000

os.environ.update(
    SECRET_KEY=BENCH_SECRET_KEY,
    DEBUG="0",
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    CONN_MAX_AGE="600",
    ALLOWED_HOSTS="127.0.0.1,localhost",
    TASKS_BACKEND="database",
    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    STATIC_ROOT=str(BENCH_DIR / "static-root"),
    APPEALS_SUBMISSIONS_PER_NETWORK=str(NO_LIMIT),
    APPEALS_EMAILS_PER_ADDRESS_PER_DAY=str(NO_LIMIT),
)

from website.settings import *  # noqa: E402, F403
from website.settings import INSTALLED_APPS, TASKS  # noqa: E402

# Pinned whatever the site's settings make of the environment.
DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
TASKS["default"]["BACKEND"] = "django_tasks_db.DatabaseBackend"
STATIC_ROOT = BENCH_DIR / "static-root"
APPEALS_SUBMISSIONS_PER_NETWORK = NO_LIMIT
APPEALS_EMAILS_PER_ADDRESS_PER_DAY = NO_LIMIT
# Served over plain HTTP on 127.0.0.1: no redirect to HTTPS.
SECURE_SSL_REDIRECT = False

# Every key the bench writes carries its prefix, so that a run clears its own keys only.
CACHE_PREFIX = os.environ.get("BENCH_CACHE_PREFIX", "bench")
for _cache in CACHES.values():  # noqa: F405
    _cache["KEY_PREFIX"] = CACHE_PREFIX

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_PAGE_CACHE") == "0":
    APPEALS_PAGE_CACHE = None

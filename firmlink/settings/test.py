"""The test suite. Database and broker come from the environment (see the Makefile)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In memory, except for a worker process a test starts against its own SMTP server.
EMAIL_BACKEND = os.environ.get("FIRMLINK_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Serve static files from the apps (no collectstatic before tests), as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A real broker when `make test` found Redis (database 15, its own queue), else in memory.
CELERY_BROKER_URL = os.environ.get("FIRMLINK_TEST_REDIS_URL") or "memory://"
CELERY_TASK_DEFAULT_QUEUE = "firmlink-test"
# A task whose worker was killed comes back after this many seconds (Redis visibility timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
FIRMLINK_SEND_RETRY_BACKOFF = 1
FIRMLINK_SEND_LEASE_SECONDS = 60
FIRMLINK_FIRM_NAME = "Test Firm LLP"
# Short limits, below the test lease; a worker process a fault test starts may stop its batches early.
CELERY_TASK_TIME_LIMIT = 45
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("FIRMLINK_TEST_SOFT_TIME_LIMIT", 30))
# The tests want a killed worker's task back within seconds (visibility_timeout above), which the
# production rule for it (above the time limit plus the longest retry countdown) cannot allow.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "firmlink.W002"]  # noqa: F405
FIRMLINK_SEND_LEASE_SECONDS = int(os.environ.get("FIRMLINK_SEND_LEASE_SECONDS", FIRMLINK_SEND_LEASE_SECONDS))
# django-axes says every sign-in at INFO; the tests' output needs only its warnings.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405

# A test's writes never commit (the data version never moves): counts are computed every time, except
# in the tests of the cache itself (tests/test_versioning.py, transactional).
FIRMLINK_SUMMARY_CACHE = False

"""Development and ``make run``: debug on, mail written to files under ``var/mail``."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

from .base import *  # noqa: E402,F403

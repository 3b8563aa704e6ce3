"""Production: refuses to start without SECRET_KEY and ALLOWED_HOSTS; HTTPS only.

https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DEBUG"] = "false"

from .base import *  # noqa: E402,F403
from .environment import env  # noqa: E402

if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
if not os.environ.get("DEFAULT_FROM_EMAIL"):
    raise ImproperlyConfigured(
        "DEFAULT_FROM_EMAIL must be set in production (e.g. 'Firmlink <firmlink@yourfirm.com>'): reminders "
        "sent from firmlink@localhost are rejected or filed as spam."
    )
if not os.environ.get("FIRMLINK_BASE_URL"):
    raise ImproperlyConfigured("FIRMLINK_BASE_URL must be set in production: the links in every email start with it.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE  # noqa: F405

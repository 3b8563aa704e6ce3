"""Settings shared by every environment, read from the environment through ``env``."""

import datetime
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

from .environment import BASE_DIR, VAR_DIR, env  # noqa: F401  (BASE_DIR is a setting)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only-never-deploy-this-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "csp",
    # Bottom up: the kernel, the court directory, attorneys and pairs, reminders, the web pages.
    "core",
    "courts",
    "attorneys",
    "campaigns",
    "tasks",
    "dashboard",
    "axes",  # last, as its documentation asks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "attorneys.versioning.PageVersionMiddleware",  # a page view reads the data version once
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivateResponseMiddleware",
    "core.middleware.RejectNulMiddleware",  # inside the two above: its 400 carries their headers
    "axes.middleware.AxesMiddleware",  # last, as its documentation asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username before any password check
    "attorneys.backends.FirmlinkBackend",
]

ROOT_URLCONF = "firmlink.urls"
WSGI_APPLICATION = "firmlink.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.firmlink",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'firmlink.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True
# Timestamps are stored in UTC and shown in the firm's time zone; "today" for every
# deadline is the calendar date in this zone (see core.clock).
FIRM_TIME_ZONE = env("FIRM_TIME_ZONE", default="America/New_York")
try:
    zoneinfo.ZoneInfo(FIRM_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"FIRM_TIME_ZONE={FIRM_TIME_ZONE!r} is not an IANA time zone.") from exc
TIME_ZONE = FIRM_TIME_ZONE

# Run the whole installation "as of" a date (demos, training). Empty means real today.
# Whole-firm counts (overview, table totals, per-court counts) reused until the data changes
# (attorneys.versioning; PostgreSQL only).
FIRMLINK_SUMMARY_CACHE = env.bool("FIRMLINK_SUMMARY_CACHE", default=True)
FIRMLINK_SUMMARY_CACHE_SECONDS = env.int("FIRMLINK_SUMMARY_CACHE_SECONDS", default=3600)

_as_of = env("FIRMLINK_AS_OF", default="")
try:
    FIRMLINK_AS_OF = datetime.date.fromisoformat(_as_of) if _as_of else None
except ValueError as exc:
    raise ImproperlyConfigured(f"FIRMLINK_AS_OF={_as_of!r} is not a date (YYYY-MM-DD).") from exc

FIRMLINK_BASE_URL = env("FIRMLINK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
FIRMLINK_FIRM_NAME = env("FIRMLINK_FIRM_NAME", default="")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

from .celery_conf import *  # noqa: E402,F403
from .email_conf import *  # noqa: E402,F403
from .reminders_conf import *  # noqa: E402,F403
from .roster_conf import *  # noqa: E402,F403
from .security_conf import *  # noqa: E402,F403

"""Email, configured with Django's own setting names read from the environment.

https://docs.djangoproject.com/en/5.2/topics/email/#email-backends
"""

from urllib.parse import urlsplit

from .environment import VAR_DIR, env

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Firmlink <firmlink@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies to reminders go here (several addresses: comma-separated); empty: to the firm's
# administrators (the active logins with the Administrator role, as for the digest).
FIRMLINK_REPLY_TO = env.list("FIRMLINK_REPLY_TO", default=[])
# Message-IDs end in @ this domain; by default the host of FIRMLINK_BASE_URL.
FIRMLINK_MAIL_DOMAIN = (
    env("FIRMLINK_MAIL_DOMAIN", default="")
    or urlsplit(env("FIRMLINK_BASE_URL", default="http://127.0.0.1:8000")).hostname
    or "localhost"
)

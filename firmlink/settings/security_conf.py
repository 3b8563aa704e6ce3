"""Logins, sessions and the headers every response carries.

Login throttling: django-axes (https://django-axes.readthedocs.io/). Content-Security-Policy:
django-csp 4 (https://django-csp.readthedocs.io/). The pages load scripts and styles only from
this site and run no inline script.
"""

import datetime

from csp.constants import NONE, SELF

from .environment import env

# Login throttling: this many wrong passwords for one username lock that account out (on the
# dashboard and the admin login alike) for FIRMLINK_LOGIN_LOCKOUT_MINUTES, or until an
# administrator unlocks it on its Logins page (0: only an administrator unlocks it).
AXES_FAILURE_LIMIT = env.int("FIRMLINK_LOGIN_FAILURE_LIMIT", default=10)
_lockout_minutes = env.int("FIRMLINK_LOGIN_LOCKOUT_MINUTES", default=60)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
# By username only: guessing at one account from any number of addresses is stopped, while an
# office of attorneys behind one NAT address is never locked out together by one person's typos.
# (django-axes warns, axes.W006, that the IP address is not part of it: that is this choice.)
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
# Failed attempts keep no request data beyond the username (never a password).
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "old_password", "new_password1", "new_password2"]

# A signed-in session lasts this many hours from sign-in (Django's default is two weeks).
SESSION_COOKIE_AGE = env.int("FIRMLINK_SESSION_HOURS", default=8) * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page of Firmlink uses, switched off for every page.
FIRMLINK_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
AXES_VERBOSE = False  # no banner on every manage.py command

"""Reminder schedule and self-service links. The rules using them live in tasks/ and attorneys/."""

from .environment import env

# Before a court's go-live: reminders to e-filers who are not ready, this many days ahead.
FIRMLINK_REMINDER_DAYS_BEFORE = sorted(
    {int(d) for d in env.list("FIRMLINK_REMINDER_DAYS_BEFORE", default=["30", "14", "7", "1"])}, reverse=True
)
# After go-live: every this many days while the attorney still cannot file there.
FIRMLINK_REMINDER_EVERY_DAYS_AFTER = env.int("FIRMLINK_REMINDER_EVERY_DAYS_AFTER", default=3)
# Still unlinked this many days after go-live: on the administrators' daily digest.
FIRMLINK_ESCALATE_AFTER_DAYS = env.int("FIRMLINK_ESCALATE_AFTER_DAYS", default=7)
# The administrators' digest lists at most this many pairs (all are counted per court).
FIRMLINK_DIGEST_MAX_LISTED = env.int("FIRMLINK_DIGEST_MAX_LISTED", default=200)
# The daily run happens at this hour of the firm's time zone (0-23).
FIRMLINK_REMINDER_HOUR = env.int("FIRMLINK_REMINDER_HOUR", default=8)
# Attorneys per Celery task: several workers share a large firm batch by batch.
FIRMLINK_REMINDER_BATCH_SIZE = env.int("FIRMLINK_REMINDER_BATCH_SIZE", default=100)
# Sending retries: exponential backoff starting at this many seconds, at most this many retries.
FIRMLINK_SEND_RETRY_BACKOFF = env.int("FIRMLINK_SEND_RETRY_BACKOFF", default=60)
FIRMLINK_SEND_MAX_RETRIES = env.int("FIRMLINK_SEND_MAX_RETRIES", default=5)
FIRMLINK_SEND_RETRY_BACKOFF_MAX = env.int("FIRMLINK_SEND_RETRY_BACKOFF_MAX", default=3600)
# A claim on an attorney's rows is renewed before each message; one older than this is
# considered abandoned (its worker died or hangs) and retaken. Keep it well above the time one
# message can take (EMAIL_TIMEOUT) and above the task's time limit (CELERY_TASK_TIME_LIMIT).
FIRMLINK_SEND_LEASE_SECONDS = env.int("FIRMLINK_SEND_LEASE_SECONDS", default=30 * 60)
# A message the server accepted is recorded as sent; if the database is gone at that moment,
# recording is retried for this many seconds before the worker gives up (and may send it again).
FIRMLINK_SEND_RECORD_PATIENCE = env.int("FIRMLINK_SEND_RECORD_PATIENCE", default=120)
# Rows whose retries are spent show as failed and are tried again by the hourly dispatch until
# the end of the firm's day, or for this many minutes when set.
FIRMLINK_SEND_RETRY_GRACE_MINUTES = env.int("FIRMLINK_SEND_RETRY_GRACE_MINUTES", default=None)
# Signed links in emails: the self-service checklist expires after this many days; calendar
# feeds (polled for months by calendar applications) after FIRMLINK_CALENDAR_DAYS, never when 0.
# An administrator revokes one attorney's links on the attorney's page.
FIRMLINK_SELF_SERVICE_DAYS = env.int("FIRMLINK_SELF_SERVICE_DAYS", default=30)
FIRMLINK_CALENDAR_DAYS = env.int("FIRMLINK_CALENDAR_DAYS", default=0)
# Raise it to revoke the firm calendar link every firm user can see on the overview.
FIRMLINK_FIRM_CALENDAR_VERSION = env.int("FIRMLINK_FIRM_CALENDAR_VERSION", default=1)
# Campaigns a firm adds beside the built-in ones (NextGen linking, PACER MFA): dotted paths of
# definition modules, each with a CAMPAIGN (see campaigns/registry.py and the README).
FIRMLINK_EXTRA_CAMPAIGNS = env.list("FIRMLINK_EXTRA_CAMPAIGNS", default=[])

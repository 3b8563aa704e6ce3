"""Celery: Redis in production, a file-system broker by default so ``make run`` needs no server.

https://docs.celeryq.dev/en/stable/userguide/configuration.html
"""

from celery.schedules import crontab

from .environment import VAR_DIR, env

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "filesystem://localhost//"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Web, worker and beat are separate processes: they meet in one folder.
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery-control"),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task taken but not acknowledged (acks_late) comes back after this long: above the longest
    # a task can hold it, i.e. the time limit plus the longest retry countdown (an ETA task waits in
    # the worker unacknowledged), so that a slow or retried batch is never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600)}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="firmlink")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Tasks are fire-and-forget; their outcome is recorded in the database, not a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# A task is acknowledged after it ran, so a worker killed mid-task leaves it to be redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A batch is stopped softly (its unsent rows go back to pending, the task retries) before the hard
# limit kills it. Both stay below the claim lease (FIRMLINK_SEND_LEASE_SECONDS).
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Celery keeps UTC; the firm's reminder hour is checked in code against the firm's own clock
# (core.clock), so daylight-saving changes never shift or skip a day.
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE = {
    # Fires at minute 5 of every hour, UTC. The task starts the day's run once the firm's local
    # time has reached FIRMLINK_REMINDER_HOUR, and otherwise only resumes unfinished sending.
    "dispatch-reminders": {
        "task": "tasks.tasks.dispatch_reminders",
        "schedule": crontab(minute=5),
    },
}

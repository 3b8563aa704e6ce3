"""System checks: worker settings under which a reminder is never handed to two workers at once."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def sending_settings(app_configs, **kwargs):
    problems = []
    limit: int = settings.CELERY_TASK_TIME_LIMIT or 0
    lease: int = settings.FIRMLINK_SEND_LEASE_SECONDS
    if lease <= limit:
        problems.append(
            Warning(
                f"FIRMLINK_SEND_LEASE_SECONDS ({settings.FIRMLINK_SEND_LEASE_SECONDS}) is not above the task time "
                f"limit ({limit}): a batch still running could lose its rows to a second worker.",
                hint="Keep the lease well above CELERY_TASK_TIME_LIMIT (the defaults: 1800 and 900 seconds).",
                id="firmlink.W001",
            )
        )
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    needed = limit + settings.FIRMLINK_SEND_RETRY_BACKOFF_MAX
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")) and (visibility or 3600) <= needed:
        problems.append(
            Warning(
                f"The Redis visibility_timeout ({visibility or 3600} s) is not above the time limit plus the longest "
                f"retry countdown ({needed} s): Redis would hand a retried batch to a second worker.",
                hint="Set CELERY_VISIBILITY_TIMEOUT (default 7200) above CELERY_TASK_TIME_LIMIT + "
                "FIRMLINK_SEND_RETRY_BACKOFF_MAX.",
                id="firmlink.W002",
            )
        )
    if settings.CELERY_WORKER_PREFETCH_MULTIPLIER != 1 or not settings.CELERY_TASK_ACKS_LATE:
        problems.append(
            Warning(
                "Workers should take one task at a time and acknowledge it after it ran.",
                hint="CELERY_WORKER_PREFETCH_MULTIPLIER = 1 and CELERY_TASK_ACKS_LATE = True.",
                id="firmlink.W003",
            )
        )
    return problems

"""Reads on reminders."""

from django.db.models import DateTimeField, OuterRef, Subquery

from core import clock

from .models import Reminder, ReminderRun, ReminderStatus


def last_reminder_sent_subquery():
    """For a CourtLink queryset: when the last reminder about that pair was sent."""
    return Subquery(
        Reminder.objects.filter(link=OuterRef("pk"), status=ReminderStatus.SENT)
        .order_by("-sent_at")
        .values("sent_at")[:1],
        output_field=DateTimeField(),
    )


def reminder_health(shown: int = 20) -> dict:
    """For the overview: the latest runs and the reminders that failed, in two or three queries."""
    runs = list(ReminderRun.objects.order_by("-run_on")[:7])
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    listed = list(failed.select_related("attorney", "link__court").order_by("-due_on", "-id")[: shown + 1])
    return {
        "run_clock": clock.now(),  # "started ... ago" by the firm's clock (FIRMLINK_AS_OF aware)
        "latest_run": runs[0] if runs else None,
        "last_run": next((run for run in runs if run.finished_at), None),
        "failed_reminders": listed[:shown],
        "failed_total": len(listed) if len(listed) <= shown else failed.count(),
    }

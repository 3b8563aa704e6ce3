"""Reads on reminders."""

from django.db.models import DateTimeField, OuterRef, Subquery

from .models import Reminder, ReminderStatus


def last_reminder_sent_subquery():
    """For a CourtLink queryset: when the last reminder about that pair was sent."""
    return Subquery(
        Reminder.objects.filter(link=OuterRef("pk"), status=ReminderStatus.SENT)
        .order_by("-sent_at")
        .values("sent_at")[:1],
        output_field=DateTimeField(),
    )

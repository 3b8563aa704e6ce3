from django.contrib import admin, messages

from core.admin import ReadOnlyAdmin

from .models import EscalationDigest, Reminder, ReminderRun, ReminderStatus


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("due_on", "attorney", "what", "occasion", "status", "attempts", "sent_at", "last_error")
    list_filter = ("campaign", "status", "kind", "due_on")
    search_fields = ("attorney__name", "attorney__email", "link__court__court_id", "last_error")
    list_select_related = ("attorney", "link__court")
    date_hierarchy = "due_on"
    actions = ("retry",)

    @admin.display(ordering="link__court__court_id", description="court or campaign")
    def what(self, obj):
        return obj.what

    @admin.action(description="Send again at the next run (failed reminders only)")
    def retry(self, request, queryset):
        count = queryset.filter(status=ReminderStatus.FAILED).update(
            status=ReminderStatus.PENDING, claim="", retry_until=None
        )
        self.message_user(request, f"{count} failed reminder(s) will be sent at the next run.", messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyAdmin):
    list_display = (
        "run_on",
        "started_at",
        "finished_at",
        "planned",
        "sent",
        "skipped",
        "failed",
        "pending",
        "batches_total",
        "counted_at",
    )
    date_hierarchy = "run_on"


@admin.register(EscalationDigest)
class EscalationDigestAdmin(ReadOnlyAdmin):
    list_display = ("run_on", "status", "pairs", "recipients", "sent_at", "last_error")
    list_filter = ("status",)

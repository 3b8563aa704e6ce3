from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for the audit: viewable in the admin, never added, edited or deleted there (by
    anyone, superusers included: a deleted reminder would be sent again, a deleted run or export
    record would leave a gap in the audit)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

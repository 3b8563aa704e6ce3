from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for the audit: viewable in the admin, never added or edited there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.db.models import Count

from firmlink.admin import ReadOnlyAdmin

from .models import Attorney, CourtLink, ExportLog, RosterImport, Step, StepChange, Verification
from .services import Actor, attorney_update, history_add, link_create


class ReadOnlyHistoryInline(admin.TabularInline):
    model = StepChange
    fields = ("changed_at", "actor", "source", "step", "old_value", "new_value", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("-changed_at", "-id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttorneyHistoryInline(ReadOnlyHistoryInline):
    fk_name = "attorney"


class LinkHistoryInline(ReadOnlyHistoryInline):
    fk_name = "link"


class CourtLinkInline(admin.TabularInline):
    model = CourtLink
    fields = ("court", "efiling_account", "new_to_court", "cmecf_login_known", "linked_on", "menus_confirmed_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attorney)
class AttorneyAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "bar_number", "pacer_account", "pacer_individual", "is_active", "court_count")
    list_filter = ("pacer_account", "pacer_individual", "is_active")
    search_fields = ("name", "email", "bar_number", "pacer_username")
    autocomplete_fields = ("user",)
    inlines = (CourtLinkInline, AttorneyHistoryInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(court_count=Count("links"))

    @admin.display(ordering="court_count", description="courts")
    def court_count(self, obj):
        return obj.court_count

    def save_model(self, request, obj, form, change):
        actor = Actor.for_user(request.user)
        if not change:
            obj.save()
            history_add(actor=actor, step=Step.ATTORNEY_ADDED, old=None, new=obj.email, attorney=obj, note="admin")
            return
        tracked = {f: form.cleaned_data[f] for f in form.changed_data if f != "user"}
        if "user" in form.changed_data:
            type(obj).objects.filter(pk=obj.pk).update(user=form.cleaned_data["user"])
        if tracked:
            attorney_update(attorney_id=obj.pk, actor=actor, note="admin", **tracked)
        obj.refresh_from_db()


@admin.register(CourtLink)
class CourtLinkAdmin(admin.ModelAdmin):
    list_display = ("attorney", "court", "status", "efiling_account", "new_to_court", "linked_on")
    list_filter = ("court__court_type", "efiling_account", "new_to_court", "cmecf_login_known")
    search_fields = ("attorney__name", "attorney__email", "court__court_id", "court__name")
    list_select_related = ("attorney", "court")
    autocomplete_fields = ("attorney", "court")
    inlines = (LinkHistoryInline,)
    # Steps are recorded on the dashboard, through the one service that keeps the history.
    step_fields = (
        "cmecf_login_known",
        "linked_on",
        "linked_recorded_by",
        "linked_recorded_at",
        "cmecf_name_shown",
        "pacer_name_shown",
        "menus_confirmed_on",
        "registered_on",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(ordering="status")
    def status(self, obj):
        return obj.status

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.step_fields
        return ("attorney", "court", "efiling_account", "new_to_court", *self.step_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            link = link_create(
                attorney=obj.attorney,
                court=obj.court,
                actor=Actor.for_user(request.user),
                efiling_account=obj.efiling_account,
                new_to_court=obj.new_to_court,
                note="admin",
            )
            obj.pk = link.pk
            obj._state.adding = False


@admin.register(StepChange)
class StepChangeAdmin(admin.ModelAdmin):
    """The history, read-only: it cannot be edited or deleted, here or anywhere."""

    list_display = ("changed_at", "actor", "source", "step", "attorney", "court", "old_value", "new_value")
    list_filter = ("step", "source")
    search_fields = ("attorney__name", "attorney__email", "court__court_id", "actor", "note")
    list_select_related = ("attorney", "court")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "actor", "kind", "channel", "as_of", "rows", "finished_at")
    list_filter = ("kind", "channel")
    search_fields = ("actor",)
    date_hierarchy = "started_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    list_display = ("uploaded_at", "filename", "uploaded_by", "state", "summary")
    list_filter = ("state",)
    exclude = ("content",)


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ("verified_at", "verified_by", "change")
    list_select_related = ("verified_by", "change")

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from core.admin import ReadOnlyAdmin
from core.audit import Actor
from core.exceptions import StepRefused
from courts.models import Court

from .models import Attorney, CourtLink, ExportLog, RosterImport, StepChange, Verification
from .services.court_facts import DIRECTORY_FIELDS, court_add, court_directory_correct, court_set_go_live
from .services.people import attorney_login_set
from .services.records import attorney_update, attorneys_add, link_create


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
            user, obj.user = obj.user, None
            (created,) = attorneys_add(actor=actor, note="admin", attorneys=[obj])
            if user is not None:
                attorney_login_set(actor=actor, attorney_id=created.pk, user=user)
                obj.refresh_from_db()
            return
        tracked = {f: form.cleaned_data[f] for f in form.changed_data if f != "user"}
        if "user" in form.changed_data:
            attorney_login_set(actor=actor, attorney_id=obj.pk, user=form.cleaned_data["user"])
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


# Courts are administered here because a go-live correction is written to the history.
def _https_formfield(field, **kwargs):
    """Addresses typed without a scheme mean https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class CourtAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the go-live date changes: where the corrected date comes from.",
    )

    class Meta:
        model = Court
        formfield_callback = _https_formfield
        fields = [field.name for field in Court._meta.fields if field.editable and not field.primary_key]

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and "nextgen_go_live" in self.changed_data
            and not cleaned.get("correction_note", "").strip()
        ):
            self.add_error("correction_note", "Say where the corrected go-live date comes from.")
        return cleaned


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    form = CourtAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("court_id", "name", "court_type", "state", "nextgen_go_live", "go_live_source_kind")
    list_filter = ("court_type", "go_live_source_kind", ("nextgen_go_live", admin.EmptyFieldListFilter), "state")
    search_fields = ("court_id", "name", "state")
    date_hierarchy = "nextgen_go_live"
    readonly_fields = (
        "go_live_source_kind",
        "go_live_source_url",
        "go_live_source_note",
        "live_by",
        "live_by_source",
        "live_by_note",
        "directory_source",
        "directory_as_of",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("court_id", "name", "court_type", "state", "notes")}),
        ("CM/ECF", {"fields": ("ecf_url", "web_url", "help_desk_phone", "help_desk_email")}),
        (
            "NextGen go-live",
            {
                "fields": (
                    "nextgen_go_live",
                    "correction_note",
                    "go_live_source_kind",
                    "go_live_source_url",
                    "go_live_source_note",
                    "live_by",
                    "live_by_source",
                    "live_by_note",
                )
            },
        ),
        (
            "Provenance",
            {
                "fields": (
                    "directory_source",
                    "directory_as_of",
                    "directory_software_version",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        actor = Actor.for_user(request.user)
        if not change:
            court_add(court=obj, actor=actor, note="admin")
            return
        # Every change lands in the history through the services; the date through its correction.
        court_directory_correct(
            court_id=obj.court_id,
            actor=actor,
            values={field: getattr(obj, field) for field in form.changed_data if field in DIRECTORY_FIELDS},
        )
        if "nextgen_go_live" in form.changed_data:
            try:
                court_set_go_live(
                    court_id=obj.court_id,
                    go_live=obj.nextgen_go_live,
                    actor=actor,
                    note=form.cleaned_data["correction_note"],
                )
            except StepRefused as exc:
                self.message_user(request, " ".join(exc.messages), level="error")
        obj.refresh_from_db()

from django import forms
from django.contrib import admin
from django.db import models

from attorneys.services import Actor, StepRefused
from courts.services import court_set_go_live
from firmlink.forms import https_formfield

from .models import Court


class CourtAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the go-live date changes: where the corrected date comes from.",
    )

    class Meta:
        model = Court
        formfield_callback = https_formfield
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
    readonly_fields = ("go_live_source_kind", "go_live_source_url", "go_live_source_note", "created_at", "updated_at")
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
                )
            },
        ),
        ("Provenance", {"fields": ("directory_source", "directory_software_version", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        if change and "nextgen_go_live" in form.changed_data:
            new_date = obj.nextgen_go_live
            obj.nextgen_go_live = form.initial["nextgen_go_live"]
            obj.save()
            try:
                court_set_go_live(
                    court_id=obj.court_id,
                    go_live=new_date,
                    actor=Actor.for_user(request.user),
                    note=form.cleaned_data["correction_note"],
                )
            except StepRefused as exc:
                self.message_user(request, " ".join(exc.messages), level="error")
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)

"""Roster upload with a preview (administrators), and a template to start from.

An upload is kept only while its preview waits for a decision: a refused file is not stored
(its problems are), and an applied one is emptied once applied.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from attorneys.models import RosterImport
from attorneys.roster import REQUIRED, RosterError
from attorneys.roster.reading import size
from campaigns.roster import all_columns, apply_with_steps, preview
from core import clock
from core.audit import Actor
from core.csvsafe import csv_lines

from ..permissions import AdministratorRequiredMixin

TEMPLATE_ROWS = [
    ["James C Alison", "james@firm.example", "canb", "yes", "no", "CA123456", "", "upgraded", "yes"],
    ["James C Alison", "james@firm.example", "nysd", "no", "no", "CA123456", "", "upgraded", "yes"],
]
# The campaigns' columns, filled on the first row only (the same attorney: a second row may leave them empty).
TEMPLATE_CAMPAIGN_CELLS = {
    "mfa_email_confirmed_on": "2025-06-02",
    "authenticator_holders": "James C Alison; Pat Paralegal",
    "mfa_enrolled_on": "2025-06-03",
    "backup_codes_place": "Firm password manager, MFA folder",
    "pacer_vendor": "none",
    # Per attorney and court: the canb row (the nysd row leaves them empty: not known yet)
    "admitted_on": "2012-03-05",
    "renewed_on": "",
    "notice_inbox_added_on": "2024-02-01",
    "notice_tested_on": "",
}


class UploadForm(forms.Form):
    file = forms.FileField(label="Roster (CSV, UTF-8)")


def _preview(data: bytes):
    """(plan, errors) for the uploaded bytes, reading but never writing."""
    try:
        return preview(data), []
    except RosterError as exc:
        return None, exc.errors


class RosterUploadView(AdministratorRequiredMixin, View):
    template_name = "attorneys/roster_upload.html"

    def get(self, request):
        recent = RosterImport.objects.select_related("uploaded_by").defer("content")[:10]
        return render(
            request,
            self.template_name,
            {"form": UploadForm(), "columns": all_columns(), "required": REQUIRED, "recent": recent, "nav": "roster"},
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"form": form, "columns": all_columns(), "required": REQUIRED, "nav": "roster"},
                status=400,
            )
        upload = form.cleaned_data["file"]
        limit = settings.FIRMLINK_ROSTER_MAX_BYTES
        if upload.size > limit:
            form.add_error("file", f"The file is larger than {size(limit)}: split it.")
            context = {"form": form, "columns": all_columns(), "required": REQUIRED, "nav": "roster"}
            return render(request, self.template_name, context, status=400)
        data = upload.read()
        planned, errors = _preview(data)
        RosterImport.objects.abandon_stale(
            user=request.user, now=clock.now(), max_age=datetime.timedelta(hours=settings.FIRMLINK_ROSTER_PREVIEW_HOURS)
        )
        record = RosterImport.objects.create(
            uploaded_by=request.user,
            filename=upload.name[:255],
            content=b"" if errors else data,  # kept only while the preview waits
            state=RosterImport.State.REFUSED if errors else RosterImport.State.PREVIEWED,
            summary="\n".join(errors) if errors else planned.summary(),
        )
        return redirect("roster-preview", pk=record.pk)


class RosterPreviewView(AdministratorRequiredMixin, View):
    template_name = "attorneys/roster_preview.html"

    def get(self, request, pk):
        record = get_object_or_404(RosterImport, pk=pk)
        planned, errors = None, []
        if record.state == RosterImport.State.REFUSED:
            errors = record.summary.splitlines()
        elif record.state == RosterImport.State.PREVIEWED:
            planned, errors = _preview(bytes(record.content))
        return render(
            request, self.template_name, {"record": record, "plan": planned, "errors": errors, "nav": "roster"}
        )

    def post(self, request, pk):
        record = get_object_or_404(RosterImport, pk=pk, state=RosterImport.State.PREVIEWED)
        if "cancel" in request.POST:
            record.state, record.content = RosterImport.State.ABANDONED, b""
            record.save(update_fields=["state", "content"])
            messages.info(request, f"{record.filename} was not imported; the file is not kept.")
            return redirect("roster-upload")
        try:
            planned = preview(bytes(record.content))  # again: the data may have changed since
            apply_with_steps(
                planned, actor=Actor.importer(record.filename, user=request.user), filename=record.filename
            )
        except RosterError as exc:
            for error in exc.errors[:20]:
                messages.error(request, error)
            return redirect("roster-preview", pk=pk)
        record.state, record.applied_at, record.summary = RosterImport.State.APPLIED, clock.now(), planned.summary()
        record.content = b""  # applied: the history holds what changed; the file is not kept
        record.save(update_fields=["state", "applied_at", "summary", "content"])
        messages.success(request, f"Imported {record.filename}: {planned.summary()}.")
        return redirect("attorney-list")


class RosterTemplateView(AdministratorRequiredMixin, View):
    """A roster to start from: every column, two example rows (one row per attorney and court)."""

    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="firmlink-roster-template.csv"'
        columns = all_columns()
        rows = [
            [*row, *(TEMPLATE_CAMPAIGN_CELLS.get(c, "") if i == 0 else "" for c in columns[len(row) :])]
            for i, row in enumerate(TEMPLATE_ROWS)
        ]
        response.write("".join(csv_lines(columns, rows, excel=True)))
        return response

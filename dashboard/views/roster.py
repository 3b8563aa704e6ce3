"""Roster upload with a preview (administrators)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from attorneys.models import RosterImport
from attorneys.roster import COLUMNS, REQUIRED, RosterError, apply, decode, parse, plan
from core import clock
from core.audit import Actor

from ..permissions import AdministratorRequiredMixin

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Roster (CSV, UTF-8)")


def _preview(data: bytes):
    """(plan, errors) for the uploaded bytes, reading but never writing."""
    try:
        return plan(parse(decode(data))), []
    except RosterError as exc:
        return None, exc.errors


class RosterUploadView(AdministratorRequiredMixin, View):
    template_name = "attorneys/roster_upload.html"

    def get(self, request):
        recent = RosterImport.objects.select_related("uploaded_by").defer("content")[:10]
        return render(
            request,
            self.template_name,
            {"form": UploadForm(), "columns": COLUMNS, "required": REQUIRED, "recent": recent, "nav": "roster"},
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"form": form, "columns": COLUMNS, "required": REQUIRED, "nav": "roster"},
                status=400,
            )
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD // 1024 // 1024} MB.")
            return render(request, self.template_name, {"form": form, "columns": COLUMNS, "nav": "roster"}, status=400)
        data = upload.read()
        planned, errors = _preview(data)
        record = RosterImport.objects.create(
            uploaded_by=request.user,
            filename=upload.name[:255],
            content=data,
            state=RosterImport.State.REFUSED if errors else RosterImport.State.PREVIEWED,
            summary="\n".join(errors) if errors else planned.summary(),
        )
        return redirect("roster-preview", pk=record.pk)


class RosterPreviewView(AdministratorRequiredMixin, View):
    template_name = "attorneys/roster_preview.html"

    def get(self, request, pk):
        record = get_object_or_404(RosterImport, pk=pk)
        planned, errors = (
            (None, record.summary.splitlines())
            if record.state == RosterImport.State.REFUSED
            else (_preview(bytes(record.content)))
        )
        return render(
            request, self.template_name, {"record": record, "plan": planned, "errors": errors, "nav": "roster"}
        )

    def post(self, request, pk):
        record = get_object_or_404(RosterImport, pk=pk, state=RosterImport.State.PREVIEWED)
        try:
            planned = plan(parse(decode(bytes(record.content))))  # again: the data may have changed since
            apply(planned, actor=Actor.importer(record.filename, user=request.user), filename=record.filename)
        except RosterError as exc:
            for error in exc.errors[:20]:
                messages.error(request, error)
            return redirect("roster-preview", pk=pk)
        record.state, record.applied_at, record.summary = RosterImport.State.APPLIED, clock.now(), planned.summary()
        record.save(update_fields=["state", "applied_at", "summary"])
        messages.success(request, f"Imported {record.filename}: {planned.summary()}.")
        return redirect("attorney-list")

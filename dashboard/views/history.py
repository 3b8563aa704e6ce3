"""The firm-wide history (filter, export) and the correction of a recorded step."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.models import ExportLog, StepChange
from attorneys.services.corrections import DATED, correctable, step_correct
from core import roles
from core.audit import Actor
from core.dates import validate_sane_date
from core.exceptions import StepRefused
from core.secrets import refuse_credentials

from .. import exports, selectors
from ..filters import HistoryFilter
from ..permissions import AdministratorRequiredMixin, FirmMemberRequiredMixin
from ..tables import HistoryTable
from .mixins import CsvExportMixin, PerPageMixin


class HistoryView(FirmMemberRequiredMixin, CsvExportMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/history.html"
    table_class = HistoryTable
    filterset_class = HistoryFilter
    export_kind = ExportLog.Kind.HISTORY
    export_header = exports.HISTORY_HEADER

    def get_queryset(self):
        return selectors.history_list()

    def export_rows(self, queryset, today):
        return exports.history_rows(queryset)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "can_correct": roles.is_administrator(self.request.user)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "history"}


class CorrectionForm(forms.Form):
    how = forms.ChoiceField(
        choices=[("undo", "It was recorded by mistake (or on the wrong attorney): undo it in the record")],
        widget=forms.RadioSelect,
        initial="undo",
        label="Correction",
    )
    on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Right date",
        validators=[validate_sane_date],
    )
    reason = forms.CharField(
        max_length=2000, label="Why (required, kept in the history)", validators=[refuse_credentials]
    )

    def __init__(self, *args, dated=False, **kwargs):
        super().__init__(*args, **kwargs)
        if dated:
            self.fields["how"].choices = [
                *self.fields["how"].choices,
                ("redate", "The date is wrong: record the right date"),
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("how") == "redate" and not cleaned.get("on"):
            self.add_error("on", "Give the right date.")
        return cleaned


class CorrectView(AdministratorRequiredMixin, View):
    """An administrator corrects a recorded step: a new entry naming this one; nothing is deleted."""

    template_name = "attorneys/correct.html"

    def entry(self, pk) -> StepChange:
        change = StepChange.objects.select_related("attorney", "court", "link").filter(pk=pk).first()
        if change is None or not correctable(change):
            raise Http404("No such step entry to correct.")
        return change

    def get(self, request, pk):
        change = self.entry(pk)
        return self.show(request, change, CorrectionForm(dated=change.step in DATED))

    def show(self, request, change, form, status=200):
        corrected = change.corrections.first()
        return render(
            request,
            self.template_name,
            {"change": change, "form": form, "corrected": corrected, "nav": "history"},
            status=status,
        )

    def post(self, request, pk):
        change = self.entry(pk)
        form = CorrectionForm(request.POST, dated=change.step in DATED)
        if not form.is_valid():
            return self.show(request, change, form, status=400)
        data = form.cleaned_data
        try:
            correction = step_correct(
                change_id=change.pk,
                actor=Actor.for_user(request.user),
                reason=data["reason"],
                on=data["on"] if data["how"] == "redate" else None,
            )
        except StepRefused as refusal:
            form.add_error(None, " ".join(refusal.messages))
            return self.show(request, change, form, status=400)
        messages.success(request, f"Entry #{change.pk} corrected by entry #{correction.pk}; both are in the history.")
        if change.attorney_id:
            return redirect(reverse("attorney-detail", args=[change.attorney_id]) + "#history")
        return redirect("history")

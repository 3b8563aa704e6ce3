"""An attorney leaving the firm: the checklist across their courts and the campaigns (campaigns.departure)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from attorneys.models import Attorney, StepChange
from campaigns import departure
from core import clock, roles
from core.audit import Actor
from core.dates import validate_sane_date
from core.exceptions import StepRefused

from ..permissions import FirmMemberRequiredMixin


class DepartureView(FirmMemberRequiredMixin, TemplateView):
    """GET: the checklist (anyone who sees the firm); POST: record one item (those who record steps)."""

    template_name = "attorneys/departure.html"

    def get_context_data(self, pk, **kwargs):
        attorney = get_object_or_404(Attorney, pk=pk)
        history = (
            StepChange.objects.filter(attorney=attorney, campaign=departure.SLUG)
            .select_related("court")
            .order_by("-changed_at", "-pk")[:50]
        )
        return {
            **super().get_context_data(**kwargs),
            "attorney": attorney,
            "checklist": departure.checklist(attorney),
            "history": history,
            "can_record": roles.can_record_steps(self.request.user),
            "today": clock.today(),
            "nav": "attorneys",
        }

    def post(self, request, pk):
        if not roles.can_record_steps(request.user):
            return self.handle_no_permission()
        try:
            on = datetime.date.fromisoformat(request.POST.get("on") or clock.today().isoformat())
            validate_sane_date(on)
        except (ValueError, ValidationError):
            messages.error(request, "Give the date as YYYY-MM-DD, between 1990 and 2100.")
            return redirect("attorney-departure", pk=pk)
        try:
            change = departure.departure_record(
                attorney_id=get_object_or_404(Attorney, pk=pk).pk,
                step=request.POST.get("step", ""),
                court_id=request.POST.get("court") or None,
                on=on,
                value=request.POST.get("value") or None,
                actor=Actor.for_user(request.user),
                note=request.POST.get("note", "").strip()[:2000],
            )
        except StepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("attorney-departure", pk=pk)
        label = departure.STEPS[request.POST["step"]].label
        where = f" in {request.POST['court']}" if request.POST.get("court") else ""
        messages.success(request, f"Recorded “{label}”{where}." if change else f"“{label}”{where} was already so.")
        return redirect("attorney-departure", pk=pk)

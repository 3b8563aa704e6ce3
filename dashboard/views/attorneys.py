from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.choices import ATTORNEY_STEPS, Step
from attorneys.models import Attorney, ExportLog, StepChange
from attorneys.names import names_match
from attorneys.services.corrections import correctable
from attorneys.services.steps import attorney_confirmation_verify, awaiting_verification, step_record
from attorneys.status import DONE, LinkStatus
from core import clock, roles
from core.audit import Actor
from core.exceptions import StepRefused

from .. import exports, selectors
from ..checklist import campaign_checklists, court_checklist
from ..filters import AttorneyFilter
from ..forms import FORM_OF_STEP, form_for
from ..permissions import FirmMemberRequiredMixin, RecorderRequiredMixin
from ..tables import AttorneyTable
from .mixins import CsvExportMixin, PerPageMixin
from .selfservice import checklist_page


class AttorneyListView(FirmMemberRequiredMixin, CsvExportMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/attorney_list.html"
    table_class = AttorneyTable
    filterset_class = AttorneyFilter
    export_kind = ExportLog.Kind.ATTORNEYS
    export_header = exports.ATTORNEYS_HEADER
    count_cache = "attorneys"

    def export_rows(self, queryset, today):
        return exports.attorney_rows(queryset, today)

    def get_queryset(self):
        return selectors.attorney_list(user=self.request.user).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        add_url = reverse("attorney-new") if roles.is_administrator(self.request.user) else None
        return {**super().get_context_data(**kwargs), "nav": "attorneys", "add_url": add_url}


class AttorneyDetailView(LoginRequiredMixin, TemplateView):
    """One attorney: PACER-level steps, a checklist per court, the full history."""

    template_name = "attorneys/attorney_detail.html"
    failed = None  # (step, link id, bound form) of a submission that did not validate

    def get_attorney(self) -> Attorney:
        try:
            return selectors.attorney_detail(user=self.request.user, attorney_id=self.kwargs["pk"])
        except Attorney.DoesNotExist:
            raise Http404("No such attorney, or not one you may see.") from None

    def form_builder(self):
        failed = self.failed

        def build(step, link, **initial):
            if failed and failed[0] == step and failed[1] == (link.pk if link else None):
                return failed[2]
            return form_for(step, link=link.pk if link else None, **initial)

        return build

    def get(self, request, *args, **kwargs):
        if roles.role_of(request.user) == roles.Role.ATTORNEY:
            # An attorney signed in sees their own checklist and confirms their steps, as from the email link.
            return checklist_page(request, self.get_attorney(), confirm_url=reverse("my-confirm"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        attorney = self.get_attorney()
        user = self.request.user
        can_record = roles.can_record_steps(user)
        build = self.form_builder()
        links = list(attorney.links.all())
        checklists = [court_checklist(link, can_record=can_record, forms=build) for link in links]
        # Where the attorney cannot file first, then what is still to do, then what is done.
        checklists.sort(key=lambda c: (not c.cannot_file, c.status in DONE))
        pacer_form = None
        individual_form = None
        if can_record:
            pacer_form = build(Step.PACER_ACCOUNT, None, value=attorney.pacer_account)
            individual_form = build(Step.PACER_INDIVIDUAL, None, value="no" if attorney.pacer_individual else "yes")
        applicable = [c for c in checklists if c.link.efiling_account]
        history = list(attorney.history.all())
        for change in history:
            change.correctable = correctable(change)
        waiting = set(awaiting_verification().filter(attorney=attorney).values_list("pk", flat=True))
        return {
            **super().get_context_data(**kwargs),
            "nav": "attorneys",
            "attorney": attorney,
            "checklists": checklists,
            "done": sum(1 for c in applicable if c.status == LinkStatus.COMPLETE),
            "applicable": len(applicable),
            "cannot_file": [c for c in checklists if c.cannot_file],
            "history": history,
            "to_verify": [c for c in history if c.pk in waiting],
            "can_correct": roles.is_administrator(user),
            "is_administrator": roles.is_administrator(user),
            "reminders": list(attorney.reminders.select_related("link__court")),
            "campaigns": campaign_checklists(attorney, today=clock.today(), can_record=can_record),
            "can_record": can_record,
            "sees_firm": roles.sees_whole_firm(user),
            "pacer_form": pacer_form,
            "individual_form": individual_form,
        }


class AttorneyStepView(RecorderRequiredMixin, AttorneyDetailView):
    """Record one step from the attorney page; a form that does not validate is shown again."""

    def get(self, request, *args, **kwargs):
        return redirect("attorney-detail", pk=kwargs["pk"])

    def post(self, request, pk):
        attorney = self.get_attorney()
        step = request.POST.get("step", "")
        if step not in FORM_OF_STEP:
            return HttpResponseBadRequest(
                f"{step[:40]!r} is not a step recorded on this page: "
                f"one of {', '.join(sorted(FORM_OF_STEP))}.".encode(),
                content_type="text/plain; charset=utf-8",
            )
        form = form_for(step, data=request.POST)
        link = None
        if form.is_valid() and step not in ATTORNEY_STEPS:
            link = attorney.links.filter(pk=form.cleaned_data.get("link")).select_related("court").first()
            if link is None:
                raise Http404("That court is not on this attorney's list.")
        if not form.is_valid():
            link_id = request.POST.get("link") or None
            self.failed = (step, int(link_id) if link_id and link_id.isdigit() else None, form)
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return self.render_to_response(self.get_context_data(), status=400)
        data = form.cleaned_data
        try:
            change = step_record(
                step=step,
                actor=Actor.for_user(request.user),
                link_id=link.pk if link else None,
                attorney_id=attorney.pk if link is None else None,
                value=data.get("value", True),
                on=data.get("on"),
                note=data["note"],
                cmecf_name=data.get("cmecf_name", ""),
                pacer_name=data.get("pacer_name", ""),
            )
        except StepRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            self.failed = (step, link.pk if link else None, form)
            return self.render_to_response(self.get_context_data(), status=400)
        where = f" in {link.court.court_id}" if link else ""
        if change is None:
            messages.info(request, f"Nothing changed: {Step(step).label.lower()}{where} was already recorded so.")
        else:
            messages.success(
                request, f"Recorded: {Step(step).label}{where} ({change.old_value or '—'} → {change.new_value})."
            )
        if step == Step.LINKED and not names_match(data["cmecf_name"], data["pacer_name"]):
            messages.warning(
                request,
                "The names shown differ beyond a middle initial: check with the attorney that the right accounts "
                "were linked (the link is recorded and flagged for review).",
            )
        return redirect(
            f"{reverse('attorney-detail', args=[pk])}#court-{link.court.court_id}"
            if link
            else reverse("attorney-detail", args=[pk])
        )


class VerifyConfirmationView(RecorderRequiredMixin, View):
    """Staff mark one of the attorney's own confirmations as checked."""

    def post(self, request, pk):
        change_id = request.POST.get("change", "")
        if not change_id.isdigit() or not StepChange.objects.filter(pk=change_id, attorney_id=pk).exists():
            raise Http404("No such confirmation for this attorney.")
        try:
            attorney_confirmation_verify(change_id=int(change_id), actor=Actor.for_user(request.user))
        except StepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, "Marked as verified; the verification is in the history.")
        return redirect("attorney-detail", pk=pk)

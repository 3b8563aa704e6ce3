from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from firmlink import clock
from firmlink.permissions import FirmMemberRequiredMixin, RecorderRequiredMixin
from tasks.selectors import reminder_health

from . import exports, roles, selectors, tokens
from .checklist import court_checklist
from .filters import PER_PAGE_CHOICES, AttorneyFilter, LinkFilter
from .forms import BulkStepForm, form_for
from .models import Attorney, Step, StepChange, StepSource
from .names import names_match
from .services import Actor, StepRefused, attorney_confirmation_verify, step_record, steps_record_bulk
from .status import LinkStatus
from .tables import AttorneyTable, LinkTable


class PerPageMixin:
    """``?per_page=`` limited to the offered sizes (django-tables2 would accept any number)."""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "per_page_field": "_per_page_unused"}

    def get_table_pagination(self, table=None):
        try:
            per_page = int(self.request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        return {"per_page": per_page if per_page in PER_PAGE_CHOICES else 50}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "per_page_choices": PER_PAGE_CHOICES}


class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "attorneys/overview.html"

    def get(self, request, *args, **kwargs):
        role = roles.role_of(request.user)
        if role == roles.Role.ATTORNEY:
            return redirect("attorney-detail", pk=request.user.attorney.pk)
        if role is None:
            raise PermissionDenied("Your account has no Firmlink role yet: ask an administrator.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = clock.today()
        links = selectors.link_list(user=self.request.user, today=today).filter(attorney__is_active=True)
        counts = selectors.status_counts(links)
        cannot_file = links.cannot_file(today).order_by("court__nextgen_go_live", "attorney__name", "pk")
        points = selectors.readiness_over_time(links, today)
        return {
            **super().get_context_data(**kwargs),
            "nav": "overview",
            "status_cards": list(counts.items()),
            "total": sum(counts.values()),
            "cannot_file": cannot_file[:50],
            "cannot_file_total": cannot_file.count(),
            "upcoming": selectors.upcoming_cutovers(links, today),
            "progress": selectors.court_progress(links, today)[:25],
            "recent": selectors.recent_changes(self.request.user),
            "chart": _chart(points),
            **reminder_health(),
            "firm_calendar_url": reverse("firm-calendar", args=[tokens.firm_calendar_token()]),
        }


def _chart(points, width=640, height=180, pad=30):
    """Server-rendered SVG: pairs in live courts with and without filing access, over time."""
    top = max([p["live"] for p in points] + [1])
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def line(key):
        scale = (height - 2 * pad) / top
        return " ".join(f"{pad + i * step:.1f},{height - pad - p[key] * scale:.1f}" for i, p in enumerate(points))

    return {
        "width": width,
        "height": height,
        "pad": pad,
        "top": top,
        "without": line("without_access"),
        "with": line("with_access"),
        "first": points[0]["day"] if points else None,
        "last": points[-1]["day"] if points else None,
        "latest": points[-1] if points else None,
        "baseline": height - pad,
    }


class LinkListView(FirmMemberRequiredMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/link_list.html"
    table_class = LinkTable
    filterset_class = LinkFilter

    def get_queryset(self):
        return selectors.link_list(user=self.request.user)

    def get(self, request, *args, **kwargs):
        if "_export" in request.GET:
            return exports.links_export_response(request, self)
        return super().get(request, *args, **kwargs)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        return kwargs if roles.can_record_steps(self.request.user) else {**kwargs, "exclude": ("select",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "_export", "excel"):
            query.pop(name, None)
        can_record = roles.can_record_steps(self.request.user)
        context.update(
            nav="links",
            filter_query=query.urlencode(),
            bulk_form=BulkStepForm(initial={"next": self.request.get_full_path()}) if can_record else None,
            matching=self.object_list.count() if hasattr(self, "object_list") else 0,
        )
        return context


class LinkBulkView(RecorderRequiredMixin, View):
    def post(self, request):
        form = BulkStepForm(request.POST)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("link-list")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        visible = selectors.links_visible_to(request.user).filter(pk__in=data["links"])
        visible = set(visible.values_list("pk", flat=True))
        if visible != set(data["links"]):
            raise PermissionDenied("Some selected pairs are not yours to change.")
        try:
            changes = steps_record_bulk(
                link_ids=data["links"],
                step=data["step"],
                value=data["value"],
                on=data.get("on"),
                note=data["note"],
                actor=Actor.for_user(request.user),
            )
        except StepRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            skipped = len(data["links"]) - len(changes)
            messages.success(
                request,
                f"Recorded “{dict(form.fields['action'].choices)[data['action']]}” for {len(changes)} pair(s)"
                + (f"; {skipped} already in that state." if skipped else "."),
            )
        return HttpResponseRedirect(back)


class AttorneyListView(FirmMemberRequiredMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/attorney_list.html"
    table_class = AttorneyTable
    filterset_class = AttorneyFilter

    def get_queryset(self):
        return selectors.attorney_list(user=self.request.user).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "attorneys"}


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

    def get_context_data(self, **kwargs):
        attorney = self.get_attorney()
        user = self.request.user
        can_record = roles.can_record_steps(user)
        build = self.form_builder()
        links = list(attorney.links.all())
        checklists = [court_checklist(link, can_record=can_record, forms=build) for link in links]
        # Where the attorney cannot file first, then what is still to do, then what is done.
        checklists.sort(key=lambda c: (not c.cannot_file, c.status in (LinkStatus.COMPLETE, LinkStatus.NOT_APPLICABLE)))
        pacer_form = None
        individual_form = None
        if can_record:
            pacer_form = build(Step.PACER_ACCOUNT, None, value=attorney.pacer_account)
            individual_form = build(Step.PACER_INDIVIDUAL, None, value="no" if attorney.pacer_individual else "yes")
        applicable = [c for c in checklists if c.link.efiling_account]
        history = list(attorney.history.all())
        return {
            **super().get_context_data(**kwargs),
            "nav": "attorneys",
            "attorney": attorney,
            "checklists": checklists,
            "done": sum(1 for c in applicable if c.status == LinkStatus.COMPLETE),
            "applicable": len(applicable),
            "cannot_file": [c for c in checklists if c.cannot_file],
            "history": history,
            "to_verify": [c for c in history if c.source == StepSource.ATTORNEY and not hasattr(c, "verification")],
            "reminders": list(attorney.reminders.all()),
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
        if step not in Step.values:
            messages.error(request, "Unknown step.")
            return redirect("attorney-detail", pk=pk)
        form = form_for(step, data=request.POST)
        link = None
        if form.is_valid() and step not in (Step.PACER_ACCOUNT, Step.PACER_INDIVIDUAL):
            link = attorney.links.filter(pk=form.cleaned_data.get("link")).select_related("court").first()
            if link is None:
                raise Http404("That court is not on this attorney's list.")
        if not form.is_valid():
            link_id = request.POST.get("link") or None
            self.failed = (step, int(link_id) if link_id and link_id.isdigit() else None, form)
            messages.error(request, "Please correct the form below.")
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

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from attorneys.models import ExportLog
from attorneys.services.court_facts import court_set_go_live, go_live_impact
from attorneys.status import court_is_live
from core import clock, roles
from core.audit import Actor
from core.exceptions import StepRefused
from courts.models import Court

from .. import exports, selectors
from ..filters import CourtFilter
from ..forms import GoLiveForm
from ..permissions import AdministratorRequiredMixin, FirmMemberRequiredMixin
from ..tables import CourtAttorneyTable, CourtTable
from .mixins import CsvExportMixin, PerPageMixin


class CourtListView(FirmMemberRequiredMixin, CsvExportMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "courts/court_list.html"
    table_class = CourtTable
    filterset_class = CourtFilter
    export_kind = ExportLog.Kind.COURTS
    export_header = exports.COURTS_HEADER

    def export_rows(self, queryset, today):
        return exports.court_rows(queryset, today)

    def get_queryset(self):
        return selectors.court_list().order_by("court_id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "courts"}


class CourtDetailView(FirmMemberRequiredMixin, PerPageMixin, TemplateView):
    template_name = "courts/court_detail.html"
    go_live_form = None
    impact = None

    def get_context_data(self, **kwargs):
        try:
            court, links, counts, history = selectors.court_detail(court_id=self.kwargs["court_id"])
        except Court.DoesNotExist:
            raise Http404("No such court.") from None
        table = CourtAttorneyTable(links, per_page_field="_per_page_unused")
        RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)
        can_edit = roles.is_administrator(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "nav": "courts",
            "court": court,
            "table": table,
            "status_counts": list(counts.items()),
            "history": history,
            "impact": self.impact,
            "court_query": f"court={court.court_id}&include_inactive=on",
            "live": court_is_live(court.nextgen_go_live, court.live_by, clock.today()),
            "go_live_form": self.go_live_form
            or (
                GoLiveForm(initial={"go_live": court.nextgen_go_live, "source_url": court.go_live_source_url})
                if can_edit
                else None
            ),
        }


class CourtGoLiveView(AdministratorRequiredMixin, CourtDetailView):
    def get(self, request, *args, **kwargs):
        return redirect("court-detail", court_id=kwargs["court_id"])

    def post(self, request, court_id):
        """First the impact of the new date; saved only once confirmed when it changes anything."""
        form = GoLiveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                impact = go_live_impact(court_id=court_id, go_live=data["go_live"], today=clock.today())
                confirmed = form.confirmed()
                if impact.court.nextgen_go_live != data["go_live"] and impact.needs_confirmation and not confirmed:
                    self.impact, self.go_live_form = impact, form
                    return self.render_to_response(self.get_context_data())
                changed = court_set_go_live(
                    court_id=court_id,
                    go_live=data["go_live"],
                    actor=Actor.for_user(request.user),
                    note=data["note"],
                    source_url=data["source_url"],
                    confirmed=confirmed,
                )
            except Court.DoesNotExist:
                raise Http404("No such court.") from None
            except StepRefused as refusal:
                form.add_error("note", refusal.messages[0])
            else:
                if changed:
                    messages.success(request, f"Go-live date of {court_id} corrected; the change is in the history.")
                else:
                    messages.info(request, "That is already the go-live date: nothing changed.")
                return redirect("court-detail", court_id=court_id)
        self.go_live_form = form
        return self.render_to_response(self.get_context_data(), status=400)

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.models import ExportLog
from attorneys.services.steps import steps_record_bulk
from core import clock, roles
from core.audit import Actor
from core.exceptions import StepRefused
from core.secrets import looks_like_credential

from .. import exports, selectors
from ..filters import LinkFilter
from ..forms import BulkStepForm
from ..permissions import FirmMemberRequiredMixin, RecorderRequiredMixin
from ..tables import LinkTable
from .mixins import CsvExportMixin, PerPageMixin, next_url


class LinkListView(FirmMemberRequiredMixin, CsvExportMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/link_list.html"
    table_class = LinkTable
    filterset_class = LinkFilter
    export_kind = ExportLog.Kind.COMPLIANCE
    export_header = exports.COMPLIANCE_HEADER
    count_cache = "links"

    def get_queryset(self):
        return selectors.link_list(user=self.request.user)

    def export_rows(self, queryset, today):
        return exports.compliance_rows(queryset, today)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not roles.can_record_steps(self.request.user):
            return {**kwargs, "exclude": ("select",)}
        return {**kwargs, "selected": set(self.retry.get("links", []))}

    @cached_property
    def retry(self) -> dict:
        """What a refused bulk run had chosen, to offer it again as it was (once)."""
        return self.request.session.pop(RETRY_KEY, {}) if roles.can_record_steps(self.request.user) else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulk_form = None
        if roles.can_record_steps(self.request.user):
            initial = {
                "next": self.request.get_full_path(),
                "filter_query": context["filter_query"],
                "on": clock.today(),
            }
            bulk_form = BulkStepForm(initial={**initial, **self.retry})
        context.update(
            nav="links",
            bulk_form=bulk_form,
            matching=self.matching(context),
        )
        return context


RETRY_KEY = "firmlink-bulk-retry"


class LinkBulkView(RecorderRequiredMixin, View):
    """Record one step for the ticked pairs (or every pair matching the table's filters), all or
    nothing; after a refusal the page comes back with the same choices ticked and filled in."""

    def post(self, request):
        form = BulkStepForm(request.POST)
        back = next_url(request, reverse("link-list"))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.again(request, form, back)
        data = form.cleaned_data
        visible = selectors.links_visible_to(request.user)
        if data["select_all"]:
            matching = LinkFilter(QueryDict(data["filter_query"]), queryset=selectors.link_list(user=request.user))
            if not matching.is_valid():
                messages.error(request, "The table's filters are not valid any more: nothing was recorded.")
                return self.again(request, form, back)
            link_ids = list(matching.qs.values_list("pk", flat=True))
        else:
            link_ids = data["links"]
            if set(visible.filter(pk__in=link_ids).values_list("pk", flat=True)) != set(link_ids):
                raise PermissionDenied("Some selected pairs are not yours to change.")
        try:
            changes = steps_record_bulk(
                link_ids=link_ids,
                step=data["step"],
                value=data["value"],
                on=data.get("on"),
                note=data["note"],
                actor=Actor.for_user(request.user),
            )
        except StepRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return self.again(request, form, back)
        skipped = len(link_ids) - len(changes)
        messages.success(
            request,
            f"Recorded “{dict(form.fields['action'].choices)[data['action']]}” for {len(changes)} pair(s)"
            + (f"; {skipped} already in that state, skipped." if skipped else "."),
        )
        return HttpResponseRedirect(back)

    def again(self, request, form, back):
        """Back to the table with the choices as they were, for the user to fix and send again."""
        request.session[RETRY_KEY] = {
            "links": [int(v) for v in request.POST.getlist("links") if v.isdigit()],
            "action": request.POST.get("action", ""),
            "note": "" if looks_like_credential(note := request.POST.get("note", "")) else note,
            "on": request.POST.get("on", ""),
            "select_all": bool(request.POST.get("select_all")),
        }
        return HttpResponseRedirect(back)

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.services.steps import steps_record_bulk
from core import roles
from core.audit import Actor
from core.exceptions import StepRefused

from .. import exports, selectors
from ..filters import LinkFilter
from ..forms import BulkStepForm
from ..permissions import FirmMemberRequiredMixin, RecorderRequiredMixin
from ..tables import LinkTable
from .mixins import PerPageMixin


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

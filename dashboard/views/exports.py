"""The audit of exports (administrators): who exported what, when, with which filters."""

from django.views.generic import ListView

from attorneys.models import ExportLog

from ..permissions import AdministratorRequiredMixin


class ExportLogView(AdministratorRequiredMixin, ListView):
    template_name = "attorneys/export_log.html"
    paginate_by = 50

    def get_queryset(self):
        return ExportLog.objects.select_related("user").order_by("-started_at", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "exports"}

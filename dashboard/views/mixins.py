from django.utils.http import url_has_allowed_host_and_scheme

from .. import exports, filters


def next_url(request, fallback: str) -> str:
    """The page to go back to after a POST (its ``next`` field): a path on this site, or ``fallback``.
    Never another site (an open redirect), never a view name (``redirect("0")`` would look one up)."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback


class PerPageMixin:
    """``?per_page=`` limited to the offered sizes (django-tables2 would accept any number)."""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "per_page_field": "_per_page_unused"}

    def get_table_pagination(self, table=None):
        try:
            per_page = int(self.request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        return {"per_page": per_page if per_page in filters.PER_PAGE_CHOICES else 50}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "per_page_choices": filters.PER_PAGE_CHOICES}

    def matching(self, context) -> int:
        """How many rows match the filters: the paginator's count, so the rows are counted once."""
        paginator = getattr(context.get("table"), "paginator", None)
        if paginator is not None:
            return paginator.count
        return self.object_list.count() if hasattr(self, "object_list") else 0


class CsvExportMixin:
    """``?_export=csv`` (``&excel=1`` for Excel) on a filtered table: every matching row, streamed
    and audited; ``filter_query`` in the context is what the export buttons carry."""

    export_kind = ""
    export_header: list[str] = []

    def export_rows(self, queryset, today):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if "_export" in request.GET:
            return exports.table_export_response(
                request, self, kind=self.export_kind, header=self.export_header, rows_of=self.export_rows
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        for name in ("page", "_export", "excel"):
            query.pop(name, None)
        return {**super().get_context_data(**kwargs), "filter_query": query.urlencode()}

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

from attorneys import versioning
from core import clock, roles

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


class VersionedCountPaginator(Paginator):
    """A paginator whose count (the "N matching" of a table over pairs, attorneys and courts) is
    computed once per data version and filter (``attorneys.versioning``), not on every page view."""

    def __init__(self, object_list, per_page, *args, count_key: str = "", **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if not self.count_key:
            return super().count
        return versioning.cached(self.count_key, lambda: Paginator.count.func(self))


IGNORED_FOR_COUNT = {"page", "sort", "per_page", "_export", "excel"}


class PerPageMixin:
    """``?per_page=`` limited to the offered sizes (django-tables2 would accept any number). A view
    whose rows are only pairs, attorneys and courts names a ``count_cache`` to count them once per
    data version and filter."""

    count_cache = ""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "per_page_field": "_per_page_unused"}

    def get_table_pagination(self, table=None):
        try:
            per_page = int(self.request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        pagination = {"per_page": per_page if per_page in filters.PER_PAGE_CHOICES else 50}
        if self.count_cache:
            pagination.update(paginator_class=VersionedCountPaginator, count_key=self.count_key())
        return pagination

    def count_key(self) -> str:
        user = self.request.user
        scope = "firm" if roles.sees_whole_firm(user) else f"user{user.pk}"
        query = sorted(
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in IGNORED_FOR_COUNT
            for value in values
        )
        return versioning.key(f"count:{self.count_cache}", clock.today(), scope, query)

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

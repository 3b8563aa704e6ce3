from .. import filters


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

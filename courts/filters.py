import django_filters
from django import forms
from django.db.models import Q

from firmlink.filters import StyledFilterMixin

from .models import Court, CourtType


def state_choices():
    states = Court.objects.exclude(state="").order_by("state").values_list("state", flat=True).distinct()
    return [(state, state) for state in states]


class CourtFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Court id or name")
    court_type = django_filters.MultipleChoiceFilter(
        choices=CourtType.choices, label="Type", widget=forms.CheckboxSelectMultiple
    )
    state = django_filters.ChoiceFilter(choices=state_choices, label="State")
    go_live = django_filters.DateFromToRangeFilter(
        field_name="nextgen_go_live",
        label="Go-live between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    announced = django_filters.BooleanFilter(
        field_name="nextgen_go_live",
        lookup_expr="isnull",
        exclude=True,
        label="Go-live announced",
        widget=forms.NullBooleanSelect,
    )
    firm_courts = django_filters.BooleanFilter(
        method="filter_firm", label="Only courts where the firm has e-filers", widget=forms.CheckboxInput
    )

    class Meta:
        model = Court
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(court_id__icontains=value.strip()) | Q(name__icontains=value.strip()))

    def filter_firm(self, queryset, name, value):
        return queryset.filter(efilers__gt=0) if value else queryset

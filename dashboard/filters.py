"""The filters of the dashboard's tables (django-filter), strict: an invalid value shows an error."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.choices import CallableChoiceIterator

from attorneys import versioning
from attorneys.choices import PacerAccount, Step
from attorneys.models import Attorney, CourtLink
from attorneys.status import LinkStatus, court_live_condition, court_not_live_condition
from core import clock
from core.audit import StepSource
from courts.models import Court, CourtType

from .widgets import FastSelect, FastSelectMultiple

PER_PAGE_CHOICES = (25, 50, 100, 250)


class StyledFilterMixin:
    """Bootstrap classes on the filter widgets (the template renders checkboxes itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            if isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")


def state_choices():
    """The states of the court directory, read once per data version."""

    def compute():
        states = Court.objects.exclude(state="").order_by("state").values_list("state", flat=True).distinct()
        return [(state, state) for state in states]

    return versioning.cached("court-states", compute)


def court_choices():
    """The court filter's options as its widget shows them (court id, "name (id)"), read once per
    data version; the field still checks a value against the courts themselves."""
    return versioning.cached(
        "court-choices",
        lambda: [(c.court_id, str(c)) for c in Court.objects.only("court_id", "name").order_by("court_id")],
    )


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
        label="Go-live date known",
        widget=forms.NullBooleanSelect,
    )
    live = django_filters.BooleanFilter(method="filter_live", label="On NextGen today", widget=forms.NullBooleanSelect)
    firm_courts = django_filters.BooleanFilter(
        method="filter_firm", label="Only courts where the firm has e-filers", widget=forms.CheckboxInput
    )

    class Meta:
        model = Court
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(court_id__icontains=value.strip()) | Q(name__icontains=value.strip()))

    def filter_live(self, queryset, name, value):
        if value is None:
            return queryset
        today = clock.today()
        return queryset.filter(
            court_live_condition(today, via="") if value else court_not_live_condition(today, via="")
        )

    def filter_firm(self, queryset, name, value):
        return queryset.filter(efilers__gt=0) if value else queryset


class LinkFilter(StyledFilterMixin, django_filters.FilterSet):
    """Filters of the attorney-court table. The queryset comes annotated with ``status``."""

    q = django_filters.CharFilter(method="filter_attorney", label="Attorney (name or email)")
    court = django_filters.ModelMultipleChoiceFilter(
        field_name="court__court_id",
        to_field_name="court_id",
        queryset=Court.objects.only("court_id", "name").order_by("court_id"),
        label="Court",
        widget=FastSelectMultiple,
    )
    court_type = django_filters.MultipleChoiceFilter(
        field_name="court__court_type",
        choices=CourtType.choices,
        label="Court type",
        widget=forms.CheckboxSelectMultiple,
    )
    state = django_filters.ChoiceFilter(
        field_name="court__state", choices=state_choices, label="State", widget=FastSelect
    )
    status = django_filters.MultipleChoiceFilter(
        choices=LinkStatus.choices, method="filter_status", label="Status", widget=forms.CheckboxSelectMultiple
    )
    go_live = django_filters.DateFromToRangeFilter(
        field_name="court__nextgen_go_live",
        label="Go-live between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    cannot_file = django_filters.BooleanFilter(
        method="filter_cannot_file", label="Cannot file now", widget=forms.CheckboxInput
    )
    include_inactive = django_filters.BooleanFilter(
        method="filter_inactive", label="Include inactive attorneys", widget=forms.CheckboxInput
    )

    def filter_attorney(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(attorney__name__icontains=value) | Q(attorney__email__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value) if value else queryset

    def filter_cannot_file(self, queryset, name, value):
        return queryset.cannot_file(clock.today()) if value else queryset

    def __init__(self, data=None, *args, **kwargs):
        # Bound even without parameters, so that the defaults (active attorneys only) apply.
        super().__init__(data if data is not None else {}, *args, **kwargs)
        self.form.fields["court"].widget.choices = CallableChoiceIterator(court_choices)  # read when shown

    def filter_inactive(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.filter(attorney__is_active=True)
        return queryset


class AttorneyFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, email or bar number")
    pacer_account = django_filters.ChoiceFilter(choices=PacerAccount.choices, label="PACER account")
    cannot_file = django_filters.BooleanFilter(
        method="filter_cannot_file", label="Cannot file somewhere now", widget=forms.CheckboxInput
    )
    is_active = django_filters.BooleanFilter(label="Active", widget=forms.NullBooleanSelect)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(bar_number__icontains=value))

    def filter_cannot_file(self, queryset, name, value):
        return queryset.filter(blocked__gt=0) if value else queryset


class HistoryFilter(StyledFilterMixin, django_filters.FilterSet):
    """The firm-wide history: by attorney, court, step, who and when."""

    q = django_filters.CharFilter(method="filter_attorney", label="Attorney (name or email)")
    court = django_filters.CharFilter(field_name="court__court_id", lookup_expr="iexact", label="Court id")
    step = django_filters.MultipleChoiceFilter(choices=Step.choices, label="Step")
    who = django_filters.CharFilter(field_name="actor", lookup_expr="icontains", label="Recorded by")
    source = django_filters.ChoiceFilter(choices=StepSource.choices, label="Source")
    when = django_filters.DateFromToRangeFilter(
        field_name="changed_at__date",
        label="Between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    def filter_attorney(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(attorney__name__icontains=value) | Q(attorney__email__icontains=value))


class VerificationFilter(HistoryFilter):
    """The verification queue: the same filters, and what kind of check is waiting."""

    kind = django_filters.ChoiceFilter(
        choices=[("self", "Attorney's own confirmation"), ("names", "Names shown differ")],
        method="filter_kind",
        label="Waiting for",
    )

    def filter_kind(self, queryset, name, value):
        if value == "self":
            return queryset.filter(source=StepSource.ATTORNEY)
        if value == "names":
            return queryset.filter(step=Step.LINKED, link__names_differ=True)
        return queryset


def campaign_filter(campaign):
    """The filters of a campaign's table: attorney name or email, the court (a campaign per attorney
    and court), status, cannot file now."""
    attorney = "attorney__" if campaign.per_court else ""

    def search(self, queryset, name, value):
        return queryset.filter(Q(**{f"{attorney}name__icontains": value}) | Q(**{f"{attorney}email__icontains": value}))

    def filter_blocked(self, queryset, name, value):
        return queryset.filter(blocked=True) if value else queryset

    declared = {"q": django_filters.CharFilter(method="search", label="Attorney name or email")}
    if campaign.per_court:
        declared["court"] = django_filters.CharFilter(
            field_name="court__court_id", lookup_expr="iexact", label="Court id"
        )
    declared["status"] = django_filters.MultipleChoiceFilter(
        choices=campaign.status_choices, label="Status", widget=forms.CheckboxSelectMultiple
    )
    declared["blocked"] = django_filters.BooleanFilter(
        field_name="blocked", label="Cannot file now", widget=forms.CheckboxInput(), method="filter_blocked"
    )
    meta = type("Meta", (), {"model": CourtLink if campaign.per_court else Attorney, "fields": []})
    return type(
        "CampaignFilter",
        (StyledFilterMixin, django_filters.FilterSet),
        {**declared, "Meta": meta, "search": search, "filter_blocked": filter_blocked},
    )

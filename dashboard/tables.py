"""The dashboard's tables (django-tables2): pairs, attorneys, courts."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attorneys.services.corrections import correctable
from attorneys.status import blocks_filing
from core import clock

from .badges import campaign_badge, days_on_nextgen, status_badge


class IsoDateColumn(tables.Column):
    """A date as YYYY-MM-DD. django-tables2's DateColumn compiles a template for every cell (150 per
    page of a campaign's table); this formats in Python."""

    def render(self, value):
        return value.isoformat()

    def value(self, value):
        return value.isoformat()


class LinkTable(tables.Table):
    rows_cached = True  # its rows show pairs, attorneys and courts only (``table_rows``)
    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"aria-label": "Select all on this page", "data-select-all": "links"},
            "td__input": {"name": "links", "aria-label": "Select"},
        },
        exclude_from_export=True,
    )
    attorney = tables.Column(accessor="attorney__name", verbose_name="Attorney", order_by=("attorney__name", "pk"))
    court = tables.Column(accessor="court__court_id", verbose_name="Court", order_by=("court__court_id", "pk"))
    court_type = tables.Column(accessor="court__court_type", verbose_name="Type")
    state = tables.Column(accessor="court__state", verbose_name="State")
    # Sorted by the go-live date, else the on-NextGen-by bound (``live_since``, see link_list).
    go_live = tables.Column(accessor="court", verbose_name="Go-live", order_by=("live_since", "pk"))
    status = tables.Column(verbose_name="Status", order_by=("status_rank", "pk"))
    overdue = tables.Column(accessor="court", verbose_name="Days since go-live", orderable=False, empty_values=())
    cmecf_login_known = tables.BooleanColumn(verbose_name="Old login known", yesno="yes,no")
    linked_on = IsoDateColumn(verbose_name="Linked on", default="")
    menus_confirmed_on = IsoDateColumn(verbose_name="Menus on", default="")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "links-table"}
        order_by = ("attorney",)
        empty_text = "No attorney-court pair matches these filters."
        sequence = ("select", "attorney", "court", "court_type", "state", "go_live", "status", "overdue", "...")

    def __init__(self, *args, selected=frozenset(), **kwargs):
        self.selected = selected  # ticked again after a refused bulk run
        super().__init__(*args, **kwargs)

    def render_select(self, record):
        return pair_checkbox("links", record, self.selected)

    def render_attorney(self, record):
        return attorney_cell(reverse("attorney-detail", args=[record.attorney_id]), record.attorney)

    def render_court(self, record):
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            reverse("court-detail", args=[record.court.court_id]),
            record.court.name,
            record.court.court_id,
        )

    def render_status(self, value):
        return status_badge(value)

    def render_go_live(self, value):
        return value.nextgen_display()

    def value_go_live(self, value):
        return value.nextgen_display()

    def render_overdue(self, record):
        today = clock.today()
        if not blocks_filing(record.status, record.court, today):
            return ""
        return format_html('<span class="fw-semibold text-danger">{}</span>', days_on_nextgen(record.court, today))


class AttorneyTable(tables.Table):
    rows_cached = True  # its rows show pairs, attorneys and courts only (``table_rows``)
    name = tables.Column(linkify=("attorney-detail", {"pk": tables.A("pk")}))
    email = tables.EmailColumn()
    pacer_account = tables.Column(verbose_name="PACER account")
    pacer_individual = tables.BooleanColumn(verbose_name="Individual", yesno="yes,no")
    progress = tables.Column(verbose_name="Courts done", empty_values=(), order_by=("done", "courts"))
    blocked = tables.Column(verbose_name="Cannot file in")
    is_active = tables.BooleanColumn(verbose_name="Active", yesno="yes,no")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "attorneys-table"}
        order_by = ("name",)
        empty_text = "No attorney matches these filters."

    def render_progress(self, record):
        percent = round(100 * record.done / record.courts) if record.courts else 100
        return format_html(
            '<div class="d-flex align-items-center gap-2"><span class="text-nowrap">{done} of {courts}</span>'
            '<div class="progress flex-grow-1 min-w-5" role="progressbar"'
            ' aria-label="{done} of {courts} courts done" aria-valuenow="{percent}" aria-valuemin="0"'
            ' aria-valuemax="100"><div class="progress-bar bg-success pct-{percent}"></div></div></div>',
            done=record.done,
            courts=record.courts,
            percent=percent,
        )

    def render_blocked(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge text-bg-danger">{} court{}</span>', value, "" if value == 1 else "s")


class CourtAttorneyTable(LinkTable):
    """A court's attorneys: the pair table without the court columns."""

    class Meta(LinkTable.Meta):
        exclude = ("select", "court", "court_type", "state", "go_live")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "court-attorneys-table"}


def pair_checkbox(name: str, pair, selected) -> str:
    """The bulk-selection box of an attorney-court pair (ticked again after a refused bulk run)."""
    return format_html(
        '<input type="checkbox" name="{}" value="{}" aria-label="Select {} in {}"{}>',
        name,
        pair.pk,
        pair.attorney.name,
        pair.court.court_id,
        mark_safe(" checked") if pair.pk in selected else "",
    )


def attorney_cell(url: str, attorney) -> str:
    """An attorney's name linked to ``url``, the email below it."""
    return format_html(
        '<a href="{}">{}</a><br><small class="text-body-secondary">{}</small>', url, attorney.name, attorney.email
    )


def external_link(url, text):
    return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, text)


def _source(label: str, url: str, quote: str, *, short: bool):
    """A source as its label (linked when it has an address), then the quote in its own words."""
    shown = external_link(url, label) if url else label
    if short and len(quote) > 140:
        quote = quote[:139] + "…"
    return format_html('{}<br><small class="text-body-secondary">“{}”</small>', shown, quote) if quote else shown


def provenance(court, *, short: bool = False):
    """Where a court's NextGen date (or bound) comes from: kind, source link, quote."""
    if court.nextgen_go_live is not None or (court.go_live_source_kind and not court.live_by):
        if not court.go_live_source_kind:
            return ""
        return _source(
            court.get_go_live_source_kind_display(), court.go_live_source_url, court.go_live_source_note, short=short
        )
    if court.live_by is not None:
        return _source("On NextGen by (bound)", court.live_by_url, court.live_by_note, short=short)
    return ""


class CourtTable(tables.Table):
    rows_cached = True  # its rows show pairs, attorneys and courts only (``table_rows``)
    court_id = tables.Column(verbose_name="Court", linkify=("court-detail", {"court_id": tables.A("court_id")}))
    name = tables.Column()
    court_type = tables.Column(verbose_name="Type")
    state = tables.Column()
    nextgen_go_live = tables.Column(
        verbose_name="Go-live",
        empty_values=(),
        order_by=("live_since_date", "court_id"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    go_live_source_kind = tables.Column(verbose_name="Source", orderable=False, empty_values=())
    help_desk = tables.Column(empty_values=(), orderable=False, verbose_name="Help desk")
    ecf_url = tables.Column(verbose_name="CM/ECF", orderable=False)
    efilers = tables.Column(verbose_name="E-filers")
    blocked = tables.Column(verbose_name="Cannot file")
    complete = tables.Column(verbose_name="Complete")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "courts-table"}
        order_by = ("court_id",)

    def render_nextgen_go_live(self, record):
        return record.nextgen_display()

    def render_go_live_source_kind(self, record):
        return provenance(record, short=True)

    def render_help_desk(self, record):
        if record.help_desk_email:
            return format_html("{}<br>{}", record.help_desk_phone, record.help_desk_email)
        return record.help_desk_phone

    def render_ecf_url(self, value):
        return external_link(value, value.split("//")[-1].rstrip("/"))

    def render_blocked(self, value):
        return format_html('<span class="badge text-bg-danger">{}</span>', value) if value else "0"


class HistoryTable(tables.Table):
    """Append-only entries; a correction is an entry of its own that names the one it corrects."""

    changed_at = tables.DateTimeColumn(verbose_name="When", format="Y-m-d H:i")
    actor = tables.Column(verbose_name="Who", order_by=("actor", "pk"))
    attorney = tables.Column(accessor="attorney__name", verbose_name="Attorney", order_by=("attorney__name", "pk"))
    court = tables.Column(accessor="court__court_id", verbose_name="Court", order_by=("court__court_id", "pk"))
    step = tables.Column(verbose_name="Step")
    change = tables.Column(empty_values=(), orderable=False, verbose_name="Old → new")
    note = tables.Column(orderable=False)
    state = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta:
        attrs = {"class": "table table-sm align-middle", "data-testid": "history-table"}
        order_by = ("-changed_at",)
        empty_text = "No entry matches these filters."

    def __init__(self, *args, can_correct=False, **kwargs):
        self.can_correct = can_correct
        super().__init__(*args, **kwargs)

    def render_attorney(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("attorney-detail", args=[record.attorney_id]), record.attorney.name
        )

    def render_step(self, record):
        return format_html("#{} {}", record.pk, record.get_step_display())

    def render_change(self, record):
        return format_html("{} → {}", record.old_value or "—", record.new_value or "—")

    def render_state(self, record):
        parts = []
        if record.corrects_id:
            parts.append(format_html('<span class="badge text-bg-secondary">corrects #{}</span>', record.corrects_id))
        if record.corrected_by:
            parts.append(
                format_html('<span class="badge text-bg-warning">corrected by #{}</span>', record.corrected_by)
            )
        elif self.can_correct and correctable(record):
            parts.append(
                format_html(
                    '<a class="btn btn-sm btn-outline-secondary py-0" href="{}">Correct…</a>',
                    reverse("history-correct", args=[record.pk]),
                )
            )
        if hasattr(record, "verification"):
            parts.append(mark_safe('<span class="badge text-bg-success">verified</span>'))  # a constant
        return format_html_join(" ", "{}", ((p,) for p in parts))


class VerificationTable(HistoryTable):
    """The verification queue: entries a person must still check, selectable in bulk."""

    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"aria-label": "Select all on this page", "data-select-all": "changes"}},
        orderable=False,
    )
    why = tables.Column(empty_values=(), orderable=False, verbose_name="Waiting for")

    class Meta(HistoryTable.Meta):
        attrs = {"class": "table table-sm align-middle", "data-testid": "verify-table"}
        sequence = ("select", "changed_at", "attorney", "court", "step", "change", "why", "...")
        exclude = ("state", "actor")
        empty_text = "Nothing waits for verification."

    def render_select(self, record):
        return format_html(
            '<input type="checkbox" name="changes" value="{}" aria-label="Select entry #{}">', record.pk, record.pk
        )

    def render_why(self, record):
        if record.step == "linked" and record.link is not None and record.link.names_differ:
            return format_html(
                "Names differ: CM/ECF “{}”, PACER “{}”", record.link.cmecf_name_shown, record.link.pacer_name_shown
            )
        return "The attorney's own confirmation"


class CampaignTable(tables.Table):
    """A campaign's attorneys: their status and each step's date or value (columns from the definition)."""

    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"aria-label": "Select all on this page", "data-select-all": "attorneys"}},
        exclude_from_export=True,
    )
    name = tables.Column(verbose_name="Attorney", order_by=("name", "pk"))
    status = tables.Column(verbose_name="Status")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "campaign-table"}
        order_by = ("name",)
        empty_text = "No attorney matches these filters."

    def __init__(self, *args, campaign, selected=frozenset(), **kwargs):
        from campaigns.subjects import on, value

        self.campaign = campaign
        self.selected = selected
        extra = []
        for step in campaign.steps:
            if step.kind == "date":
                column = IsoDateColumn(accessor=on(step.key), verbose_name=step.label, default="—")
            else:
                column = tables.Column(accessor=value(step.key), verbose_name=step.label, default="—")
            extra.append((f"step_{step.key}", column))
        super().__init__(*args, extra_columns=extra, **kwargs)

    def render_select(self, record):
        return format_html(
            '<input type="checkbox" name="attorneys" value="{}" aria-label="Select {}"{}>',
            record.pk,
            record.name,
            " checked" if record.pk in self.selected else "",
        )

    def render_name(self, record):
        return attorney_cell(reverse("attorney-detail", args=[record.pk]) + f"#campaign-{self.campaign.slug}", record)

    def render_status(self, value):
        return campaign_badge(self.campaign, value)


class PairCampaignTable(tables.Table):
    """A campaign per attorney and court: one row per pair, its court's date, status and each step."""

    select = tables.CheckBoxColumn(
        accessor="pk",
        attrs={"th__input": {"aria-label": "Select all on this page", "data-select-all": "attorneys"}},
        exclude_from_export=True,
    )
    attorney = tables.Column(verbose_name="Attorney", accessor="attorney__name", order_by=("attorney__name", "pk"))
    court = tables.Column(verbose_name="Court", accessor="court__court_id", order_by=("court__court_id", "pk"))
    deadline = IsoDateColumn(verbose_name="Date", default="—", order_by=("deadline", "pk"))
    status = tables.Column(verbose_name="Status")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "campaign-table"}
        order_by = ("attorney", "court")
        sequence = ("select", "attorney", "court", "deadline", "status", "...")
        empty_text = "No attorney-court pair matches these filters."

    def __init__(self, *args, campaign, selected=frozenset(), **kwargs):
        from campaigns.subjects import on, value

        self.campaign = campaign
        self.selected = selected
        label = (campaign.court_date_label or campaign.deadline_label).capitalize()
        extra = [("deadline", IsoDateColumn(verbose_name=label, default="—", order_by=("deadline", "pk")))]
        for step in campaign.steps:
            if step.key == campaign.subject_date.removeprefix("p_").removesuffix("_on"):
                continue  # the pair's date column shows it
            if step.kind == "date":
                column = IsoDateColumn(accessor=on(step.key), verbose_name=step.label, default="—")
            else:
                column = tables.Column(accessor=value(step.key), verbose_name=step.label, default="—")
            extra.append((f"step_{step.key}", column))
        super().__init__(*args, extra_columns=extra, **kwargs)
        self.columns["deadline"].column.verbose_name = (
            campaign.court_date_label or campaign.deadline_label
        ).capitalize()

    def render_select(self, record):
        return pair_checkbox("attorneys", record, self.selected)

    def render_attorney(self, record):
        url = reverse("attorney-detail", args=[record.attorney_id]) + f"#campaign-{self.campaign.slug}"
        return attorney_cell(url, record.attorney)

    def render_court(self, record):
        fact = self.campaign.fact(record.court.court_id)
        flag = (
            format_html('<br><small class="text-warning-emphasis">{}</small>', fact.flag) if fact and fact.flag else ""
        )
        return format_html(
            '<a href="{}">{}</a>{}', reverse("court-detail", args=[record.court.court_id]), record.court.court_id, flag
        )

    def render_status(self, value):
        return campaign_badge(self.campaign, value)

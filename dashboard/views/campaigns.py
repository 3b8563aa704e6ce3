"""The campaigns: a list, and for each campaign per attorney its overview, its attorneys table (filters,
bulk recording, export), recording one step from an attorney's page, and the firm's settings.

NextGen linking keeps its pages at their old addresses (the overview, /links/): its entries here
lead there.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.campaign import SLUG as NEXTGEN
from attorneys.models import Attorney, ExportLog
from campaigns import registry, services, subjects, values
from campaigns.models import CampaignSettings, CourtDate
from core import clock, roles
from core.audit import Actor
from core.exceptions import StepRefused

from .. import exports, selectors
from ..filters import campaign_filter
from ..forms import CampaignBulkForm, CampaignSettingsForm, CampaignStepForm, CourtDateForm
from ..permissions import AdministratorRequiredMixin, FirmMemberRequiredMixin, RecorderRequiredMixin
from ..tables import CampaignTable, PairCampaignTable
from .mixins import CsvExportMixin, PerPageMixin, next_url

BLOCKED_LISTED = 50


def campaign_or_404(slug: str):
    campaign = registry.get(slug)
    if campaign is None or campaign.slug == NEXTGEN:
        raise Http404("No such campaign.")
    return campaign


def _counts(campaign, today, when) -> dict:
    rows = subjects.subjects(campaign, today, when=when).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def _outside(campaign) -> set[str]:
    """Statuses not counted as "in scope": out of scope, or a court the campaign has no rule for."""
    return {"not_in_scope", campaign.unknown_court_status} - {""}


def _when(campaign, when) -> str:
    if campaign.per_court and campaign.subject_date:
        return f"per court and attorney ({campaign.court_date_label or campaign.deadline_label})"
    return f"{campaign.deadline_label} {when.deadline.isoformat()}" if when.deadline else ""


class CampaignListView(FirmMemberRequiredMixin, TemplateView):
    template_name = "campaigns/campaign_list.html"

    def get_context_data(self, **kwargs):
        today = clock.today()
        rows = []
        settings_rows = subjects.all_settings()
        for campaign in registry.registered():
            if campaign.slug == NEXTGEN:
                links = selectors.link_list(user=self.request.user, today=today).filter(attorney__is_active=True)
                counts = selectors.status_counts(links)
                rows.append(
                    {
                        "campaign": campaign,
                        "subjects": sum(counts.values()),
                        "blocked": links.cannot_file(today).count(),
                        "done": sum(n for status, n in counts.items() if status in campaign.done),
                        "overview_url": reverse("overview"),
                        "table_url": reverse("link-list"),
                        "when": "per court (go-live dates)",
                    }
                )
                continue
            when = subjects.dates(campaign, settings_rows=settings_rows)
            counts = _counts(campaign, today, when)
            outside = _outside(campaign)
            rows.append(
                {
                    "campaign": campaign,
                    "subjects": sum(n for status, n in counts.items() if status not in outside),
                    "blocked": sum(n for status, n in counts.items() if status in campaign.blocking),
                    "done": sum(n for status, n in counts.items() if status in campaign.done and status not in outside),
                    "overview_url": reverse("campaign-overview", args=[campaign.slug]),
                    "table_url": reverse("campaign-attorneys", args=[campaign.slug]),
                    "when": _when(campaign, when),
                }
            )
        return {**super().get_context_data(**kwargs), "rows": rows, "nav": "campaigns"}


class CampaignOverviewView(FirmMemberRequiredMixin, TemplateView):
    template_name = "campaigns/campaign_overview.html"

    def get(self, request, slug):
        if slug == NEXTGEN:
            return redirect("overview")
        return super().get(request, slug=slug)

    def get_context_data(self, slug, **kwargs):
        campaign = campaign_or_404(slug)
        today = clock.today()
        when = subjects.dates(campaign)
        counts = _counts(campaign, today, when)
        in_scope = sum(n for status, n in counts.items() if status not in _outside(campaign))
        blocked = subjects.subjects(campaign, today, when=when).filter(status__in=campaign.blocking)
        if campaign.per_court:
            blocked = blocked.select_related("attorney", "court").order_by("attorney__name", "court__court_id", "pk")
        else:
            blocked = blocked.order_by("name", "pk").only("pk", "name", "email")
        return {
            **super().get_context_data(**kwargs),
            "courts": court_rows(campaign, today, when) if campaign.per_court else [],
            "campaign": campaign,
            "when": when,
            "today": today,
            "days_left": (when.deadline - today).days if when.deadline else None,
            "days_ago": (today - when.deadline).days if when.deadline else None,
            "statuses": [(status, counts.get(status.key, 0)) for status in campaign.statuses],
            "in_scope": in_scope,
            "blocked_count": sum(counts.get(key, 0) for key in campaign.blocking),
            "blocked": list(blocked[:BLOCKED_LISTED]),
            "blocked_listed": BLOCKED_LISTED,
            "is_administrator": roles.is_administrator(self.request.user),
            "nav": "campaigns",
        }


def court_rows(campaign, today, when) -> list[dict]:
    """Per court of a campaign per attorney and court: its facts, the firm's pairs there by status (one
    grouped query), the courts the campaign knows first, then those with pairs but no rule."""
    from courts.models import Court

    grouped = (
        subjects.subjects(campaign, today, when=when)
        .values("court__court_id", "status", "court_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_court: dict[str, dict] = {}
    for row in grouped:
        entry = per_court.setdefault(row["court__court_id"], {"total": 0, "blocked": 0, "date": row["court_date"]})
        entry["total"] += row["n"]
        if row["status"] in campaign.blocking:
            entry["blocked"] += row["n"]
    corrected = dict(CourtDate.objects.filter(campaign=campaign.slug).values_list("court__court_id", "date"))
    names = dict(
        Court.objects.filter(court_id__in=[f.court for f in campaign.court_facts]).values_list("court_id", "name")
    )
    rows = []
    for fact in campaign.court_facts:
        counts = per_court.get(fact.court, {"total": 0, "blocked": 0})
        rows.append(
            {
                "court_id": fact.court,
                "name": names.get(fact.court, ""),
                "fact": fact,
                "date": corrected.get(fact.court, fact.date),
                "corrected": fact.court in corrected,
                **counts,
            }
        )
    return rows


RETRY_KEY = "firmlink-campaign-bulk-retry"


class CampaignAttorneysView(FirmMemberRequiredMixin, CsvExportMixin, PerPageMixin, SingleTableMixin, FilterView):
    """Every attorney in one campaign: filters, the status and each step, bulk recording, export."""

    template_name = "campaigns/campaign_attorneys.html"
    table_class = CampaignTable
    export_kind = ExportLog.Kind.CAMPAIGN

    def dispatch(self, request, *args, **kwargs):
        if kwargs["slug"] == NEXTGEN:
            return redirect("link-list")
        self.campaign = campaign_or_404(kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_table_class(self):
        return PairCampaignTable if self.campaign.per_court else CampaignTable

    @property
    def export_header(self):
        if self.campaign.per_court:
            return exports.pair_campaign_header(self.campaign)
        return exports.campaign_header(self.campaign)

    def get_filterset_class(self):
        return campaign_filter(self.campaign)

    def get_queryset(self):
        found = subjects.subjects(self.campaign, clock.today())
        return found.select_related("attorney", "court") if self.campaign.per_court else found

    def export_rows(self, queryset, today):
        if self.campaign.per_court:
            return exports.pair_campaign_rows(queryset, self.campaign, today)
        return exports.campaign_rows(queryset, self.campaign, today)

    @cached_property
    def retry(self) -> dict:
        return self.request.session.pop(RETRY_KEY, {}) if roles.can_record_steps(self.request.user) else {}

    def get_table_kwargs(self):
        kwargs = {**super().get_table_kwargs(), "campaign": self.campaign}
        if not roles.can_record_steps(self.request.user):
            return {**kwargs, "exclude": ("select",)}
        return {**kwargs, "selected": set(self.retry.get("attorneys", []))}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulk_form = None
        if roles.can_record_steps(self.request.user):
            bulk_form = CampaignBulkForm(
                campaign=self.campaign,
                initial={"on": clock.today(), "filter_query": context["filter_query"], **self.retry},
            )
        context.update(
            campaign=self.campaign,
            bulk_form=bulk_form,
            matching=self.matching(context),
            export_path=reverse("campaign-attorneys", args=[self.campaign.slug]),
            nav="campaigns",
        )
        return context


class CampaignBulkView(RecorderRequiredMixin, View):
    """One step for the ticked attorneys (or every one matching the filters), all or nothing."""

    def post(self, request, slug):
        campaign = campaign_or_404(slug)
        back = next_url(request, reverse("campaign-attorneys", args=[slug]))
        form = CampaignBulkForm(request.POST, campaign=campaign)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.again(request, back)
        data = form.cleaned_data
        ids = data["attorneys"]
        if data["select_all"]:
            matching = campaign_filter(campaign)(
                QueryDict(data["filter_query"]), queryset=subjects.subjects(campaign, clock.today())
            )
            if not matching.is_valid():
                messages.error(request, "The table's filters are not valid any more: nothing was recorded.")
                return self.again(request, back)
            ids = list(matching.qs.values_list("pk", flat=True))
        step = campaign.step(data["step"])
        record = {
            "campaign": campaign,
            "step": step.key,
            "actor": Actor.for_user(request.user),
            "on": data["on"],
            "value": data["value"] or None,
            "note": data["note"],
        }
        try:
            if campaign.per_court:
                recorded, unchanged = services.progress_record_pairs(link_ids=ids, **record)
            else:
                ids = list(Attorney.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
                recorded, unchanged = services.progress_record_many(attorney_ids=ids, **record)
        except StepRefused as refusal:
            messages.error(request, "Nothing was recorded:")
            for message in refusal.messages:
                messages.error(request, message)
            return self.again(request, back)
        messages.success(
            request,
            f"Recorded “{step.label}” for {recorded} {'pair' if campaign.per_court else 'attorney'}(s)"
            + (f"; {unchanged} already so, unchanged." if unchanged else "."),
        )
        return HttpResponseRedirect(back)

    def again(self, request, back):
        request.session[RETRY_KEY] = {
            "attorneys": [int(v) for v in request.POST.getlist("attorneys") if v.isdigit()],
            "step": request.POST.get("step", ""),
            "on": request.POST.get("on", ""),
            "value": values.keepable(request.POST.get("value", "")),
            "note": values.keepable(request.POST.get("note", "")),
            "select_all": bool(request.POST.get("select_all")),
        }
        return HttpResponseRedirect(back)


class CampaignRecordView(RecorderRequiredMixin, View):
    """One step for one attorney, from the attorney's page."""

    def post(self, request, slug, pk):
        campaign = campaign_or_404(slug)
        attorney = get_object_or_404(Attorney, pk=pk)
        back = reverse("attorney-detail", args=[pk]) + f"#campaign-{slug}"
        form = CampaignStepForm(request.POST, campaign=campaign)
        if not form.is_valid():
            _flash_errors(request, form)
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        step = campaign.step(data["step"])
        try:
            change = services.progress_record(
                campaign=campaign,
                attorney_id=attorney.pk,
                step=step.key,
                actor=Actor.for_user(request.user),
                on=data["on"],
                value=data["value"] or None,
                note=data["note"],
                court_id=data["court"] if campaign.per_court else None,
            )
        except StepRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return HttpResponseRedirect(back)
        if change is None:
            messages.info(request, f"Nothing changed: “{step.label}” was already recorded so.")
        else:
            messages.success(request, f"Recorded: {campaign.name}, {step.label} ({change.new_value}).")
        return HttpResponseRedirect(back)


class CampaignSettingsView(AdministratorRequiredMixin, View):
    """What the firm sets for a campaign: its dates, who is in scope, reminders on or off, a message."""

    template_name = "campaigns/campaign_settings.html"

    def form(self, campaign, data=None):
        row = CampaignSettings.objects.filter(campaign=campaign.slug).first()
        initial = {
            "deadline": row.deadline if row else None,
            "starts_on": row.starts_on if row else None,
            "scope": row.scope if row else CampaignSettings.Scope.FILERS,
            "reminders_on": row.reminders_on if row else True,
            "message": row.message if row else "",
        }
        form = CampaignSettingsForm(data, initial=initial)
        form.fields["scope"].choices = CampaignSettings.Scope.choices
        form.fields["deadline"].label = campaign.deadline_label.capitalize()
        form.fields["starts_on"].label = campaign.starts_label.capitalize()
        return form

    def get(self, request, slug):
        campaign = campaign_or_404(slug)
        return render(
            request, self.template_name, {"campaign": campaign, "form": self.form(campaign), "nav": "campaigns"}
        )

    def post(self, request, slug):
        campaign = campaign_or_404(slug)
        form = self.form(campaign, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes = services.settings_save(
                    campaign=campaign,
                    actor=Actor.for_user(request.user),
                    note=data["note"],
                    deadline=data["deadline"],
                    starts_on=data["starts_on"],
                    scope=data["scope"],
                    reminders_on=data["reminders_on"],
                    message=data["message"],
                )
            except StepRefused as refusal:
                form.add_error(None, refusal.messages)
            else:
                messages.success(request, f"{campaign.name}: {len(changes)} setting(s) changed; in the history.")
                return redirect("campaign-overview", slug=slug)
        context = {"campaign": campaign, "form": form, "nav": "campaigns"}
        return render(request, self.template_name, context, status=400)


class CampaignCourtDateView(AdministratorRequiredMixin, View):
    """Correct a campaign's date in one court (a court moved its cutover): in the history, with the court."""

    def post(self, request, slug):
        campaign = campaign_or_404(slug)
        back = reverse("campaign-overview", args=[slug]) + "#courts"
        form = CourtDateForm(request.POST)
        if not form.is_valid():
            _flash_errors(request, form)
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        try:
            change = services.court_date_save(
                campaign=campaign,
                court_id=data["court_id"],
                date=data["date"],
                actor=Actor.for_user(request.user),
                note=data["note"],
            )
        except StepRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return HttpResponseRedirect(back)
        if change is None:
            messages.info(request, "Nothing changed: that is already the date.")
        else:
            messages.success(request, f"{campaign.name} in {data['court_id']}: {change.new_value} (in the history).")
        return HttpResponseRedirect(back)


def _flash_errors(request, form) -> None:
    """Each error of a refused form as a message, named by its field, for the page it goes back to."""
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{field}: {error}")

"""The per-court checklist of an attorney's page: which steps are done, which can be recorded."""

import dataclasses

from attorneys.choices import Step
from attorneys.models import CourtLink
from attorneys.names import names_match
from attorneys.services.steps import why_cannot_link, why_cannot_register
from attorneys.status import cannot_file, court_is_live
from core import clock


@dataclasses.dataclass
class ChecklistItem:
    step: str
    label: str
    done: bool
    detail: str = ""
    form: object = None
    blocked_reason: str = ""
    warning: str = ""
    fact: bool = False  # a yes/no fact about the pair rather than a step to complete


@dataclasses.dataclass
class CourtChecklist:
    link: CourtLink
    items: list[ChecklistItem]

    @property
    def status(self):
        return self.link.status

    @property
    def cannot_file(self) -> bool:
        return cannot_file(self.link)


def court_checklist(link: CourtLink, *, can_record: bool, forms) -> CourtChecklist:
    """``forms(step, link)`` builds the form for a step (bound when it is the one that failed)."""
    court = link.court
    items = [
        ChecklistItem(
            Step.EFILING_ACCOUNT,
            "E-filing account in this court",
            done=link.efiling_account,
            detail="" if link.efiling_account else "PACER access only: nothing to do here.",
            fact=True,
        )
    ]
    if link.efiling_account:
        items.append(
            ChecklistItem(
                Step.NEW_TO_COURT,
                "New to this court (no old CM/ECF account)",
                done=link.new_to_court,
                detail="Request e-filing access through PACER instead of linking." if link.new_to_court else "",
                fact=True,
            )
        )
        detail = court.nextgen_display()
        items.append(
            ChecklistItem(
                "go_live",
                "Court on NextGen",
                done=court_is_live(court.nextgen_go_live, court.live_by, clock.today()),
                detail=f"Go-live {detail}" if court.nextgen_go_live else detail[0].upper() + detail[1:],
            )
        )
        if link.new_to_court:
            items.append(_registration_item(link, can_record, forms))
        else:
            if link.linked_on:
                login_detail = "" if link.cmecf_login_known else "Implied by the link."
            elif link.cmecf_login_known:
                login_detail = ""
            else:
                login_detail = f"Lost? Ask the court's help desk{_help_desk(court)}."
            items.append(
                ChecklistItem(
                    Step.CMECF_LOGIN_KNOWN,
                    "Knows the old CM/ECF login and password",
                    done=link.cmecf_login_known or link.linked_on is not None,
                    detail=login_detail,
                )
            )
            items.append(_link_item(link, can_record, forms))
            items.append(_menus_item(link, can_record, forms))
    settled = bool(link.linked_on or link.registered_on)  # access gained: these facts are history now
    toggles = (Step.EFILING_ACCOUNT, Step.NEW_TO_COURT, Step.CMECF_LOGIN_KNOWN)
    for item in items:
        if item.form is None and can_record and item.step in toggles and not settled:
            item.form = forms(item.step, link, value="no" if item.done else "yes")
    return CourtChecklist(link=link, items=items)


def _help_desk(court) -> str:
    contacts = [c for c in (court.help_desk_email, court.help_desk_phone) if c]
    return f" ({', '.join(contacts)})" if contacts else ""


def _link_item(link, can_record, forms) -> ChecklistItem:
    if link.linked_on:
        warning = ""
        if not names_match(link.cmecf_name_shown, link.pacer_name_shown):
            warning = "The two names differ beyond a middle initial: check that the right accounts were linked."
        recorder = link.linked_recorded_by
        who = (recorder.get_full_name() or recorder.get_username()) if recorder else ""
        return ChecklistItem(
            Step.LINKED,
            "CM/ECF account linked to the PACER account",
            done=True,
            detail=(
                f"Linked {link.linked_on:%Y-%m-%d}: CM/ECF “{link.cmecf_name_shown}”, "
                f"PACER “{link.pacer_name_shown}”" + (f" (recorded by {who})" if who else "")
            ),
            warning=warning,
        )
    reason = why_cannot_link(link)
    return ChecklistItem(
        Step.LINKED,
        "CM/ECF account linked to the PACER account",
        done=False,
        detail="Utilities → “Link a CM/ECF account to my PACER account”. It cannot be undone.",
        blocked_reason=reason or "",
        form=forms(Step.LINKED, link) if can_record and not reason else None,
    )


def _registration_item(link, can_record, forms) -> ChecklistItem:
    if link.registered_on:
        return ChecklistItem(
            Step.REGISTERED,
            "E-filing access granted through PACER",
            done=True,
            detail=f"Granted {link.registered_on:%Y-%m-%d}",
        )
    reason = why_cannot_register(link)
    return ChecklistItem(
        Step.REGISTERED,
        "E-filing access granted through PACER",
        done=False,
        detail="Request e-filing access in this court from the PACER account (do not link).",
        blocked_reason=reason or "",
        form=forms(Step.REGISTERED, link) if can_record and not reason else None,
    )


def _menus_item(link, can_record, forms) -> ChecklistItem:
    if link.menus_confirmed_on:
        return ChecklistItem(
            Step.FILING_MENUS,
            "Full filing menus visible",
            done=True,
            detail=f"Confirmed {link.menus_confirmed_on:%Y-%m-%d}",
        )
    has_access = bool(link.linked_on or link.registered_on)
    return ChecklistItem(
        Step.FILING_MENUS,
        "Full filing menus visible",
        done=False,
        detail="Right after linking only Query, Reports, Utilities, Help and Logout show: refresh, or log out "
        "and clear cache and cookies, then log back in with the PACER account.",
        blocked_reason="" if has_access else "After linking.",
        form=forms(Step.FILING_MENUS, link) if can_record and has_access else None,
    )


@dataclasses.dataclass
class PairChecklist:
    """One court of a campaign per attorney and court, for one attorney."""

    court: object  # courts.Court
    status: object  # its StatusDef
    date: object  # the pair's own date (cutover, renewal due) or None
    fact: object  # core.campaigns.CourtFact or None (the campaign knows nothing of this court)
    items: list


@dataclasses.dataclass
class CampaignChecklist:
    campaign: object  # core.campaigns.Campaign
    status: object  # its StatusDef (a campaign per attorney); None per attorney and court
    dates: object  # campaigns.subjects.Dates
    items: list  # campaigns.subjects.ChecklistStep, each with ``form`` when the user may record it
    courts: list = dataclasses.field(default_factory=list)  # PairChecklist, per attorney and court
    unknown: list = dataclasses.field(default_factory=list)  # courts the campaign has no rule for

    @property
    def blocked(self) -> bool:
        if self.campaign.per_court:
            return any(court.status.blocking for court in self.courts)
        return self.status.blocking


def campaign_checklists(attorney, *, today, can_record: bool) -> list[CampaignChecklist]:
    """Every campaign per attorney for this attorney: status and steps (a few queries per campaign)."""
    from campaigns import registry, subjects

    from .forms import CampaignStepForm

    found = []
    settings_rows = subjects.all_settings()
    for campaign in registry.progress_campaigns():
        when = subjects.dates(campaign, settings_rows=settings_rows)
        if campaign.per_court:
            found.append(_pair_checklist(campaign, attorney, today=today, can_record=can_record, when=when))
            continue
        state = subjects.state(campaign, attorney, when=when)
        status = campaign.status(subjects.status_of(campaign, state, today))
        items = subjects.checklist(campaign, state, today)
        for item in items:
            item.form = (
                CampaignStepForm(campaign=campaign, initial={"step": item.step.key, "on": today})
                if can_record and item.applies
                else None
            )
        found.append(CampaignChecklist(campaign=campaign, status=status, dates=when, items=items))
    return found


def _pair_checklist(campaign, attorney, *, today, can_record: bool, when) -> CampaignChecklist:
    """A campaign per attorney and court for one attorney: each court of theirs it is about (one query)."""
    from campaigns import subjects

    from .forms import CampaignStepForm

    courts, unknown = [], []
    rows = subjects.subjects(campaign, today, when=when).filter(attorney=attorney).select_related("court")
    for row in rows.order_by("court__court_id"):
        if campaign.unknown_court_status and row.status == campaign.unknown_court_status:
            unknown.append(row.court)
            continue
        items = subjects.checklist(campaign, row, today)
        for item in items:
            item.form = (
                CampaignStepForm(campaign=campaign, initial={"step": item.step.key, "on": today})
                if can_record and item.applies and not item.step.derived
                else None
            )
        courts.append(
            PairChecklist(
                court=row.court,
                status=campaign.status(row.status),
                date=row.deadline,
                fact=campaign.fact(row.court.court_id),
                items=items,
            )
        )
    return CampaignChecklist(campaign=campaign, status=None, dates=when, items=[], courts=courts, unknown=unknown)

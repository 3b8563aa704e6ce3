"""An attorney leaving the firm: what must happen in every court they file in, and in the campaigns.

The courts keep an e-filing account with the filer, not the firm ("The account remains with the
filer, even if the filer changes firms", ca2), so when an attorney leaves the firm has work to do
in each court: the attorney's address and email brought up to date in PACER and applied to the
courts; a notice of the change (or of withdrawal) in every open case; the firm's secondary
(docketing) addresses taken off the attorney's account in that court; the firm's filing agents'
links removed. In the campaigns: wherever the attorney was named as an authenticator holder for
someone else's PACER account, a review is due (recorded by ``services.person_departed`` when the
attorney is deactivated).

One checklist per attorney: one item per attorney, three per court where they have an e-filing
account, each recorded like any other step (``campaigns.Progress`` with the court, and the
append-only history with ``campaign="departure"``). Facts: ../shared/data/campaign_facts_sources.md.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from attorneys.models import Attorney, CourtLink
from attorneys.services.history import history_add
from core import clock
from core.audit import Actor
from core.campaigns import Source, StepDef, StepKind
from core.exceptions import StepRefused

from . import mfa, values
from .models import Progress

SLUG = "departure"

SOURCES = {
    "moed": Source(
        "U.S. District Court, Eastern District of Missouri: CM/ECF FAQ",
        "https://www.moed.uscourts.gov/faqs/cm-ecf",
        "contact info changes via PACER Manage My Account > Maintenance (Update Personal Info / Address / "
        "E-Filer Email Noticing and Frequency; apply to selected courts)",
    ),
    "pamb": Source(
        "U.S. Bankruptcy Court, Middle District of Pennsylvania: Maintain your ECF account",
        "https://www.pamb.uscourts.gov/content/maintain-your-ecf-account",
        "name/address/primary email maintained in PACER (apply to all cases & courts); secondary email must be "
        "updated per court in ECF Utilities > Maintain Your ECF Account > Email information; be sure to update "
        "all cases",
    ),
    "mdb": Source(
        "U.S. Bankruptcy Court, District of Maryland: Filing agents in NextGen CM/ECF",
        "https://www.mdb.uscourts.gov/for-attorneys/filing-agents-nextgen-cmecf",
        "agents need an individual PACER account linked by the attorney; they get no email of their own, only as "
        "a secondary address in the attorney's account",
    ),
    "ca2": Source(
        "U.S. Court of Appeals for the Second Circuit: Access CM/ECF (NextGen)",
        "https://coop.ca2.uscourts.gov/clerk/case_filing/electronic_filing/how_to_use_cmecf/access_cmecf_nextgen.html",
        "The account remains with the filer, even if the filer changes firms.",
    ),
}

# Once, in PACER: it applies to the courts chosen there.
PER_ATTORNEY = (
    StepDef(
        "contact_updated",
        "Address and email updated in PACER, applied to every court",
        help="PACER > Manage My Account > Maintenance > Update Address / Update E-Filer Email Noticing: the "
        "attorney's new address and email, applied to the selected courts (the account stays with the attorney).",
        sources=(SOURCES["moed"], SOURCES["ca2"]),
    ),
)
# In each court where the attorney has an e-filing account.
PER_COURT = (
    StepDef(
        "open_cases",
        "Open cases: notices of change or withdrawal",
        kind=StepKind.CHOICE,
        choices=(
            ("none_open", "No open case in this court"),
            ("filed", "A notice filed in every open case"),
        ),
        help="A notice of change of address or of withdrawal in each open case, as the court's rules require.",
        sources=(SOURCES["pamb"],),
    ),
    StepDef(
        "secondary_removed",
        "Firm's secondary (docketing) addresses removed",
        help="CM/ECF > Utilities > Maintain Your ECF Account > Email information, in this court: remove the "
        "firm's docketing inboxes so the firm stops receiving the departed attorney's notices.",
        sources=(SOURCES["pamb"],),
    ),
    StepDef(
        "agents_unlinked",
        "Firm's filing agents unlinked",
        help="Remove the firm's filing agents from the attorney's account in this court (an agent files only "
        "through the attorney's link).",
        sources=(SOURCES["mdb"],),
    ),
)
STEPS = {step.key: step for step in (*PER_ATTORNEY, *PER_COURT)}


@dataclasses.dataclass
class Item:
    step: StepDef
    court: object | None  # courts.Court, None for the item in PACER
    done_on: datetime.date | None
    value: str | None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def form_id(self) -> str:
        return f"{self.step.key}-{self.court.court_id}" if self.court else self.step.key

    @property
    def shown(self) -> str:
        if self.step.kind == StepKind.CHOICE:
            return dict(self.step.choices).get(self.value, "")
        return self.done_on.isoformat() if self.done_on else ""


@dataclasses.dataclass
class Checklist:
    attorney: Attorney
    in_pacer: list[Item]
    courts: list[tuple[object, list[Item]]]  # (court, its items), by court id
    holder_for: list[Attorney]  # attorneys whose authenticator this attorney holds

    @property
    def items(self) -> list[Item]:
        return [*self.in_pacer, *(item for _court, items in self.courts for item in items)]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done == self.total


def _courts(attorney: Attorney):
    links = CourtLink.objects.filter(attorney=attorney, efiling_account=True).select_related("court")
    return sorted((link.court for link in links), key=lambda court: court.court_id)


def holder_for(attorney: Attorney) -> list[Attorney]:
    """The other attorneys who named this one as a holder of their PACER account's authenticator."""
    rows = Progress.objects.filter(
        campaign=mfa.SLUG, court=None, step="holders", value__icontains=(attorney.name.split() or [""])[-1]
    ).select_related("attorney")

    def names_them(row) -> bool:
        return any(values.same_person(holder, attorney.name) for holder in values.names_of(row.value))

    return sorted(
        (row.attorney for row in rows if row.attorney_id != attorney.pk and names_them(row)),
        key=lambda other: (other.name, other.pk),
    )


def checklist(attorney: Attorney) -> Checklist:
    """Everything the firm must do because ``attorney`` leaves, and what is done (three queries)."""
    courts = _courts(attorney)
    recorded = {(row.court_id, row.step): row for row in Progress.objects.filter(campaign=SLUG, attorney=attorney)}

    def item(step, court):
        row = recorded.get((court.pk if court else None, step.key))
        return Item(step=step, court=court, done_on=row.done_on if row else None, value=row.value if row else None)

    return Checklist(
        attorney=attorney,
        in_pacer=[item(step, None) for step in PER_ATTORNEY],
        courts=[(court, [item(step, court) for step in PER_COURT]) for court in courts],
        holder_for=holder_for(attorney),
    )


def departure_record(
    *,
    attorney_id: int,
    step: str,
    actor: Actor,
    court_id: str | None = None,
    on: datetime.date | None = None,
    value: str | None = None,
    note: str = "",
):
    """Record one item of an attorney's departure checklist; None when it was already so."""
    definition = STEPS.get(step)
    if definition is None:
        raise StepRefused("The departure checklist has no such step.")
    today = clock.today()
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        court = None
        if definition in PER_COURT:
            link = (
                CourtLink.objects.filter(attorney=attorney, court__court_id=court_id, efiling_account=True)
                .select_related("court")
                .first()
            )
            if link is None:
                where = court_id[:20] if court_id else "that court"
                raise StepRefused(f"{attorney.name} has no e-filing account in {where}.")
            court = link.court
        try:
            day = values.clean_date(on or today, earliest=None, today=today)
            choice = definition.kind == StepKind.CHOICE
            cleaned = values.clean_choice(value or "", definition.choices) if choice else None
        except ValidationError as exc:
            raise StepRefused([f"{attorney.name}, {definition.label}: {m}" for m in exc.messages]) from None
        row = Progress.objects.filter(campaign=SLUG, attorney=attorney, court=court, step=step).first()
        if row is not None and (row.done_on, row.value) == (day, cleaned):
            return None
        old = Item(definition, court, row.done_on, row.value).shown if row else ""
        if row is None:
            row = Progress(campaign=SLUG, attorney=attorney, court=court, step=step)
        row.done_on, row.value, row.updated_at, row.updated_by = day, cleaned, clock.now(), actor.user
        row.save()
        new = Item(definition, court, day, cleaned).shown
        return history_add(
            actor=actor,
            campaign=SLUG,
            step=step,
            old=old or None,
            new=new if definition.kind != StepKind.CHOICE else f"{new} ({day.isoformat()})",
            note=note,
            attorney=attorney,
            court=court,
        )

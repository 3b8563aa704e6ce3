"""Court bar membership and e-filing registration renewals: a campaign per attorney and court.

Several district courts make every member of their bar renew on a cycle, and a member who does not
loses the right to e-file there. Each court's cycle is data (``CYCLES``), from the court's own page
(../shared/data/campaign_facts_sources.md, "Bar renewal cycles", re-checked). Two kinds:

- counted from the attorney (``FROM_LAST``): every N years from admission or the last renewal
  (txsd 5, mdd 6), due in the month of first admission (lawd), or in a summer window of the due
  year (flmd: June 1 to the last business day of August);
- on the court's calendar (``CALENDAR``): the same due date for everyone, every N years from a known
  one (rid: Aug 31 of every second year from 2024; moed: Jan 31 2027, every 4 years; laed: Mar 1,
  every 3 years from 2017). A renewal counts for the cycle whose window it falls in; where the
  court does not publish when the window opens, Firmlink counts ``window_days`` before the due
  date and says so.

Each pair records the admission date and the last renewal; the next due date is computed from
them by ``next_due`` (the one rule) whenever either is recorded, and stored as the automatic step
``due``, which the statuses and reminders read. A court with no cycle here shows "cycle unknown",
never a guess.
"""

import calendar
import dataclasses
import datetime

from core.campaigns import Campaign, CourtFact, Schedule, Source, StatusDef, StepDef, Subject
from core.rules import IsSet, IsTrue, Not, Reached

SLUG = "bar_renewal"
FROM_LAST = "from_last"
CALENDAR = "calendar"
# FROM_LAST: what day of the due year
ANNIVERSARY = "anniversary"
ADMISSION_MONTH_END = "admission_month_end"
AUGUST_LAST_BUSINESS_DAY = "august_last_business_day"
REMIND_DAYS = (60, 30, 14, 7, 1)


@dataclasses.dataclass(frozen=True)
class Cycle:
    years: int
    counted: str = FROM_LAST
    due_day: str = ANNIVERSARY  # FROM_LAST
    anchor: datetime.date | None = None  # CALENDAR: one due date of the cycle
    window_days: int = 0  # CALENDAR: the window opens this many days before the due date
    window_published: bool = True


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29th
        return day.replace(year=day.year + years, day=28)


def last_business_day_of_august(year: int) -> datetime.date:
    day = datetime.date(year, 8, 31)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def next_due(cycle: Cycle, admitted_on: datetime.date | None, renewed_on: datetime.date | None):
    """The next renewal due date for a member admitted and last renewed on those days (None: no basis)."""
    basis = max((d for d in (admitted_on, renewed_on) if d is not None), default=None)
    if basis is None:
        return None
    if cycle.counted == CALENDAR:
        # The first due date of the court's calendar whose window opens after the basis: a renewal
        # made in a window counts for that window's due date; a new member's first is the next window.
        k = (basis.year - cycle.anchor.year) // cycle.years - 1
        while True:
            due = add_years(cycle.anchor, k * cycle.years)
            if due - datetime.timedelta(days=cycle.window_days) > basis:
                return due
            k += 1
    year = basis.year + cycle.years
    if cycle.due_day == ADMISSION_MONTH_END:
        month = (admitted_on or basis).month
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if cycle.due_day == AUGUST_LAST_BUSINESS_DAY:
        return last_business_day_of_august(year)
    return add_years(basis, cycle.years)


def derive(fact: CourtFact | None, recorded: dict) -> dict:
    """The automatic steps from the recorded ones: the next due date (campaigns.services calls this)."""
    if fact is None or fact.cycle is None:
        return {"due": None}
    return {"due": next_due(fact.cycle, recorded.get("admitted"), recorded.get("renewed"))}


def _source(court: str, url: str, quote: str) -> Source:
    return Source(f"{court}: attorney admission renewal", url, quote)


COURT_FACTS = (
    CourtFact(
        "flmd",
        _source(
            "U.S. District Court, Middle District of Florida",
            "http://www.flmd.uscourts.gov/AttyResources/AttyRenewal/AttyRenewal-FAQs.htm",
            "$25 / 3-year cycle; window opens June 1, delinquent after the last business day of August; $50 late "
            "grace to the end of September; then removed and must reapply; payment only via each attorney's own "
            "CM/ECF login",
        ),
        summary="Every 3 years ($25): window June 1 to the last business day of August, paid from the attorney's "
        "own CM/ECF login (no bulk payment). Firmlink counts 3 years from the last renewal or admission.",
        consequence="Delinquent after the last business day of August; $50 late until the end of September; then "
        "removed from the bar and must reapply.",
        cycle=Cycle(3, due_day=AUGUST_LAST_BUSINESS_DAY),
    ),
    CourtFact(
        "txsd",
        _source(
            "U.S. District Court, Southern District of Texas",
            "https://www.txs.uscourts.gov/page/attorney-admissions-membership-renewal-instructions",
            "reapply every 5 years from admission; $25; notice 1 month prior with a miscellaneous case number; "
            "renew by docketing the Renewal event in CM/ECF after updating account information",
        ),
        summary="Every 5 years from admission ($25): the court's notice comes a month before with a case number; "
        "renew by docketing the Renewal event in CM/ECF after updating the account.",
        consequence="Membership must be renewed to keep practising there; the court's page does not say more.",
        cycle=Cycle(5),
    ),
    CourtFact(
        "mdd",
        _source(
            "U.S. District Court, District of Maryland",
            "https://www.mdd.uscourts.gov/news/notice-changes-attorney-renewal-process-2004-11-28t000000",
            "renewal every six years (from 2008), notices to the address on file",
        ),
        summary="Every 6 years; the notice goes to the address on file (keep it current).",
        consequence="Membership lapses without renewal; the court's notice does not say more.",
        cycle=Cycle(6),
    ),
    CourtFact(
        "lawd",
        _source(
            "U.S. District Court, Western District of Louisiana",
            "https://www.lawd.uscourts.gov/renewals",
            "$45 every 3 years due in the month of first admission; email notice 30 days before; inactive status: "
            "not eligible to e-file",
        ),
        summary="Every 3 years ($45), due in the month of first admission; the court emails 30 days before.",
        consequence="Inactive status: not eligible to e-file.",
        cycle=Cycle(3, due_day=ADMISSION_MONTH_END),
    ),
    CourtFact(
        "rid",
        _source(
            "U.S. District Court, District of Rhode Island",
            "https://www.rid.uscourts.gov/bar-membership-renewal",
            "renew June 1 - Aug 31 every second year from 2024; $30 + demographic survey; failure: inactive, "
            "CM/ECF filing account deactivated, appearances may be withdrawn",
        ),
        summary="Every second year from 2024 ($30 and a survey), June 1 to August 31.",
        consequence="Inactive; the CM/ECF filing account is deactivated and appearances may be withdrawn.",
        cycle=Cycle(2, counted=CALENDAR, anchor=datetime.date(2024, 8, 31), window_days=91),
    ),
    CourtFact(
        "moed",
        _source(
            "U.S. District Court, Eastern District of Missouri",
            "https://www.moed.uscourts.gov/attorney-re-registration",
            "quadrennial; next period Fall 2026, due Jan 31 2027; failure: e-filing privilege suspended; removed "
            "after 3 months",
        ),
        summary="Every 4 years; the current period opened in the fall of 2026 and is due 2027-01-31 (the court "
        "does not give the opening day: Firmlink counts from 2026-09-01).",
        consequence="E-filing privileges suspended; removed from the bar after 3 months.",
        cycle=Cycle(4, counted=CALENDAR, anchor=datetime.date(2027, 1, 31), window_days=152, window_published=False),
    ),
    CourtFact(
        "laed",
        _source(
            "U.S. District Court, Eastern District of Louisiana",
            "https://www.laed.uscourts.gov/news/2017-02",
            "triennial dues $45 paid via the ECF account (2017 cycle, due Mar 1 2017); summary suspension if unpaid",
        ),
        summary="Every 3 years ($45) through the attorney's ECF account, due March 1 (2017, 2020, 2023, 2026, "
        "2029); the court's notice does not give the opening day: Firmlink counts 90 days before.",
        consequence="Summary suspension if unpaid.",
        cycle=Cycle(3, counted=CALENDAR, anchor=datetime.date(2017, 3, 1), window_days=90, window_published=False),
    ),
)

CYCLES = {fact.court: fact.cycle for fact in COURT_FACTS}
DUE = "p_due_on"

CAMPAIGN = Campaign(
    slug=SLUG,
    name="Bar renewals",
    summary=(
        "Courts that make their bar members renew on a cycle: each attorney's next due date in each court, from "
        "the admission date and the last renewal; a member who misses it loses the right to e-file there."
    ),
    subject=Subject.ATTORNEY_IN_COURT,
    deadline_label="renewal deadline",
    court_date_label="renewal deadline",
    subject_date=DUE,
    scope_label="every attorney-court pair with an e-filing account",
    schedule=Schedule(days_before=REMIND_DAYS, every_after=7, escalate_after=0),
    sources=tuple(fact.source for fact in COURT_FACTS),
    court_facts=COURT_FACTS,
    unknown_court_status="unknown_cycle",
    derive=derive,
    steps=(
        StepDef(
            "admitted",
            "Admitted to the court's bar on",
            help="The date of admission (the first, where the court counts its cycle from it).",
            roster_column="admitted_on",
        ),
        StepDef(
            "renewed",
            "Last renewed on",
            needs=IsSet("p_admitted_on"),
            needs_text="the admission date",
            help="The day the court accepted the renewal (or the fee was paid).",
            roster_column="renewed_on",
        ),
        StepDef(
            "due",
            "Next renewal due",
            automatic=True,
            derived=True,
            help="Computed by Firmlink from the court's cycle, the admission date and the last renewal.",
        ),
    ),
    statuses=(
        StatusDef(
            "unknown_cycle", "Cycle unknown for this court", Not(IsTrue("court_known")), done=True, badge="light"
        ),
        StatusDef("needs_admission", "Admission date needed", Not(IsSet("p_admitted_on")), badge="warning"),
        StatusDef(
            "lapsed",
            "Renewal past due",
            Reached(DUE, days_after=1),
            blocking=True,
            remind=("after",),
            badge="danger",
        ),
        StatusDef(
            "due_soon",
            "Renew now",
            Reached(DUE, days_after=-REMIND_DAYS[0]),
            remind=("before", "day"),
            badge="warning",
        ),
        StatusDef("current", "Current", IsSet(DUE), done=True, badge="success"),
    ),
)

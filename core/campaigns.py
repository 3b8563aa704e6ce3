"""What a campaign is: the vocabulary campaign definitions are written in (declarative data).

A campaign is account work the courts ask of every attorney, tracked to the end: NextGen
linking (per attorney and court), PACER multi-factor authentication (per attorney), and the
next ones. A definition says:

- ``subject``: what it applies to, an attorney or an attorney in a court;
- ``steps``: in order, each with what it needs before it can be recorded (another step, a
  date reached, an attribute), the kind of value it records, and its sources;
- ``statuses``: ordered rules (``core.rules``), the first that holds gives the subject's status;
  which statuses mean "cannot file now", which mean "done", which are reminded and when;
- ``deadline`` (firm-wide) or per-court cutover dates, ``starts_on``;
- ``schedule``: reminders days before the deadline or cutover, every N days after while blocked,
  the administrators' digest after so many days;
- ``sources``: where the facts come from.

Definitions are code, versioned with the app; a firm's administrators change a campaign's
dates, texts and scope (``campaigns.CampaignSettings``), not its rules. Definitions live in
the layer that owns their data (NextGen: ``attorneys.campaign``; the others: ``campaigns``)
and are listed in ``campaigns.registry``.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import models

from .rules import Always, Condition, Rule


class Subject(models.TextChoices):
    ATTORNEY = "attorney", "Attorney"
    ATTORNEY_IN_COURT = "attorney_in_court", "Attorney in a court"


class StepKind(models.TextChoices):
    DATE = "date", "A date"
    NAMES = "names", "Names of people"
    PLACE = "place", "Where something is kept"
    CHOICE = "choice", "One of a few answers"
    EVENT = "event", "Something that happened (a date and a name)"


@dataclasses.dataclass(frozen=True)
class Source:
    title: str
    url: str
    quote: str = ""


@dataclasses.dataclass(frozen=True)
class StepDef:
    key: str
    label: str
    kind: str = StepKind.DATE
    help: str = ""
    # What must hold before the step can be recorded, and the same said to people.
    needs: Condition = Always()
    needs_text: str = ""
    # When the step is on the checklist at all (e.g. a review only after a holder left).
    applies: Condition = Always()
    choices: tuple[tuple[str, str], ...] = ()
    max_items: int = 0  # NAMES: at most this many
    earliest: str = ""  # DATE: not before the campaign's date of this name ("starts_on")
    roster_column: str = ""
    sources: tuple[Source, ...] = ()
    # Shown on the checklist, but recorded by Firmlink itself (e.g. "a holder left", from a departure).
    automatic: bool = False
    # EVENT steps: recorded when a person named in this NAMES step leaves the firm.
    departure_of: str = ""
    # Computed by the campaign's ``derive`` from the other steps (e.g. a renewal's next due date):
    # shown, never recorded by hand.
    derived: bool = False


@dataclasses.dataclass(frozen=True)
class StatusDef:
    key: str
    label: str
    when: Condition
    blocking: bool = False  # cannot file now
    done: bool = False  # nothing left to do (or nothing applies)
    # Reminded on these occasions: "before" the deadline or cutover, on the "day", "after" it.
    remind: tuple[str, ...] = ()
    badge: str = "secondary"  # Bootstrap colour of its badge


@dataclasses.dataclass(frozen=True)
class Schedule:
    days_before: tuple[int, ...] = (30, 14, 7, 1)
    every_after: int = 7
    escalate_after: int | None = 7  # days after the deadline or cutover before the digest lists a subject


@dataclasses.dataclass(frozen=True)
class CourtFact:
    """What a campaign per attorney and court knows of one court: its date (a cutover), what the
    court says (a renewal cycle, who may add an address, what happens when it is missed), and where
    that comes from. A court the campaign lists no fact for is shown as "unknown" for that court."""

    court: str  # courts.Court.court_id
    source: Source
    date: datetime.date | None = None  # the cutover, where the campaign has one per court
    summary: str = ""  # the rule in a sentence, shown on pages and in emails
    consequence: str = ""  # what happens when it is missed
    phases: tuple[tuple[datetime.date, str], ...] = ()  # earlier or later stages, shown as they are
    flag: str = ""  # something that changes how the work is done there (e.g. "help desk only")
    cycle: object = None  # a campaign's own rule data (e.g. campaigns.renewals.Cycle)
    in_directory: bool = True  # False: a court outside the CM/ECF directory, listed for its date only


@dataclasses.dataclass(frozen=True)
class Campaign:
    slug: str
    name: str
    summary: str
    subject: str
    steps: tuple[StepDef, ...]
    statuses: tuple[StatusDef, ...]  # ordered: the first whose condition holds; the last one is the default
    schedule: Schedule = Schedule()
    deadline: datetime.date | None = None  # firm-wide; None for per-court cutovers
    starts_on: datetime.date | None = None
    deadline_label: str = "deadline"
    starts_label: str = "opened"  # what the campaign's ``starts_on`` means, said on its pages
    sources: tuple[Source, ...] = ()
    # Who is in scope by default (the administrators may widen or narrow it where the campaign allows).
    scope_label: str = ""
    # The rules, when they are not simply "each status but the last, in order" (NextGen's, where two
    # conditions give "complete").
    status_rules: tuple[Rule, ...] = ()
    # Campaigns per attorney and court: the facts per court; with ``listed_courts_only`` only the
    # pairs in those courts are subjects (ACMS), else every pair with an e-filing account (the
    # courts without a fact show "unknown"). ``court_date_label`` names the per-court date.
    court_facts: tuple[CourtFact, ...] = ()
    listed_courts_only: bool = False
    court_date_label: str = ""
    # The annotation holding each pair's own date, which reminders count from and pages show: "court_date"
    # (a cutover per court) or a step's date (e.g. "p_due_on", a renewal's next due date). Empty: the
    # campaign's firm-wide deadline.
    subject_date: str = ""
    # The status of a pair in a court the campaign has no rule for ("cycle unknown"): pages list those
    # courts in one line instead of a checklist each.
    unknown_court_status: str = ""
    # Dates Firmlink computes from what was recorded (e.g. a renewal's next due date): a function
    # (court fact or None, {step key: date}) -> {automatic step key: date or None}.
    derive: object = None

    def __post_init__(self):
        keys = [s.key for s in self.statuses]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.slug}: a status is defined twice")
        steps = [s.key for s in self.steps]
        if len(set(steps)) != len(steps):
            raise ValueError(f"{self.slug}: a step is defined twice")

    # The status rules, for core.rules.case / first: every status but the last (the default).
    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.status_rules or tuple(Rule(status.key, status.when) for status in self.statuses[:-1])

    @property
    def default_status(self) -> str:
        return self.statuses[-1].key

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        return [(s.key, s.label) for s in self.statuses]

    @property
    def per_court(self) -> bool:
        return self.subject == Subject.ATTORNEY_IN_COURT

    def fact(self, court_id: str) -> CourtFact | None:
        return next((f for f in self.court_facts if f.court == court_id), None)

    def status(self, key: str) -> StatusDef:
        return next(s for s in self.statuses if s.key == key)

    def step(self, key: str) -> StepDef:
        return next(s for s in self.steps if s.key == key)

    @property
    def blocking(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses if s.blocking)

    @property
    def done(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses if s.done)

    def reminded(self, kind: str) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses if kind in s.remind)


# The campaigns of this installation, in the order pages list them. Filled when the apps are
# ready (campaigns.apps), from campaigns.registry; read by any layer.
_registered: dict[str, Campaign] = {}


def register(campaign: Campaign) -> None:
    _registered[campaign.slug] = campaign


def registered() -> list[Campaign]:
    return list(_registered.values())


def lookup(slug: str) -> Campaign | None:
    return _registered.get(slug)

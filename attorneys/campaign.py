"""NextGen CM/ECF linking as a campaign: the first of the firm's account campaigns.

Per attorney and court, with per-court cutover dates (the court's go-live, else its on-NextGen-by
bound). Its statuses are the rules of attorneys.status (``RULES``), unchanged; its records are
the columns of ``Attorney`` and ``CourtLink``; its pages are the dashboard's first ones (the
overview, the pairs table, the compliance export) at their old addresses; its reminders are
planned by tasks.services.planning with the schedule of the ``FIRMLINK_REMINDER_*`` settings.
"""

from django.conf import settings

from core.campaigns import Campaign, Schedule, Source, StatusDef, StepDef, Subject
from core.rules import All, Always, Equals, IsSet, IsTrue, Not, Reached

from .choices import PacerAccount
from .status import BLOCKING, DONE, LIVE_SINCE, RULES, LinkStatus

SLUG = "nextgen"

_UPGRADED = All(Equals("attorney__pacer_account", PacerAccount.UPGRADED), IsTrue("attorney__pacer_individual"))
_LIVE = Reached(LIVE_SINCE)
_REMIND = {
    LinkStatus.NEEDS_PACER_ACCOUNT: ("before", "day", "after"),
    LinkStatus.NEEDS_PACER_UPGRADE: ("before", "day", "after"),
    LinkStatus.AWAITING_GO_LIVE: ("before",),
    LinkStatus.NEEDS_REGISTRATION: ("day", "after"),
    LinkStatus.READY_TO_LINK: ("day", "after"),
}
_BADGE = {
    LinkStatus.NEEDS_PACER_ACCOUNT: "danger",
    LinkStatus.NEEDS_PACER_UPGRADE: "danger",
    LinkStatus.NEEDS_REGISTRATION: "danger",
    LinkStatus.READY_TO_LINK: "danger",
    LinkStatus.AWAITING_GO_LIVE: "info",
    LinkStatus.LINKED: "primary",
    LinkStatus.COMPLETE: "success",
}

SOURCES = (
    Source(
        "U.S. Bankruptcy Court, Northern District of California: NextGen CM/ECF",
        "https://www.canb.uscourts.gov/",
        "link your existing CM/ECF account to your upgraded individual PACER account after go-live",
    ),
    Source(
        "U.S. Bankruptcy Court, Northern District of Alabama: NextGen CM/ECF",
        "https://www.alnb.uscourts.gov/",
        "attorneys must have an individual upgraded PACER account; shared firm accounts cannot be used to e-file",
    ),
)

CAMPAIGN = Campaign(
    slug=SLUG,
    name="NextGen linking",
    summary=(
        "In each court that moves to NextGen CM/ECF, every attorney with an e-filing account links it to an upgraded "
        "individual PACER account, once, after the court's go-live; until then they cannot e-file there."
    ),
    subject=Subject.ATTORNEY_IN_COURT,
    deadline_label="go-live",
    scope_label="attorney-court pairs with an e-filing account",
    schedule=Schedule(
        days_before=tuple(settings.FIRMLINK_REMINDER_DAYS_BEFORE),
        every_after=settings.FIRMLINK_REMINDER_EVERY_DAYS_AFTER,
        escalate_after=settings.FIRMLINK_ESCALATE_AFTER_DAYS,
    ),
    sources=SOURCES,
    steps=(
        StepDef(
            "pacer_individual",
            "Own an individual PACER account",
            help="A shared firm account does not count for NextGen filing.",
        ),
        StepDef(
            "pacer_account",
            "Upgrade the PACER account",
            needs=IsTrue("attorney__pacer_individual"),
            needs_text="an individual PACER account",
        ),
        StepDef(
            "cmecf_login_known",
            "Know the old CM/ECF login",
            applies=Not(IsTrue("new_to_court")),
            help="Needed once, to link; lost? the court's help desk resets it.",
        ),
        StepDef(
            "linked",
            "Link the CM/ECF account to PACER",
            applies=Not(IsTrue("new_to_court")),
            needs=All(_UPGRADED, _LIVE),
            needs_text="an upgraded individual PACER account and the court's go-live",
        ),
        StepDef(
            "filing_menus",
            "See the filing menus",
            applies=Not(IsTrue("new_to_court")),
            needs=IsSet("linked_on"),
            needs_text="the link",
        ),
        StepDef(
            "registered",
            "Request e-filing access (new filer)",
            applies=IsTrue("new_to_court"),
            needs=All(_UPGRADED, _LIVE),
            needs_text="an upgraded individual PACER account and the court's go-live",
        ),
    ),
    status_rules=RULES,
    statuses=tuple(
        StatusDef(
            status.value,
            status.label,
            Always(),  # the conditions are RULES, where "complete" has two
            blocking=status in BLOCKING,
            done=status in DONE,
            remind=_REMIND.get(status, ()),
            badge=_BADGE.get(status, "secondary"),
        )
        for status in LinkStatus
        if status != LinkStatus.COMPLETE
    )
    + (StatusDef(LinkStatus.COMPLETE.value, LinkStatus.COMPLETE.label, Always(), done=True, badge="success"),),
)

"""An example of a firm's own campaign: a yearly check that each filer's PACER account email
reaches them (court notices, MFA security codes and password resets all go there).

Not registered by default. A firm enables it with
``FIRMLINK_EXTRA_CAMPAIGNS=campaigns.examples.pacer_contact_review`` or copies it into a module
of its own and changes the dates and words. Everything else (its overview, table, bulk
recording, export, reminders, roster columns and history) comes from this definition.
"""

import datetime

from core.campaigns import Campaign, Schedule, Source, StatusDef, StepDef, StepKind, Subject
from core.rules import Always, IsSet, IsTrue, Not, Reached

CAMPAIGN = Campaign(
    slug="pacer_contact_review",
    name="PACER contact review",
    summary="Every filer confirms that their PACER account's email reaches them, once a year.",
    subject=Subject.ATTORNEY,
    deadline=datetime.date(2027, 1, 31),
    starts_on=datetime.date(2026, 11, 1),
    deadline_label="review deadline",
    scope_label="attorneys with an e-filing account in at least one court",
    schedule=Schedule(days_before=(30, 7, 1), every_after=7, escalate_after=14),
    sources=(
        Source(
            "PACER: MFA tips and resources (2025-08-28)",
            "https://pacer.uscourts.gov/announcements/2025/08/28/mfa-tips-and-resources",
            "confirm the PACER account email is correct and accessible",
        ),
    ),
    steps=(
        StepDef(
            "contact_email_checked",
            "Account email checked",
            needs=Reached("starts_on"),
            needs_text="the review to open",
            earliest="starts_on",
            help="PACER > Manage My Account > Update Personal Information: the email is the attorney's own.",
            roster_column="pacer_email_checked_on",
        ),
        StepDef(
            "contact_notices",
            "Who else receives court notices",
            kind=StepKind.CHOICE,
            choices=(("none", "Only the attorney"), ("docketing", "The docketing team too (secondary email)")),
            needs=IsSet("p_contact_email_checked_on"),
            needs_text="the email checked",
        ),
    ),
    statuses=(
        StatusDef("not_in_scope", "Not in scope (no filing access)", Not(IsTrue("in_scope")), done=True),
        StatusDef(
            "needs_check",
            "Check the account email",
            Not(IsSet("p_contact_email_checked_on")),
            remind=("before", "day", "after"),
            badge="warning",
        ),
        StatusDef("needs_notices", "Say who receives notices", Not(IsSet("p_contact_notices_value", text=True))),
        StatusDef("complete", "Complete", Always(), done=True, badge="success"),
    ),
)

"""Filing-notice routing: the firm's docketing inbox on every attorney's account in every court.

Notices of electronic filing go to the attorney's primary address (kept in PACER) and to the
secondary addresses of the attorney's account in each court; a firm routes them to its docketing
team by adding the docketing inbox as a secondary address and ticking "send notices to secondary
addresses" in each court (district and bankruptcy courts take up to five secondary addresses,
courts of appeals several up to 255 characters), then checks that a notice arrives. A few courts
add a secondary address only through their help desk (mieb, canb, ilsb): flagged per court. When
the docketing staff or inbox change, the administrators set the campaign's "docketing staff
changed on" date (its ``starts_on``) and every pair whose test notice is older is due again.

Facts: ../shared/data/campaign_facts_sources.md, "Secondary email / vendors" (re-checked). A
vendor's address as a secondary recipient gives the vendor sealed notices (e.g. deb, lamd): a
firm's own inbox is meant here, never a vendor's.
"""

from core.campaigns import Campaign, CourtFact, Schedule, Source, StatusDef, StepDef, Subject
from core.rules import IsSet, Later, Not

SLUG = "notice_routing"

PACER_FAQ = Source(
    "PACER: frequently asked questions",
    "https://pacer.uscourts.gov/node?items_per_page=All&page=10",
    "district/bankruptcy: attorneys may authorize duplicate NEF receipt for up to five support staff (Utilities > "
    "Maintain Your Account > Email Information); appellate: several addresses up to 255 characters",
)
PAMB = Source(
    "U.S. Bankruptcy Court, Middle District of Pennsylvania: maintain your ECF account",
    "https://www.pamb.uscourts.gov/content/maintain-your-ecf-account",
    "secondary email must be updated per court in ECF Utilities > Maintain Your ECF Account > Email information",
)
MDB = Source(
    "U.S. Bankruptcy Court, District of Maryland: filing agents in NextGen CM/ECF",
    "https://www.mdb.uscourts.gov/for-attorneys/filing-agents-nextgen-cmecf",
    "must be added as Secondary Email Address in the attorney's Maintain Your ECF Account and check 'send notices "
    "to secondary addresses'",
)
COURTDRIVE = Source(
    "CourtDrive: add an email to the courts",
    "https://www.courtdrive.com/guides/add-email-to-courts",
    "for mieb, canb, ilsb must email the court's help desk to add it",
)
HELP_DESK_ONLY = "Secondary addresses are added by the court's help desk: email them."


def _help_desk(court: str) -> CourtFact:
    return CourtFact(
        court,
        COURTDRIVE,
        summary="This court adds secondary addresses only through its help desk.",
        flag=HELP_DESK_ONLY,
    )


COURT_FACTS = tuple(_help_desk(court) for court in ("mieb", "canb", "ilsb"))

CAMPAIGN = Campaign(
    slug=SLUG,
    name="Notice routing",
    summary=(
        "The docketing inbox on every attorney's account in every court, so that notices of electronic filing reach "
        "the docketing team; checked again when the docketing staff change."
    ),
    subject=Subject.ATTORNEY_IN_COURT,
    deadline_label="firm deadline",
    starts_label="docketing staff last changed on",
    scope_label="every attorney-court pair with an e-filing account",
    schedule=Schedule(days_before=(30, 14, 7, 1), every_after=7, escalate_after=7),
    sources=(PACER_FAQ, PAMB, MDB, COURTDRIVE),
    court_facts=COURT_FACTS,
    steps=(
        StepDef(
            "inbox_added",
            "Docketing inbox added as a secondary address",
            help="Utilities > Maintain Your ECF Account > Email Information, in this court (up to 5 secondary "
            "addresses in district and bankruptcy courts; up to 255 characters in courts of appeals). The firm's own "
            "inbox: a vendor's address gives the vendor sealed notices.",
            sources=(PACER_FAQ, PAMB),
            roster_column="notice_inbox_added_on",
        ),
        StepDef(
            "notices_on",
            "“Send notices to secondary addresses” ticked",
            needs=IsSet("p_inbox_added_on"),
            needs_text="the inbox added",
            sources=(MDB,),
        ),
        StepDef(
            "test_notice",
            "A notice received in the docketing inbox",
            needs=IsSet("p_notices_on_on"),
            needs_text="notices to secondary addresses ticked",
            help="The date a notice of electronic filing from this court arrived in the inbox.",
            roster_column="notice_tested_on",
        ),
    ),
    statuses=(
        StatusDef("needs_inbox", "Add the docketing inbox", Not(IsSet("p_inbox_added_on")), remind=("before", "day")),
        StatusDef(
            "needs_notices_on", "Tick notices to secondary addresses", Not(IsSet("p_notices_on_on")), remind=("before",)
        ),
        StatusDef("needs_test", "Check a notice arrives", Not(IsSet("p_test_notice_on")), remind=("before",)),
        StatusDef(
            "recheck",
            "Docketing staff changed: check again",
            Later("starts_on", "p_test_notice_on"),
            remind=("before",),
            badge="warning",
        ),
        StatusDef("routed", "Routed", Not(IsSet("p_inbox_added_on")), done=True, badge="success"),
    ),
)

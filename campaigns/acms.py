"""Appellate ACMS: the courts of appeals' new case management system, a campaign per attorney and court.

Some courts of appeals moved new cases from CM/ECF to ACMS (the Appellate Case Management System)
in stages; existing cases stay in CM/ECF, so both systems are used side by side. To file in ACMS an
attorney logs in with an upgraded (NextGen) PACER account, must be registered to file in that court,
and should make a first test: a login and a filing or a look at a notice (the ninth circuit asks for
a mailbox big enough for notices, at least 100 MB). Dates per court from the courts' own pages
(../shared/data/campaign_facts_sources.md, "ACMS", re-checked); each date can be corrected by the
firm's administrators (campaigns.CourtDate) when a court moves it. The judiciary's next case
management system (pilots announced in 2026) is added the same way: a definition with its courts.
"""

import datetime

from core.campaigns import Campaign, CourtFact, Schedule, Source, StatusDef, StepDef, Subject
from core.rules import All, IsSet, Not, Reached

SLUG = "acms"

COURT_FACTS = (
    CourtFact(
        "ca9",
        Source(
            "U.S. Court of Appeals for the Ninth Circuit: electronic filing",
            "https://www.ca9.uscourts.gov/efiling/",
            "As of May 1 2021 new immigration petitions for review in ACMS; as of Oct 1 2023 ALL new Ninth Circuit "
            "cases opened in ACMS; CM/ECF cases stay in CM/ECF",
        ),
        date=datetime.date(2023, 10, 1),
        summary="Every new case is in ACMS since 2023-10-01 (immigration petitions since 2021-05-01); cases "
        "opened earlier stay in CM/ECF. Already registered to file in the Ninth Circuit: nothing more to do.",
        consequence="New cases cannot be filed without ACMS access; there is no exemption from e-filing in ACMS.",
        phases=(
            (datetime.date(2021, 5, 1), "New immigration petitions for review filed in ACMS"),
            (datetime.date(2023, 10, 1), "All new cases opened in ACMS"),
        ),
    ),
    CourtFact(
        "ca2",
        Source(
            "U.S. Court of Appeals for the Second Circuit: announcements",
            "https://www.ca2.uscourts.gov/",
            "Dec 1 2022 'ACMS to Expand Operations on January 1, 2023' (ACMS already processing agency cases); "
            "Apr 3 2023 'ACMS to Expand Operations on May 1, 2023': prisoner habeas and civil rights appeals "
            "opened on or after May 1 2023 must be filed in ACMS",
        ),
        date=datetime.date(2023, 5, 1),
        summary="Agency cases first, expanded 2023-01-01; prisoner habeas and civil-rights appeals opened from "
        "2023-05-01 are filed in ACMS; other cases stay in CM/ECF until the court says otherwise.",
        consequence="Cases of those kinds cannot be filed without ACMS access.",
        phases=(
            (datetime.date(2023, 1, 1), "ACMS expanded (agency cases already there)"),
            (datetime.date(2023, 5, 1), "Prisoner habeas and civil-rights appeals filed in ACMS"),
        ),
    ),
    CourtFact(
        "cavc",
        Source(
            "U.S. Court of Appeals for Veterans Claims: ACMS implementation date",
            "http://www.uscourts.cavc.gov/ACMS_Implementation_Date.php",
            "New ACMS implementation date Oct 1 2026 (was April 1 2026); new cases filed in ACMS, existing cases stay "
            "in CM/ECF",
        ),
        date=datetime.date(2026, 10, 1),
        summary="New cases in ACMS from 2026-10-01 (moved from 2026-04-01); existing cases stay in CM/ECF. Not in "
        "the CM/ECF court directory Firmlink ships: listed here for its date, not tracked per attorney.",
        consequence="New cases cannot be filed without ACMS access.",
        in_directory=False,
    ),
)

CAMPAIGN = Campaign(
    slug=SLUG,
    name="Appellate ACMS",
    summary=(
        "Courts of appeals moving new cases to ACMS: each attorney filing there needs an upgraded PACER account, "
        "registration to file in that court, and a first login and test."
    ),
    subject=Subject.ATTORNEY_IN_COURT,
    deadline_label="ACMS cutover",
    court_date_label="ACMS cutover",
    subject_date="court_date",
    scope_label="attorneys with an e-filing account in a court of appeals on ACMS",
    schedule=Schedule(days_before=(60, 30, 14, 7, 1), every_after=7, escalate_after=7),
    sources=tuple(fact.source for fact in COURT_FACTS),
    court_facts=COURT_FACTS,
    listed_courts_only=True,
    steps=(
        StepDef(
            "pacer_upgraded",
            "PACER account upgraded (NextGen)",
            help="ACMS logs in with the upgraded PACER account: upgrade it before the first login.",
            roster_column="acms_pacer_upgraded_on",
            sources=(
                Source(
                    "ACMS portal instructions (Second and Ninth Circuits)",
                    "https://dokumen.tips/documents/acms-portal-instructions.html",
                    "Make sure your PACER account is upgraded to NextGen before logging in the first time.",
                ),
            ),
        ),
        StepDef(
            "acms_registered",
            "Registered to file in this court",
            needs=IsSet("p_pacer_upgraded_on"),
            needs_text="the upgraded PACER account",
            help="PACER > Manage My Account > Maintenance > Attorney Admissions / E-File Registration, for this court.",
            roster_column="acms_registered_on",
        ),
        StepDef(
            "acms_tested",
            "First ACMS login and test done",
            needs=All(IsSet("p_acms_registered_on"), Reached("court_date")),
            needs_text="registration, and ACMS open in this court",
            help="Log in to ACMS with the PACER account and open a notice or file a test document; the mailbox must "
            "take notices of at least 100 MB (Ninth Circuit).",
        ),
    ),
    statuses=(
        StatusDef(
            "cannot_file",
            "Not registered: cannot file new cases",
            All(Reached("court_date"), Not(IsSet("p_acms_registered_on"))),
            blocking=True,
            remind=("day", "after"),
            badge="danger",
        ),
        StatusDef("needs_upgrade", "Upgrade the PACER account", Not(IsSet("p_pacer_upgraded_on")), remind=("before",)),
        StatusDef(
            "needs_registration", "Register in this court", Not(IsSet("p_acms_registered_on")), remind=("before",)
        ),
        StatusDef(
            "needs_test",
            "First login and test",
            All(Reached("court_date"), Not(IsSet("p_acms_tested_on"))),
            remind=("day",),
            badge="warning",
        ),
        StatusDef("ready", "Ready", All(), done=True, badge="success"),
    ),
)

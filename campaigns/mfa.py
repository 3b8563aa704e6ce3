"""PACER multi-factor authentication: the second campaign, one per attorney.

Facts (../shared/data/campaign_facts_sources.md, re-checked against the courts' own pages):
MFA became mandatory by 2025-12-31 for every PACER account with filing (CM/ECF-level) access;
enrollment opened 2025-05-11, with random forced enrollment from August 2025. The factor is an
authenticator app (TOTP) or one-time backup codes, never SMS or push; up to five authenticator
apps per account (so a paralegal can hold one); the security code for enrolling goes to the
account's email, which must therefore be current. Software that logs in to PACER for the firm
(docket vendors) needs a separate search-only account, not opted in to MFA.

Firmlink records who holds an authenticator (names of people), never a secret, a QR code or a
backup code; and where the backup codes are kept (a place), refusing anything that looks like
the codes themselves.
"""

import datetime

from core.campaigns import Campaign, Schedule, Source, StatusDef, StepDef, StepKind, Subject
from core.rules import All, IsSet, IsTrue, Not, Reached

from .subjects import not_done_since, on, value

SLUG = "pacer_mfa"
DEADLINE = datetime.date(2025, 12, 31)
OPENS = datetime.date(2025, 5, 11)
MAX_HOLDERS = 5


SOURCES = {
    "orb": Source(
        "U.S. Bankruptcy Court, District of Oregon: Multifactor authentication coming soon to PACER",
        "https://www.orb.uscourts.gov/news/multifactor-authentication-coming-soon-pacer",
        "by end of 2025 everyone with CM/ECF-level access must use MFA; authenticator apps or one-time backup "
        "codes; shared accounts can add up to five authentication apps",
    ),
    "mnb": Source(
        "U.S. Bankruptcy Court, District of Minnesota: Multifactor authentication coming to CM/ECF and PACER",
        "https://www.mnb.uscourts.gov/news/multifactor-authentication-coming-cmecf-and-pacer",
        "May 11 2025 start; CM/ECF users must enroll by Dec 31 2025",
    ),
    "wvsd": Source(
        "U.S. District Court, Southern District of West Virginia: Enrollment in MFA for CM/ECF users",
        "https://www.wvsd.uscourts.gov/news/enrollment-multifactor-authentication-mfa-case-managementelectronic-case-files-cmecf-users",
        "random selection starting August 2025; by Dec 31 2025 must be enrolled to maintain access",
    ),
    "tips": Source(
        "PACER: MFA tips and resources (2025-08-28)",
        "https://pacer.uscourts.gov/announcements/2025/08/28/mfa-tips-and-resources",
        "confirm the PACER account email is correct and accessible before enrolling (the security code is sent "
        "there); no SMS or push",
    ),
    "ncmb": Source(
        "U.S. Bankruptcy Court, Middle District of North Carolina: Multifactor authentication for CM/ECF",
        "https://www.ncmb.uscourts.gov/news/multifactor-authentication-cmecf",
        "those who share accounts can add up to 5 authentication apps",
    ),
    "courtdrive": Source(
        "CourtDrive: PACER MFA FAQ",
        "https://www.courtdrive.com/xhelp/pacer-mfa-faq",
        "PACER data import needs a non-filer 'Case Search Only' account not opted into MFA",
    ),
    "nmb": Source(
        "U.S. Bankruptcy Court, District of New Mexico: recent news",
        "https://www.nmb.uscourts.gov/recent-news",
        "alternative to sharing: each staffer gets their own PACER account and filing agent account",
    ),
}

HOLDER_LEFT = not_done_since("holder_left", "holders_reviewed")

CAMPAIGN = Campaign(
    slug=SLUG,
    name="PACER MFA",
    summary=(
        "Every PACER account with filing access must use multi-factor authentication (an authenticator app or "
        "backup codes) by 2025-12-31; an account not enrolled cannot file."
    ),
    subject=Subject.ATTORNEY,
    deadline=DEADLINE,
    starts_on=OPENS,
    deadline_label="enrollment deadline",
    scope_label="attorneys with an e-filing account in at least one court",
    schedule=Schedule(days_before=(60, 30, 14, 7, 1), every_after=7, escalate_after=0),
    sources=tuple(SOURCES.values()),
    steps=(
        StepDef(
            "email_current",
            "PACER account email confirmed current",
            help="The enrollment security code is sent to the account's email: it must reach the attorney.",
            sources=(SOURCES["tips"],),
            roster_column="mfa_email_confirmed_on",
        ),
        StepDef(
            "holders",
            "Who holds an authenticator app",
            kind=StepKind.NAMES,
            max_items=MAX_HOLDERS,
            help="Names of the people whose phone or computer holds an authenticator for this account (at most "
            "5): never a secret, a QR code or a backup code.",
            sources=(SOURCES["orb"], SOURCES["ncmb"]),
            roster_column="authenticator_holders",
        ),
        StepDef(
            "enrolled",
            "Enrolled in MFA",
            needs=All(IsSet(on("email_current")), IsSet(value("holders"), text=True), Reached("starts_on")),
            needs_text="the account's email confirmed, the authenticator holders named, and enrollment open "
            "(2025-05-11)",
            earliest="starts_on",
            help="PACER > Manage My Account > Enroll / Manage MFA Settings; the security code goes to the "
            "account's email.",
            sources=(SOURCES["mnb"], SOURCES["wvsd"]),
            roster_column="mfa_enrolled_on",
        ),
        StepDef(
            "backup_codes",
            "Where the backup codes are kept",
            kind=StepKind.PLACE,
            needs=IsSet(on("enrolled")),
            needs_text="enrollment (the codes are issued then)",
            help="A place, e.g. \u201cthe firm's password manager, MFA folder\u201d: never the codes themselves.",
            sources=(SOURCES["orb"],),
            roster_column="backup_codes_place",
        ),
        StepDef(
            "vendor",
            "Docket software that logs in to PACER",
            kind=StepKind.CHOICE,
            choices=(
                ("none", "No software logs in with this account"),
                ("moved", "Moved to a separate search-only PACER account (no MFA)"),
            ),
            help="A vendor cannot log in with an MFA account: it needs a separate search-only account.",
            sources=(SOURCES["courtdrive"],),
            roster_column="pacer_vendor",
        ),
        StepDef(
            "holder_left",
            "An authenticator holder left the firm",
            kind=StepKind.EVENT,
            automatic=True,
            departure_of="holders",
            help="Recorded when a person named as a holder leaves (an attorney or a login deactivated), or by hand.",
            sources=(SOURCES["nmb"],),
        ),
        StepDef(
            "holders_reviewed",
            "Authenticator holders reviewed",
            applies=IsSet(on("holder_left")),
            needs=IsSet(on("holder_left")),
            needs_text="a holder having left",
            help="Remove the departed person's authenticator in PACER (Manage MFA Settings) and name the holders "
            "again.",
            sources=(SOURCES["orb"],),
        ),
    ),
    statuses=(
        StatusDef("not_in_scope", "Not in scope (no filing access)", Not(IsTrue("in_scope")), done=True),
        StatusDef(
            "blocked",
            "Not enrolled: cannot file",
            # "enrolled by Dec 31": the deadline day is the last day to enroll, blocked from the next.
            All(Reached("deadline", days_after=1), Not(IsSet(on("enrolled")))),
            blocking=True,
            remind=("day", "after"),
            badge="danger",
        ),
        StatusDef(
            "needs_email",
            "Confirm the account's email",
            Not(IsSet(on("email_current"))),
            remind=("before", "day"),
            badge="warning",
        ),
        StatusDef(
            "needs_holders",
            "Name the authenticator holders",
            Not(IsSet(value("holders"), text=True)),
            remind=("before", "day"),
            badge="warning",
        ),
        StatusDef(
            "needs_enrollment", "Enroll before the deadline", Not(IsSet(on("enrolled"))), remind=("before", "day")
        ),
        StatusDef("holder_left", "A holder left: review the authenticators", HOLDER_LEFT, badge="warning"),
        StatusDef("needs_backup_place", "Say where the backup codes are", Not(IsSet(value("backup_codes"), text=True))),
        StatusDef("needs_vendor_check", "Check docket software", Not(IsSet(value("vendor"), text=True))),
        StatusDef("complete", "Complete", All(), done=True, badge="success"),
    ),
)

"""What an attorney should do next in a court, in the words of the courts' own instructions.

Used by the reminder emails and the attorney's self-service page. It never asks for, and
never contains, a password: it tells the attorney where to type theirs (the court's site).
"""

import dataclasses

from attorneys.choices import PacerAccount
from attorneys.status import LinkStatus, blocks_filing, court_is_live

PACER_REGISTRATION_URL = "https://pacer.psc.uscourts.gov/pscof/regWizard.jsf"

LINK_STEPS = (
    "Open the court's CM/ECF site ({ecf_url}) and click its Document Filing System link.",
    "Log in with your upgraded PACER username and password.",
    "Click Utilities, then “Link a CM/ECF account to my PACER account”.",
    "Enter your old CM/ECF login and password for this court.",
    "The court shows two names, the CM/ECF one and the PACER one: check both are you, because linking "
    "cannot be undone. Then press Submit.",
    "Right after linking you only see Query, Reports, Utilities, Help and Logout. Refresh the page "
    "(or log out, clear your cache and cookies, and log back in with PACER) to get the full filing menus.",
)


@dataclasses.dataclass
class Guidance:
    headline: str
    steps: list[str]
    urgent: bool = False
    links: bool = False  # the steps refer to the shared "how to link" steps (``how_to_link``)


def how_to_link() -> list[str]:
    """The linking steps, said once for every court (each court's address is given with the court)."""
    return [step.format(ecf_url="the address given with the court") for step in LINK_STEPS]


def pacer_guidance(*, pacer_account: str, pacer_individual: bool) -> Guidance | None:
    """The PACER-level step, once for all courts, or None when the account is ready."""
    if pacer_account == PacerAccount.NONE or not pacer_individual:
        return Guidance(
            headline="First, once for all courts: get your own individual PACER account",
            steps=[
                f"Register an individual PACER account at {PACER_REGISTRATION_URL} "
                "(a shared firm account does not count).",
            ],
        )
    if pacer_account == PacerAccount.LEGACY:
        return Guidance(
            headline="First, once for all courts: upgrade your legacy PACER account",
            steps=[
                "Log in to your PACER account and check the Account Type.",
                "If it says “Account Type: Legacy PACER Account”, select the Upgrade link. It should then say "
                "“Account Type: Upgraded PACER Account”.",
            ],
        )
    return None


def guidance_for(
    *,
    status: str,
    court,
    cmecf_login_known: bool,
    today,
    new_to_court: bool = False,
    shared_link_steps: bool = False,
) -> Guidance:
    """What to do in one court. PACER-level steps are in ``pacer_guidance``, said once; with
    ``shared_link_steps`` the linking steps are too (``how_to_link``), and a court says where."""
    go_live = court.nextgen_go_live
    help_desk = ", ".join(c for c in (court.help_desk_email, court.help_desk_phone) if c) or "the clerk's office"
    lost_login = (
        f"If you do not know your old CM/ECF login and password for this court, ask its help desk: {help_desk}."
    )
    live = court_is_live(go_live, court.live_by, today)
    status = LinkStatus(status)
    pacer_first = status in (LinkStatus.NEEDS_PACER_ACCOUNT, LinkStatus.NEEDS_PACER_UPGRADE)
    if status == LinkStatus.AWAITING_GO_LIVE or (pacer_first and not live):
        if go_live:
            when = f"on {go_live:%B} {go_live.day}, {go_live.year}"
        elif court.live_by:
            bound = court.live_by
            when = f"on a date not announced (by {bound:%B} {bound.day}, {bound.year} at the latest)"
        else:
            when = "on a date not announced yet"
        if new_to_court:
            steps = [
                f"The court moves to NextGen CM/ECF {when}. From that day, request e-filing access in this court "
                "from your upgraded PACER account (you had no e-filing account here, so there is nothing to link)."
            ]
        else:
            steps = [f"The court moves to NextGen CM/ECF {when}. Accounts cannot be linked before that day."]
            if not cmecf_login_known:
                steps.append(lost_login)
        headline = "Get ready before the court's go-live"
    elif status == LinkStatus.NEEDS_REGISTRATION:
        steps = [
            "You had no CM/ECF e-filing account in this court, so there is nothing to link. Request e-filing "
            "access in this court from your upgraded PACER account, on the PACER Service Center website.",
        ]
        headline = "Request e-filing access through PACER"
    elif status == LinkStatus.READY_TO_LINK or pacer_first:
        if shared_link_steps:
            steps = [f"Link your accounts at {court.ecf_url}, following “How to link” below."]
        else:
            steps = [step.format(ecf_url=court.ecf_url) for step in LINK_STEPS]
        if not cmecf_login_known:
            steps.insert(0, lost_login)
        headline = "Link your CM/ECF account to your PACER account"
        if pacer_first:
            headline = "Once your PACER account is ready (see above), link your CM/ECF account to it"
    elif status == LinkStatus.LINKED:
        steps = [LINK_STEPS[-1]]
        headline = "Check that the full filing menus appear"
    else:
        steps = []
        headline = "Nothing to do"
    urgent = blocks_filing(status, court, today)
    if urgent:
        headline = f"You cannot e-file in this court yet. {headline}"
    linking = shared_link_steps and live and (status == LinkStatus.READY_TO_LINK or pacer_first)
    return Guidance(headline=headline, steps=steps, urgent=urgent, links=linking)

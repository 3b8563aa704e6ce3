"""Filing agents: the staff who file for an attorney in a court, each on their own PACER account.

With NextGen an attorney's login is the attorney's signature and may not be shared; staff who file
for the attorney do it as filing agents: each with their own (upgraded) PACER account, registered
as a filing agent in that court, linked to the attorney's account by the attorney, and copied on
notices only if the attorney adds their email as a secondary address (with "send notices to
secondary addresses" ticked). Their MFA is their own. When an agent leaves, the attorney removes
them. Facts: ../shared/data/campaign_facts_sources.md (mdb, alsb, azb, nmb, flsb, oknb; re-checked).

Recorded per attorney and court: the agents' names (people Firmlink knows: logins or staff on
the People page), then each stage once every named agent has passed it. When a named agent
leaves (an attorney, a login or a staff member marked as left), Firmlink records it and the
removal becomes due.
"""

from core.campaigns import Campaign, Schedule, Source, StatusDef, StepDef, StepKind, Subject
from core.rules import All, IsSet, Not

from .subjects import not_done_since, on

SLUG = "filing_agents"
MAX_AGENTS = 5

SOURCES = {
    "mdb": Source(
        "U.S. Bankruptcy Court, District of Maryland: filing agents in NextGen CM/ECF",
        "https://www.mdb.uscourts.gov/for-attorneys/filing-agents-nextgen-cmecf",
        "agents need an individual PACER account linked; get no email on their own: must be added as Secondary "
        "Email Address in the attorney's Maintain Your ECF Account with 'send notices to secondary addresses'",
    ),
    "alsb": Source(
        "U.S. Bankruptcy Court, Southern District of Alabama: NextGen CM/ECF",
        "https://www.alsb.uscourts.gov/nextgen-cmecf",
        "filing agents need their own upgraded PACER account; get email notices only if the attorney adds the "
        "agent's email in Maintain User Account",
    ),
    "nmb": Source(
        "U.S. Bankruptcy Court, District of New Mexico: recent news",
        "https://www.nmb.uscourts.gov/recent-news",
        "each staffer gets their own PACER account and filing agent account: MFA specific to that user",
    ),
    "oknb": Source(
        "U.S. Bankruptcy Court, Northern District of Oklahoma: FAQ",
        "https://www.oknb.uscourts.gov/court-info/faq?page=1",
        "only the attorney uses the attorney account; file via a registered filing agent; use of the login is the "
        "signature",
    ),
}


AGENT_LEFT = not_done_since("agent_left", "agent_removed")

CAMPAIGN = Campaign(
    slug=SLUG,
    name="Filing agents",
    summary=(
        "Staff who file for an attorney in a court do it as filing agents: their own PACER account, registered "
        "and linked by the attorney in that court, on the notices, with their own MFA; removed when they leave."
    ),
    subject=Subject.ATTORNEY_IN_COURT,
    deadline_label="firm deadline",
    scope_label="every attorney-court pair with an e-filing account",
    schedule=Schedule(days_before=(30, 14, 7, 1), every_after=7, escalate_after=7),
    sources=tuple(SOURCES.values()),
    steps=(
        StepDef(
            "agents",
            "Filing agents for this attorney here",
            kind=StepKind.NAMES,
            max_items=MAX_AGENTS,
            help="Names of the staff who file for the attorney in this court (people on the People page or logins).",
            sources=(SOURCES["oknb"],),
            roster_column="filing_agents",
        ),
        StepDef(
            "agents_pacer",
            "Each agent has their own upgraded PACER account",
            needs=IsSet("p_agents_value", text=True),
            needs_text="the agents named",
            sources=(SOURCES["alsb"], SOURCES["nmb"]),
        ),
        StepDef(
            "agents_registered",
            "Agents registered as filing agents in this court",
            needs=IsSet(on("agents_pacer")),
            needs_text="their own PACER accounts",
            help="PACER > Manage My Account > Maintenance > Non-Attorney E-File Registration, for this court.",
            sources=(SOURCES["mdb"],),
        ),
        StepDef(
            "agents_linked",
            "Agents linked by the attorney",
            needs=IsSet(on("agents_registered")),
            needs_text="the agents' registration",
            help="The attorney adds each agent in CM/ECF (Utilities > Maintain Your ECF Account > Filing Agents).",
            sources=(SOURCES["mdb"],),
        ),
        StepDef(
            "agents_notices",
            "Agents' emails on the notices",
            needs=IsSet(on("agents_linked")),
            needs_text="the agents linked",
            help="Each agent's email as a secondary address, with “send notices to secondary addresses” ticked.",
            sources=(SOURCES["mdb"], SOURCES["alsb"]),
        ),
        StepDef(
            "agents_mfa",
            "Agents enrolled in MFA on their own accounts",
            needs=IsSet(on("agents_pacer")),
            needs_text="their own PACER accounts",
            sources=(SOURCES["nmb"],),
        ),
        StepDef(
            "agent_left",
            "A filing agent left the firm",
            kind=StepKind.EVENT,
            automatic=True,
            departure_of="agents",
            help="Recorded when a named agent leaves (an attorney, a login or a staff member marked as left), or by "
            "hand.",
        ),
        StepDef(
            "agent_removed",
            "Departed agent removed and agents named again",
            applies=IsSet(on("agent_left")),
            needs=IsSet(on("agent_left")),
            needs_text="an agent having left",
            help="The attorney removes the agent in CM/ECF and takes their email off the secondary addresses.",
            sources=(SOURCES["mdb"],),
        ),
    ),
    statuses=(
        StatusDef("agent_left", "An agent left: remove them", AGENT_LEFT, remind=("before", "day"), badge="danger"),
        StatusDef("no_agents", "No filing agent", Not(IsSet("p_agents_value", text=True)), done=True, badge="light"),
        StatusDef("needs_pacer", "Agents' own PACER accounts", Not(IsSet(on("agents_pacer"))), remind=("before",)),
        StatusDef(
            "needs_registration", "Register the agents here", Not(IsSet(on("agents_registered"))), remind=("before",)
        ),
        StatusDef("needs_link", "Link the agents", Not(IsSet(on("agents_linked"))), remind=("before",)),
        StatusDef("needs_notices", "Agents on the notices", Not(IsSet(on("agents_notices"))), remind=("before",)),
        StatusDef("needs_mfa", "Agents' MFA", Not(IsSet(on("agents_mfa"))), remind=("before",)),
        StatusDef("complete", "Complete", All(), done=True, badge="success"),
    ),
)

"""The status of an attorney-court pair, and whether a court is live: derived here and nowhere else.

The rules are written once (``RULES``, in ``core.rules`` form) and read two ways, tested to
agree on generated data (and with the rules as hand-written before, tests/nextgen_oracle.py):
SQL (``status_expression`` for ``CourtLink.objects.with_status()``; so that filters, counts
and exports agree) and Python (``link_status``, for one object in memory). The order of
``LinkStatus`` is the order of precedence: the first rule that matches wins. NextGen linking
is the first campaign (attorneys/campaign.py); these rules are its statuses.

A court is live on a day if its NextGen go-live date is on or before that day, or, with no
go-live date known, if its "on NextGen by" bound is: the go-live date when known, else the
bound, is the court's ``live_since`` date (what "days since go-live" counts from).
"""

import datetime
from types import SimpleNamespace

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from core import clock, rules

from .choices import PacerAccount


def _live_since(via: str) -> rules.Coalesced:
    """The go-live date if known, else the on-NextGen-by bound (``via``: path to the court)."""
    return rules.Coalesced(f"{via}nextgen_go_live", f"{via}live_by")


def live_since_expression(via: str = "court__"):
    """SQL: the go-live date if known, else the on-NextGen-by bound."""
    return _live_since(via).sql()


def court_live_condition(today: datetime.date, *, via: str = "court__") -> Q:
    """SQL form of ``court_is_live``: the courts (or pairs, via ``court__``) live on ``today``."""
    return rules.Reached(_live_since(via)).q(today)


def court_not_live_condition(today: datetime.date, *, via: str = "court__") -> Q:
    return rules.Not(rules.Reached(_live_since(via))).q(today)


def court_is_live(go_live: datetime.date | None, live_by: datetime.date | None, today: datetime.date) -> bool:
    """Python form of ``court_live_condition``."""
    return rules.Reached(_live_since("")).holds(SimpleNamespace(nextgen_go_live=go_live, live_by=live_by), today)


class LinkStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable (PACER access only)"
    NEEDS_PACER_ACCOUNT = "needs_pacer_account", "Needs an individual PACER account"
    NEEDS_PACER_UPGRADE = "needs_pacer_upgrade", "Needs a PACER upgrade"
    AWAITING_GO_LIVE = "awaiting_go_live", "Awaiting go-live"
    NEEDS_REGISTRATION = "needs_registration", "Needs e-filing registration"
    READY_TO_LINK = "ready_to_link", "Ready to link: cannot e-file"
    LINKED = "linked", "Linked, menus not confirmed"
    COMPLETE = "complete", "Complete"


# Statuses in which an attorney cannot e-file in a court that is already on NextGen.
BLOCKING = (
    LinkStatus.NEEDS_PACER_ACCOUNT,
    LinkStatus.NEEDS_PACER_UPGRADE,
    LinkStatus.NEEDS_REGISTRATION,
    LinkStatus.READY_TO_LINK,
)
# Done: nothing left for the attorney to do in that court.
DONE = (LinkStatus.NOT_APPLICABLE, LinkStatus.COMPLETE)


LIVE_SINCE = _live_since("court__")

# The NextGen linking campaign's statuses for one attorney-court pair: the first rule that holds
# gives the status (``core.rules``: one definition, read as SQL and in Python).
RULES: tuple[rules.Rule, ...] = (
    rules.Rule(LinkStatus.NOT_APPLICABLE, rules.IsFalse("efiling_account")),
    rules.Rule(
        LinkStatus.NEEDS_PACER_ACCOUNT,
        rules.Any(
            rules.Equals("attorney__pacer_account", PacerAccount.NONE), rules.IsFalse("attorney__pacer_individual")
        ),
    ),
    rules.Rule(LinkStatus.NEEDS_PACER_UPGRADE, rules.Equals("attorney__pacer_account", PacerAccount.LEGACY)),
    rules.Rule(LinkStatus.AWAITING_GO_LIVE, rules.Not(rules.Reached(LIVE_SINCE))),
    rules.Rule(
        LinkStatus.NEEDS_REGISTRATION, rules.All(rules.IsTrue("new_to_court"), rules.Not(rules.IsSet("registered_on")))
    ),
    rules.Rule(LinkStatus.COMPLETE, rules.IsTrue("new_to_court")),  # registered through PACER: nothing to link
    rules.Rule(LinkStatus.READY_TO_LINK, rules.Not(rules.IsSet("linked_on"))),
    rules.Rule(LinkStatus.LINKED, rules.Not(rules.IsSet("menus_confirmed_on"))),
)
DEFAULT = LinkStatus.COMPLETE


def status_expression(today: datetime.date) -> Case:
    return rules.case(RULES, today, default=DEFAULT)


RANK = {status: rank for rank, status in enumerate(LinkStatus.values)}


def status_rank_expression(today: datetime.date) -> Case:
    """The status's order of precedence (for sorting by urgency), from the same rules: one CASE of the
    size of ``status_expression``, where a CASE over the ``status`` annotation would repeat it once
    per status in the SQL (and in the work of building it)."""
    ranked = tuple(rules.Rule(RANK[rule.outcome], rule.when) for rule in RULES)
    return Case(
        *(When(rule.when.q(today), then=Value(rule.outcome)) for rule in ranked),
        default=Value(RANK[DEFAULT]),
        output_field=IntegerField(),
    )


def status_of(
    *,
    efiling_account: bool,
    new_to_court: bool,
    pacer_account: str,
    pacer_individual: bool,
    go_live: datetime.date | None,
    live_by: datetime.date | None,
    registered_on: datetime.date | None,
    linked_on: datetime.date | None,
    menus_confirmed_on: datetime.date | None,
    today: datetime.date,
) -> LinkStatus:
    """The status from plain values (a pair not in the database, a form's preview)."""
    pair = SimpleNamespace(
        efiling_account=efiling_account,
        new_to_court=new_to_court,
        registered_on=registered_on,
        linked_on=linked_on,
        menus_confirmed_on=menus_confirmed_on,
        attorney=SimpleNamespace(pacer_account=pacer_account, pacer_individual=pacer_individual),
        court=SimpleNamespace(nextgen_go_live=go_live, live_by=live_by),
    )
    return LinkStatus(rules.first(RULES, pair, today, default=DEFAULT))


def link_status(link, today: datetime.date | None = None) -> LinkStatus:
    """Status of one ``CourtLink`` (its attorney and court loaded or loadable)."""
    return LinkStatus(rules.first(RULES, link, today or clock.today(), default=DEFAULT))


def blocks_filing(status: str, court, today: datetime.date) -> bool:
    """Cannot file now, from a status already derived (e.g. the SQL annotation of a row)."""
    return status in BLOCKING and court_is_live(court.nextgen_go_live, court.live_by, today)


def cannot_file(link, today: datetime.date | None = None) -> bool:
    """Cannot file now, for one pair in memory. SQL form: ``CourtLink.objects.cannot_file``."""
    today = today or clock.today()
    return blocks_filing(link_status(link, today), link.court, today)


def cannot_file_condition(today: datetime.date) -> Q:
    """The filter of ``CourtLink.objects.cannot_file`` on a queryset annotated with ``status``."""
    return Q(status__in=BLOCKING) & court_live_condition(today)


# Not ready ahead of a cutover: no individual PACER account, a legacy one, or the old CM/ECF
# login not known (new filers need no old login). Seen from CourtLink.
NOT_READY = (
    Q(attorney__pacer_account__in=[PacerAccount.NONE, PacerAccount.LEGACY])
    | Q(attorney__pacer_individual=False)
    | Q(cmecf_login_known=False, new_to_court=False)
)


def is_not_ready(link) -> bool:
    """``NOT_READY`` for one pair in memory (tested to agree with the SQL form)."""
    attorney = link.attorney
    return (
        attorney.pacer_account in (PacerAccount.NONE, PacerAccount.LEGACY)
        or not attorney.pacer_individual
        or (not link.cmecf_login_known and not link.new_to_court)
    )

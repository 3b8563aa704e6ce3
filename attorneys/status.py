"""The status of an attorney-court pair, and whether a court is live: derived here and nowhere else.

Two forms of the same rules, kept side by side and tested to agree on generated data:
SQL (``status_expression`` for ``CourtLink.objects.with_status()``, ``court_live_condition``;
so that filters, counts and exports agree) and Python (``link_status``, ``court_is_live``,
for one object in memory). The order of ``LinkStatus`` is the order of precedence: the
first rule that matches wins.

A court is live on a day if its NextGen go-live date is on or before that day, or, with no
go-live date known, if its "on NextGen by" bound is: the go-live date when known, else the
bound, is the court's ``live_since`` date (what "days since go-live" counts from).
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, IsNull, LessThanOrEqual

from core import clock

from .choices import PacerAccount


def live_since_expression(via: str = "court__"):
    """SQL: the go-live date if known, else the on-NextGen-by bound (``via``: path to the court)."""
    return Coalesce(F(f"{via}nextgen_go_live"), F(f"{via}live_by"), output_field=models.DateField())


def court_live_condition(today: datetime.date, *, via: str = "court__") -> Q:
    """SQL form of ``court_is_live``: the courts (or pairs, via ``court__``) live on ``today``."""
    return Q(LessThanOrEqual(live_since_expression(via), today))


def court_not_live_condition(today: datetime.date, *, via: str = "court__") -> Q:
    since = live_since_expression(via)
    return Q(IsNull(since, True)) | Q(GreaterThan(since, today))


def court_is_live(go_live: datetime.date | None, live_by: datetime.date | None, today: datetime.date) -> bool:
    """Python form of ``court_live_condition``."""
    since = go_live if go_live is not None else live_by
    return since is not None and since <= today


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


def _rules(today: datetime.date) -> list[tuple[LinkStatus, Q]]:
    return [
        (LinkStatus.NOT_APPLICABLE, Q(efiling_account=False)),
        (
            LinkStatus.NEEDS_PACER_ACCOUNT,
            Q(attorney__pacer_account=PacerAccount.NONE) | Q(attorney__pacer_individual=False),
        ),
        (LinkStatus.NEEDS_PACER_UPGRADE, Q(attorney__pacer_account=PacerAccount.LEGACY)),
        (LinkStatus.AWAITING_GO_LIVE, court_not_live_condition(today)),
        (LinkStatus.NEEDS_REGISTRATION, Q(new_to_court=True, registered_on__isnull=True)),
        (LinkStatus.COMPLETE, Q(new_to_court=True)),  # registered through PACER: nothing to link
        (LinkStatus.READY_TO_LINK, Q(linked_on__isnull=True)),
        (LinkStatus.LINKED, Q(menus_confirmed_on__isnull=True)),
    ]


def status_expression(today: datetime.date) -> Case:
    return Case(
        *(When(condition, then=Value(status.value)) for status, condition in _rules(today)),
        default=Value(LinkStatus.COMPLETE.value),
        output_field=models.CharField(),
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
    if not efiling_account:
        return LinkStatus.NOT_APPLICABLE
    if pacer_account == PacerAccount.NONE or not pacer_individual:
        return LinkStatus.NEEDS_PACER_ACCOUNT
    if pacer_account == PacerAccount.LEGACY:
        return LinkStatus.NEEDS_PACER_UPGRADE
    if not court_is_live(go_live, live_by, today):
        return LinkStatus.AWAITING_GO_LIVE
    if new_to_court:
        return LinkStatus.COMPLETE if registered_on else LinkStatus.NEEDS_REGISTRATION
    if linked_on is None:
        return LinkStatus.READY_TO_LINK
    if menus_confirmed_on is None:
        return LinkStatus.LINKED
    return LinkStatus.COMPLETE


def link_status(link, today: datetime.date | None = None) -> LinkStatus:
    """Status of one ``CourtLink`` (its attorney and court loaded or loadable)."""
    return status_of(
        efiling_account=link.efiling_account,
        new_to_court=link.new_to_court,
        pacer_account=link.attorney.pacer_account,
        pacer_individual=link.attorney.pacer_individual,
        go_live=link.court.nextgen_go_live,
        live_by=link.court.live_by,
        registered_on=link.registered_on,
        linked_on=link.linked_on,
        menus_confirmed_on=link.menus_confirmed_on,
        today=today or clock.today(),
    )


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

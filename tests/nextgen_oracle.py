"""The NextGen status rules as they were hand-written before campaigns (commit 6f76d91), frozen.

NextGen linking is now one campaign among others, its rules written once in ``core.rules`` form
(attorneys/status.py). This copy of the earlier code is the oracle the tests hold both forms of
the new rules to, on generated data: the statuses may not change.
"""

import datetime

NONE, LEGACY = "none", "legacy"


def oracle_status(
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
) -> str:
    if not efiling_account:
        return "not_applicable"
    if pacer_account == NONE or not pacer_individual:
        return "needs_pacer_account"
    if pacer_account == LEGACY:
        return "needs_pacer_upgrade"
    since = go_live if go_live is not None else live_by
    if not (since is not None and since <= today):
        return "awaiting_go_live"
    if new_to_court:
        return "complete" if registered_on else "needs_registration"
    if linked_on is None:
        return "ready_to_link"
    if menus_confirmed_on is None:
        return "linked"
    return "complete"


def oracle_of(link, today: datetime.date) -> str:
    return oracle_status(
        efiling_account=link.efiling_account,
        new_to_court=link.new_to_court,
        pacer_account=link.attorney.pacer_account,
        pacer_individual=link.attorney.pacer_individual,
        go_live=link.court.nextgen_go_live,
        live_by=link.court.live_by,
        registered_on=link.registered_on,
        linked_on=link.linked_on,
        menus_confirmed_on=link.menus_confirmed_on,
        today=today,
    )

"""A firm of any size with pairs in every status, for tests that must not depend on the size."""

import datetime
import itertools

from attorneys.choices import PacerAccount, Step
from attorneys.models import Attorney, CourtLink, StepChange
from tests.dates import AS_OF
from tests.factories import CourtFactory

TODAY = AS_OF


def populate(*, attorneys: int, courts: int, today: datetime.date = TODAY) -> list[CourtLink]:
    """``attorneys`` x ``courts`` pairs, cycling through the situations of every status."""
    go_lives = [None, today - datetime.timedelta(days=100), today, today + datetime.timedelta(days=20)]
    court_rows = [CourtFactory(nextgen_go_live=go_lives[i % len(go_lives)]) for i in range(courts)]
    pacer = itertools.cycle(
        [(PacerAccount.UPGRADED, True)] * 5
        + [(PacerAccount.LEGACY, True), (PacerAccount.NONE, True)]
        + [(PacerAccount.UPGRADED, False)]
    )
    people = Attorney.objects.bulk_create(
        Attorney(name=f"Attorney {i:04d}", email=f"a{i:04d}@firm.example", pacer_account=p, pacer_individual=ind)
        for i, (p, ind) in zip(range(attorneys), pacer, strict=False)
    )
    links = []
    variants = itertools.cycle(range(7))
    for attorney in people:
        for court in court_rows:
            variant = next(variants)
            live = court.nextgen_go_live is not None and court.nextgen_go_live <= today
            linked = live and variant in (3, 4) and attorney.pacer_account == "upgraded"
            links.append(
                CourtLink(
                    attorney=attorney,
                    court=court,
                    efiling_account=variant != 0,
                    new_to_court=variant == 5,
                    cmecf_login_known=variant % 2 == 0,
                    linked_on=court.nextgen_go_live if linked else None,
                    cmecf_name_shown=attorney.name if linked else "",
                    pacer_name_shown=attorney.name if linked else "",
                    menus_confirmed_on=court.nextgen_go_live if linked and variant == 4 else None,
                )
            )
    links = CourtLink.objects.bulk_create(links)
    StepChange.objects.bulk_create(
        StepChange(
            actor="seed",
            attorney_id=link.attorney_id,
            court_id=link.court_id,
            link=link,
            step=Step.COURT_ADDED,
            new_value="e-filing account",
        )
        for link in links
    )
    return links

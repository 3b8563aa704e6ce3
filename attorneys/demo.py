"""A deterministic demo firm on the real court directory.

The firm has offices in several states; each attorney practises from one office in a set of
courts that goes with the practice (bankruptcy, trial, appellate, trade). Steps are
recorded through the same service as on the dashboard, each "as of" the day it happened,
so the history reads like a real transition. The real court facts are never altered.
"""

import dataclasses
import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from core import clock
from core.audit import Actor
from core.roles import Role
from courts.models import Court

from .choices import PacerAccount, Step
from .models import Attorney, CourtLink
from .services.records import attorney_create, link_create
from .services.steps import step_record
from .status import LinkStatus, court_is_live

# Inside the real transition window: past, imminent (azb, caed, ohsb, txsb, cod, gamb...)
# and later (ctb, ilcb, flnb, ilnd, txwd...) cutovers, and courts with no known date.
DEMO_AS_OF = datetime.date(2021, 6, 14)
# Every court in the directory was on NextGen by PACER's feed of 2022-11-27.
TRANSITION_OVER = datetime.date(2022, 11, 27)

CIRCUIT_OF_STATE = {
    **dict.fromkeys(["ME", "MA", "NH", "RI", "PR"], "ca1"),
    **dict.fromkeys(["CT", "NY", "VT"], "ca2"),
    **dict.fromkeys(["DE", "NJ", "PA", "VI"], "ca3"),
    **dict.fromkeys(["MD", "NC", "SC", "VA", "WV"], "ca4"),
    **dict.fromkeys(["LA", "MS", "TX"], "ca5"),
    **dict.fromkeys(["KY", "MI", "OH", "TN"], "ca6"),
    **dict.fromkeys(["IL", "IN", "WI"], "ca7"),
    **dict.fromkeys(["AR", "IA", "MN", "MO", "NE", "ND", "SD"], "ca8"),
    **dict.fromkeys(["AK", "AZ", "CA", "HI", "ID", "MT", "NV", "OR", "WA", "GU", "MP"], "ca9"),
    **dict.fromkeys(["CO", "KS", "NM", "OK", "UT", "WY"], "ca10"),
    **dict.fromkeys(["AL", "FL", "GA"], "ca11"),
    "DC": "cadc",
}

# office -> states its attorneys practise in (home state first)
OFFICES = {
    "New York": ["NY", "NJ", "CT"],
    "Chicago": ["IL", "IN", "WI"],
    "Los Angeles": ["CA", "AZ", "NV"],
    "Houston": ["TX", "LA"],
    "Miami": ["FL", "GA"],
    "Washington": ["DC", "MD", "VA"],
    "Cincinnati": ["OH", "KY"],
    "Denver": ["CO", "UT"],
}
# The courts whose linking guide and upgrade notice Firmlink's rules come from (docs in ../shared/seeds).
SEED_DOCUMENT_COURTS = ("alnb", "canb")
PRACTICES = {"bankruptcy": 0.35, "trial": 0.4, "appellate": 0.15, "trade": 0.1}

FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony "
    "Betty Mark Sandra Donald Ashley Steven Kimberly Andrew Emily Joshua Donna Kenneth Michelle "
    "Kevin Carol Brian Amanda George Melissa Timothy Deborah Ronald Stephanie Jason Rebecca"
).split()
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"
LAST_NAMES = (
    "Alison Bennett Castillo Dawson Ellison Fitzgerald Gallagher Hernandez Ibarra Jablonski "
    "Kowalski Lindqvist Morales Nakamura Okafor Petrov Quinlan Rasmussen Sandoval Takahashi "
    "Underwood Vasquez Whitaker Xiong Yamamoto Zimmerman Abernathy Brennan Chowdhury Delacroix "
    "Esposito Fairbanks Gutierrez Holloway Iverson Jaramillo Kensington Lachance Montgomery Novak"
).split()


@dataclasses.dataclass
class DemoResult:
    attorneys: int
    links: int
    statuses: dict


def _team():
    """The demo firm's own users: an administrator, a paralegal (staff) and compliance."""
    User = get_user_model()
    people = {
        "admin": ("Alex", "Admin", Role.ADMINISTRATOR),
        "paralegal": ("Pat", "Paralegal", Role.STAFF),
        "compliance": ("Casey", "Compliance", Role.COMPLIANCE),
    }
    users = {}
    for username, (first, last, role) in people.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo-firm.example"},
        )
        if created:
            user.set_unusable_password()
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        users[username] = user
    return users


def _courts_for(rng: random.Random, practice: str, states: list[str], by_state: dict) -> list[str]:
    home, *others = states
    chosen: list[str] = []

    def pick(state, kind):
        options = [c for c in by_state.get(state, []) if c.court_type == kind]
        if options:
            chosen.extend(c.court_id for c in rng.sample(options, k=min(len(options), rng.randint(1, 2))))

    if practice == "bankruptcy":
        pick(home, "bankruptcy")
        pick(home, "district")
        for state in others:
            if rng.random() < 0.4:
                pick(state, "bankruptcy")
    elif practice == "trial":
        pick(home, "district")
        for state in others:
            if rng.random() < 0.5:
                pick(state, "district")
        if rng.random() < 0.5:
            chosen.append(CIRCUIT_OF_STATE[home])
    elif practice == "appellate":
        chosen.append(CIRCUIT_OF_STATE[home])
        chosen.extend(rng.sample(["ca1", "ca3", "ca4", "ca5", "ca7", "ca9", "ca11", "cadc", "cafc"], k=2))
        pick(home, "district")
    else:  # trade and government contracts
        chosen.extend(["cit", "cafc"])
        if rng.random() < 0.6:
            chosen.append("cofc")
        pick(home, "district")
    return list(dict.fromkeys(chosen))


def _pacer_weights(as_of: datetime.date) -> list[int]:
    """How many attorneys end upgraded, legacy, without an account, or on a shared one: mid-transition
    many are behind; years after every court converted, few are (new hires, mostly)."""
    return [76, 14, 5, 5] if as_of < TRANSITION_OVER else [94, 2, 2, 2]


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@transaction.atomic
def seed_demo_firm(*, attorneys: int = 60, seed: int = 2021, as_of: datetime.date = DEMO_AS_OF) -> DemoResult:
    rng = random.Random(seed)
    team = _team()
    staff = Actor.for_user(team["paralegal"])
    courts = {c.court_id: c for c in Court.objects.all()}
    by_state: dict[str, list[Court]] = {}
    for court in courts.values():
        by_state.setdefault(court.state, []).append(court)
    start = as_of - datetime.timedelta(days=120)

    emails = set()
    created_links: list[CourtLink] = []
    for index in range(attorneys):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {rng.choice(MIDDLE_INITIALS)} {last}" if rng.random() < 0.4 else f"{first} {last}"
        email = f"{first}.{last}@demo-firm.example".lower()
        twin = 1
        while email in emails:  # namesakes: jane.doe2, jane.doe3...
            twin += 1
            email = f"{first}.{last}{twin}@demo-firm.example".lower()
        emails.add(email)
        office = rng.choice(list(OFFICES))
        practice = rng.choices(list(PRACTICES), weights=list(PRACTICES.values()))[0]
        final_pacer = rng.choices(["upgraded", "legacy", "none", "shared"], weights=_pacer_weights(as_of))[0]
        starts_legacy = final_pacer == "upgraded" and rng.random() < 0.5
        # the scenario's end state; "shared" is an upgraded account the whole firm uses
        initial = PacerAccount.UPGRADED if final_pacer == "shared" else PacerAccount(final_pacer)
        with clock.pinned(start):
            attorney = attorney_create(
                actor=staff,
                note=f"{office} office, {practice}",
                name=name,
                email=email,
                bar_number=f"{OFFICES[office][0]}{100000 + rng.randint(0, 899999)}",
                pacer_username=f"{first[0]}{last}{index}".lower() if final_pacer != "none" else "",
                pacer_account=PacerAccount.LEGACY if starts_legacy else initial,
                pacer_individual=final_pacer != "shared",
            )
            links = []
            court_ids = _courts_for(rng, practice, OFFICES[office], by_state)
            if practice == "bankruptcy" and index % 2 == 0:
                # The firm's bankruptcy team also files where our two court documents come from.
                court_ids += [court_id for court_id in SEED_DOCUMENT_COURTS if court_id not in court_ids]
            for court_id in court_ids:
                court = courts[court_id]
                roll = rng.random()
                links.append(
                    link_create(
                        attorney=attorney,
                        court=court,
                        actor=staff,
                        efiling_account=roll >= 0.08,
                        new_to_court=0.08 <= roll < 0.16,
                    )
                )
        if starts_legacy:
            upgraded_on = _between(rng, start + datetime.timedelta(days=1), as_of - datetime.timedelta(days=20))
            with clock.pinned(upgraded_on):
                step_record(
                    step=Step.PACER_ACCOUNT,
                    actor=staff,
                    attorney_id=attorney.pk,
                    value=PacerAccount.UPGRADED,
                    note="Account page now says: Upgraded PACER Account",
                )
            ready_from = upgraded_on
        else:
            ready_from = start
        for link in links:
            _progress(rng, link, staff, final_pacer, ready_from, start, as_of)
        created_links.extend(links)

    with clock.pinned(as_of):
        _make_sure_someone_registers(created_links, staff, as_of)
        statuses = dict.fromkeys(LinkStatus.values, 0)
        for row in CourtLink.objects.filter(pk__in=[link.pk for link in created_links]).with_status().values("status"):
            statuses[row["status"]] += 1
    return DemoResult(attorneys=attorneys, links=len(created_links), statuses=statuses)


def _progress(rng, link: CourtLink, staff: Actor, final_pacer: str, ready_from, start, as_of):
    """Record the steps this pair has plausibly reached by ``as_of``."""
    if not link.efiling_account:
        return
    court = link.court
    go_live = court.live_since  # the go-live date, else the on-NextGen-by bound
    if not link.new_to_court and rng.random() < 0.65:
        with clock.pinned(_between(rng, start, as_of - datetime.timedelta(days=1))):
            step_record(
                step=Step.CMECF_LOGIN_KNOWN,
                actor=staff,
                link_id=link.pk,
                value=True,
                note="Attorney confirmed by email",
            )
    if final_pacer != "upgraded" or not court_is_live(court.nextgen_go_live, court.live_by, as_of):
        return
    first_day = max(go_live, ready_from)
    if first_day > as_of:
        return
    if link.new_to_court:
        if rng.random() < 0.5:
            day = _between(rng, first_day, min(as_of, first_day + datetime.timedelta(days=20)))
            with clock.pinned(day):
                step_record(
                    step=Step.REGISTERED,
                    actor=staff,
                    link_id=link.pk,
                    on=day,
                    note="E-filing access granted through PACER",
                )
        return
    # The longer a court has been live, the likelier the firm has linked there already.
    live_for = (as_of - go_live).days
    if rng.random() < (0.9 if live_for > 180 else 0.6 if live_for > 30 else 0.35):
        day = _between(rng, first_day, min(as_of, first_day + datetime.timedelta(days=45)))
        name = link.attorney.name
        parts = name.split()
        pacer_name = f"{parts[0]} {parts[-1]}"
        if rng.random() < 0.05:  # the occasional name that needs a second look
            pacer_name = f"{parts[0][:3]} {parts[-1]}"
        with clock.pinned(day):
            step_record(
                step=Step.LINKED,
                actor=staff,
                link_id=link.pk,
                on=day,
                cmecf_name=name,
                pacer_name=pacer_name,
                note="Linked on a call with the attorney",
            )
            if rng.random() < 0.7:
                step_record(
                    step=Step.FILING_MENUS, actor=staff, link_id=link.pk, on=day, note="Full menus after a refresh"
                )


def _make_sure_someone_registers(links: list[CourtLink], staff: Actor, as_of):
    """Small firms may draw no new filer in a live court; the demo should show one."""
    pairs = CourtLink.objects.filter(pk__in=[link.pk for link in links]).with_status(as_of)
    if pairs.filter(status=LinkStatus.NEEDS_REGISTRATION).exists():
        return
    candidate = pairs.filter(status=LinkStatus.READY_TO_LINK).order_by("pk").last()
    if candidate:
        step_record(
            step=Step.NEW_TO_COURT,
            actor=staff,
            link_id=candidate.pk,
            value=True,
            note="Never had an e-filing account in this court: register through PACER",
        )


def demo_firm_exists() -> bool:
    return Attorney.objects.exists()

"""The demo firm's progress in the campaigns after NextGen: believable on the date it is seeded for.

attorneys.demo creates the firm and its NextGen linking; this adds, per attorney, how far the
PACER MFA campaign has come by ``as_of``: nothing before enrollment opened (2025-05-11), then
the email confirmed, the authenticator holders named, enrollment and the backup codes' place,
more of it the closer the deadline is. After the deadline about one attorney in ten is still not
enrolled (blocked from filing, as the courts say), and one holder has left the firm so that the
review shows. Deterministic for a seed; written like a roster import (campaigns.services).
"""

import datetime
import random
from collections import defaultdict

from django.contrib.auth import get_user_model

from attorneys.models import Attorney
from core import clock
from core.audit import Actor

from . import mfa
from .models import Progress
from .services import progress_record_planned

FORMER = "Jordan Reyes"  # a legal assistant who leaves the demo firm after the deadline
DOCKETING = ("Morgan Lee",)  # the docketing clerk, a filing agent without a Firmlink login
NOTE = "Demo firm: MFA readiness as reported by the attorney"


def _share_done(as_of: datetime.date) -> float:
    """How many attorneys have enrolled by ``as_of``: none at the opening, most by the deadline."""
    if as_of < mfa.OPENS:
        return 0.0
    if as_of >= mfa.DEADLINE:
        return 0.9
    return 0.85 * (as_of - mfa.OPENS).days / (mfa.DEADLINE - mfa.OPENS).days


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def seed_campaign_progress(*, as_of: datetime.date, seed: int = 2021) -> dict[str, int]:
    """Record the demo firm's MFA steps as of ``as_of``; returns how many steps were recorded, per step."""
    share = _share_done(as_of)
    if not share:
        return {}
    rng = random.Random(seed + 1)
    User = get_user_model()
    paralegal = User.objects.filter(username="paralegal").first()
    actor = Actor.for_user(paralegal) if paralegal else Actor.system("demo")
    helper = paralegal.get_full_name() if paralegal else "Pat Paralegal"
    last = min(as_of, mfa.DEADLINE + datetime.timedelta(days=60))
    by_day: dict[datetime.date, list[tuple]] = defaultdict(list)
    holders_of: dict[int, str] = {}
    for attorney in Attorney.objects.filter(is_active=True).order_by("pk").only("pk", "name"):
        roll = rng.random()
        if roll > share + 0.08:
            continue  # not started
        confirmed = _day(rng, mfa.OPENS, last - datetime.timedelta(days=3))
        by_day[confirmed].append((attorney.pk, "email_current", confirmed, None))
        pick = rng.random()
        holders = attorney.name if pick < 0.6 else f"{attorney.name}; {helper if pick < 0.85 else FORMER}"
        holders_of[attorney.pk] = holders
        named = confirmed + datetime.timedelta(days=rng.randint(0, 2))
        by_day[named].append((attorney.pk, "holders", named, holders))
        if roll > share:
            continue  # ready, not yet enrolled
        enrolled = min(named + datetime.timedelta(days=rng.randint(0, 30)), last)
        by_day[enrolled].append((attorney.pk, "enrolled", enrolled, None))
        if rng.random() < 0.9:
            by_day[enrolled].append((attorney.pk, "backup_codes", enrolled, "the firm's password manager, MFA folder"))
        if rng.random() < 0.85:
            answer = "none" if rng.random() < 0.8 else "moved"
            by_day[enrolled].append((attorney.pk, "vendor", enrolled, answer))
    shared = [pk for pk, holders in holders_of.items() if FORMER in holders]
    if as_of >= mfa.DEADLINE and shared:
        # An assistant who held authenticators for some attorneys left; most were reviewed since.
        left = as_of - datetime.timedelta(days=21)
        for index, pk in enumerate(shared):
            by_day[left].append((pk, "holder_left", left, FORMER))
            if index % 4:
                reviewed = left + datetime.timedelta(days=rng.randint(1, 14))
                by_day[reviewed].append((pk, "holders_reviewed", reviewed, None))
    counts: dict[str, int] = defaultdict(int)
    for day in sorted(by_day):
        with clock.pinned(day):
            progress_record_planned(campaign=mfa.CAMPAIGN, items=by_day[day], actor=actor, note=NOTE)
        for item in by_day[day]:
            counts[item[1]] += 1
    return dict(counts)


PAIR_NOTE = "Demo firm: as reported by the docketing team"


def _pair_items(as_of: datetime.date, rng: random.Random) -> dict:
    """The demo firm's steps in the campaigns per attorney and court, by campaign and day."""
    from attorneys.models import CourtLink

    from . import acms, agents, notices, renewals

    plans: dict = {c.SLUG: defaultdict(list) for c in (renewals, notices, acms, agents)}
    links = (
        CourtLink.objects.filter(attorney__is_active=True, efiling_account=True).select_related("court").order_by("pk")
    )
    for link in links:
        court_id = link.court.court_id
        opened = min(link.created_at.date(), as_of - datetime.timedelta(days=30))
        cycle = renewals.CYCLES.get(court_id)
        if cycle is not None:
            # Admitted years ago; renewed every cycle since, but about one in five missed the last one.
            admitted = _day(rng, datetime.date(2004, 1, 1), min(opened, as_of) - datetime.timedelta(days=400))
            plans[renewals.SLUG][admitted].append((link.attorney_id, "admitted", admitted, None, link.court_id))
            renewed, due = None, renewals.next_due(cycle, admitted, None)
            missed_last = rng.random() < 0.2
            while due is not None and due <= as_of:
                following = renewals.next_due(cycle, admitted, due)
                if missed_last and following > as_of:
                    break
                renewed = due - datetime.timedelta(days=rng.randint(3, 40))
                due = renewals.next_due(cycle, admitted, renewed)
            if renewed is not None:
                plans[renewals.SLUG][renewed].append((link.attorney_id, "renewed", renewed, None, link.court_id))
        if court_id in {f.court for f in acms.COURT_FACTS}:
            cutover = acms.CAMPAIGN.fact(court_id).date
            start = max(opened, cutover - datetime.timedelta(days=120))
            if start <= as_of and rng.random() < 0.85:
                upgraded = _day(rng, start, min(as_of, cutover))
                registered = _day(rng, upgraded, min(as_of, max(upgraded, cutover)))
                plans[acms.SLUG][upgraded].append((link.attorney_id, "pacer_upgraded", upgraded, None, link.court_id))
                plans[acms.SLUG][registered].append(
                    (link.attorney_id, "acms_registered", registered, None, link.court_id)
                )
                if as_of > cutover and rng.random() < 0.8:
                    tested = _day(rng, max(registered, cutover), as_of)
                    plans[acms.SLUG][tested].append((link.attorney_id, "acms_tested", tested, None, link.court_id))
        # Filing agents: the bankruptcy team files through its docketing clerks in most bankruptcy courts.
        if link.court.court_type == "bankruptcy" and rng.random() < 0.6:
            named = _day(rng, opened, min(as_of, opened + datetime.timedelta(days=30)))
            names = DOCKETING[0] if rng.random() < 0.5 else f"{DOCKETING[0]}; {FORMER}"
            plan = plans[agents.SLUG]
            plan[named].append((link.attorney_id, "agents", named, names, link.court_id))
            day = named
            for step in ("agents_pacer", "agents_registered", "agents_linked", "agents_notices", "agents_mfa"):
                if rng.random() < 0.12:
                    break
                day = min(as_of, day + datetime.timedelta(days=rng.randint(0, 10)))
                if step == "agents_mfa" and as_of < mfa.OPENS:
                    break
                plan[max(day, mfa.OPENS) if step == "agents_mfa" else day].append(
                    (link.attorney_id, step, max(day, mfa.OPENS) if step == "agents_mfa" else day, None, link.court_id)
                )
        # Notice routing: most pairs routed within weeks of joining; help-desk courts lag.
        roll = rng.random() + (0.3 if notices.CAMPAIGN.fact(court_id) else 0.0)
        if roll < 0.9 and opened + datetime.timedelta(days=7) <= as_of:
            added = _day(rng, opened, min(as_of, opened + datetime.timedelta(days=60)))
            plans[notices.SLUG][added].append((link.attorney_id, "inbox_added", added, None, link.court_id))
            if roll < 0.8:
                plans[notices.SLUG][added].append((link.attorney_id, "notices_on", added, None, link.court_id))
                if roll < 0.7:
                    tested = _day(rng, added, min(as_of, added + datetime.timedelta(days=10)))
                    plans[notices.SLUG][tested].append((link.attorney_id, "test_notice", tested, None, link.court_id))
    return plans


def seed_pair_campaigns(*, as_of: datetime.date, seed: int = 2021) -> dict[str, int]:
    """Record the demo firm's steps in bar renewals, notice routing and ACMS as of ``as_of``; returns
    how many steps were recorded per campaign."""
    from . import registry

    rng = random.Random(seed + 2)
    paralegal = get_user_model().objects.filter(username="paralegal").first()
    actor = Actor.for_user(paralegal) if paralegal else Actor.system("demo")
    counts: dict[str, int] = {}
    for slug, by_day in _pair_items(as_of, rng).items():
        campaign = registry.get(slug)
        for day in sorted(by_day):
            with clock.pinned(day):
                progress_record_planned(campaign=campaign, items=by_day[day], actor=actor, note=PAIR_NOTE)
        counts[campaign.name] = sum(len(items) for items in by_day.values())
    _staff(as_of, actor)
    return counts


def _staff(as_of: datetime.date, actor: Actor) -> None:
    """The staff Firmlink knows without a login; the legal assistant leaves three weeks before ``as_of``
    once the MFA deadline has passed (the campaigns naming her get the departure)."""
    from attorneys.models import StaffMember
    from attorneys.services.people import staff_add, staff_left

    for name in (*DOCKETING, FORMER):
        if not StaffMember.objects.filter(name__iexact=name).exists():
            with clock.pinned(min(as_of, datetime.date(2021, 1, 4))):
                staff_add(actor=actor, name=name, note="Demo firm staff")
    if as_of >= mfa.DEADLINE:
        left = as_of - datetime.timedelta(days=21)
        with clock.pinned(left):
            staff_left(actor=actor, pk=StaffMember.objects.get(name=FORMER).pk, on=left, note="Demo firm")
        # Most attorneys have removed her as an agent since.
        from . import agents

        rng = random.Random(7)
        by_day: dict[datetime.date, list[tuple]] = defaultdict(list)
        for row in Progress.objects.filter(campaign=agents.SLUG, step="agent_left").order_by("pk"):
            if rng.random() < 0.6:
                day = left + datetime.timedelta(days=rng.randint(1, 14))
                by_day[day].append((row.attorney_id, "agent_removed", day, None, row.court_id))
        for day in sorted(by_day):
            with clock.pinned(day):
                progress_record_planned(campaign=agents.CAMPAIGN, items=by_day[day], actor=actor, note=PAIR_NOTE)

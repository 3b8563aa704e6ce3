"""The campaigns of this installation: the built-in ones, then any a firm adds.

A firm adds a campaign by writing a definition module (a ``CAMPAIGN = core.campaigns.Campaign(...)``,
per attorney or per attorney and court, with steps recorded in ``campaigns.Progress``; see
campaigns/mfa.py and campaigns/renewals.py) and naming
it in ``FIRMLINK_EXTRA_CAMPAIGNS`` (dotted module paths, comma-separated). Nothing else
changes: its pages, export, reminders and roster columns come from the definition.
"""

import importlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from attorneys.campaign import CAMPAIGN as NEXTGEN
from attorneys.choices import Step
from core import campaigns as core_campaigns
from core.campaigns import Campaign, Subject

from .acms import CAMPAIGN as ACMS
from .agents import CAMPAIGN as FILING_AGENTS
from .mfa import CAMPAIGN as PACER_MFA
from .notices import CAMPAIGN as NOTICE_ROUTING
from .renewals import CAMPAIGN as BAR_RENEWAL

BUILT_IN = (NEXTGEN, PACER_MFA, BAR_RENEWAL, NOTICE_ROUTING, FILING_AGENTS, ACMS)


def all_campaigns() -> list[Campaign]:
    found = list(BUILT_IN)
    for path in getattr(settings, "FIRMLINK_EXTRA_CAMPAIGNS", []):
        try:
            found.append(importlib.import_module(path).CAMPAIGN)
        except (ImportError, AttributeError) as exc:
            raise ImproperlyConfigured(f"FIRMLINK_EXTRA_CAMPAIGNS: {path!r} has no CAMPAIGN ({exc})") from exc
    return found


def check(campaigns: list[Campaign]) -> None:
    """Refuse definitions that would mix up history or pages: slugs and step keys must be unique."""
    slugs = [c.slug for c in campaigns]
    if len(set(slugs)) != len(slugs):
        raise ImproperlyConfigured(f"two campaigns share a slug: {slugs}")
    nextgen_steps = set(Step.values)
    for campaign in campaigns:
        if campaign is NEXTGEN:
            continue
        if campaign.subject not in Subject.values:
            raise ImproperlyConfigured(f"{campaign.slug}: unknown subject {campaign.subject!r}")
        clash = {step.key for step in campaign.steps} & nextgen_steps
        if clash:
            raise ImproperlyConfigured(f"{campaign.slug}: step keys {sorted(clash)} are NextGen's or the roster's")


def register_all() -> None:
    campaigns = all_campaigns()
    check(campaigns)
    for campaign in campaigns:
        core_campaigns.register(campaign)


def attorney_campaigns() -> list[Campaign]:
    """The campaigns per attorney (their records are ``Progress`` rows without a court)."""
    return [c for c in core_campaigns.registered() if c.slug != NEXTGEN.slug and not c.per_court]


def pair_campaigns() -> list[Campaign]:
    """The campaigns per attorney and court but NextGen (``Progress`` rows with the court)."""
    return [c for c in core_campaigns.registered() if c.slug != NEXTGEN.slug and c.per_court]


def progress_campaigns() -> list[Campaign]:
    """Every campaign whose records are ``Progress`` rows (all but NextGen)."""
    return [c for c in core_campaigns.registered() if c.slug != NEXTGEN.slug]


def registered() -> list[Campaign]:
    """Every campaign of this installation, NextGen first, in the order pages list them."""
    return core_campaigns.registered()


def get(slug: str) -> Campaign | None:
    return core_campaigns.lookup(slug)

import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        from core.signals import person_left

        from . import registry

        registry.register_all()
        person_left.connect(_person_left, dispatch_uid="campaigns.person_left")


def _person_left(sender, *, name, actor, on, **kwargs):
    """Wherever a campaign names the person who left (an authenticator holder, a filing agent), a review
    becomes due."""
    from core.exceptions import StepRefused

    from . import registry, services

    try:
        services.person_departed(name=name, actor=actor, on=on, campaigns=registry.progress_campaigns())
    except StepRefused as refusal:  # never stops the departure itself; said in the log
        log.warning("departure of %s not recorded in a campaign: %s", name, "; ".join(refusal.messages))

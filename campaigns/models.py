"""Where each attorney stands in the campaigns beyond NextGen, and what a firm set for each campaign.

NextGen linking keeps its own columns (attorneys.CourtLink). The other campaigns share one
table, ``Progress``: one row per subject and step holding its current date and/or value; every
change is also written to the append-only history (attorneys.StepChange, with ``campaign``).
The statuses are derived from these rows by each campaign's rules (campaigns.subjects).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class Progress(models.Model):
    campaign = models.CharField(max_length=40)
    attorney = models.ForeignKey("attorneys.Attorney", on_delete=models.PROTECT, related_name="progress")
    court = models.ForeignKey(
        "courts.Court",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a campaign per attorney and court; empty for one per attorney.",
    )
    step = models.CharField(max_length=40)
    done_on = models.DateField(null=True, blank=True)
    value = models.TextField(null=True, blank=True)
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "attorney", "step"], condition=Q(court=None), name="progress_once_per_attorney"
            ),
            models.UniqueConstraint(
                fields=["campaign", "attorney", "court", "step"],
                condition=~Q(court=None),
                name="progress_once_per_attorney_court",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "step", "attorney"], name="progress_step_idx")]

    def __str__(self):
        return f"{self.campaign}.{self.step} for attorney {self.attorney_id}: {self.done_on or ''} {self.value or ''}"


class CampaignSettings(models.Model):
    """What a firm's administrators change about a campaign: its dates, its words, who is in scope,
    whether it reminds. The rules stay those of the definition."""

    class Scope(models.TextChoices):
        FILERS = "filers", "Attorneys with an e-filing account in at least one court"
        ALL = "all", "Every active attorney"

    campaign = models.CharField(max_length=40, unique=True)
    deadline = models.DateField(null=True, blank=True, help_text="Empty: the definition's date.")
    starts_on = models.DateField(null=True, blank=True, help_text="Empty: the definition's date.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.FILERS)
    reminders_on = models.BooleanField(default=True, help_text="Send this campaign's reminders.")
    message = models.TextField(blank=True, help_text="A word from the firm, shown on the campaign page and in emails.")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "campaign settings"

    def __str__(self):
        return f"settings of {self.campaign}"


class CourtDate(models.Model):
    """A firm's correction of a campaign's date in one court (e.g. an appellate ACMS cutover the court
    moved): it overrides the definition's ``CourtFact.date``; every change is in the history."""

    campaign = models.CharField(max_length=40)
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "court"], name="courtdate_once_per_court")]

    def __str__(self):
        return f"{self.campaign} in court {self.court_id}: {self.date}"

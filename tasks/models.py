"""Reminder bookkeeping: one row per (pair, occasion), so that each occasion is emailed once."""

from django.db import models
from django.db.models import Q

from core import campaigns, clock
from core.models import TimeStampedModel


class OccasionKind(models.TextChoices):
    BEFORE = "before", "Before go-live"
    GO_LIVE = "go_live", "Go-live day"
    AFTER = "after", "After go-live"


# A campaign's statuses say on which occasions they are reminded (core.campaigns.StatusDef.remind).
REMIND_WORD = {OccasionKind.BEFORE: "before", OccasionKind.GO_LIVE: "day", OccasionKind.AFTER: "after"}


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (superseded or no longer due)"


class Reminder(TimeStampedModel):
    """A due occasion of one campaign for one subject: an attorney-court pair (NextGen linking and the
    other campaigns per attorney and court) or an attorney (campaigns per attorney, ``link`` empty).
    Unique per (campaign, subject, occasion), and per the subject's date outside NextGen.

    Sending claims all of an attorney's rows just before their message (pending -> sending, the
    attorney's row locked with SKIP LOCKED) and marks them sent, if the claim still holds them,
    after the SMTP server accepted the message (see tasks.services.sending).
    """

    campaign = models.CharField(max_length=40, default="nextgen")
    link = models.ForeignKey(
        "attorneys.CourtLink", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    # Looked up through ``reminder_attorney_idx`` (attorney first): no index of its own to keep up on
    # every claim and every send.
    attorney = models.ForeignKey(
        "attorneys.Attorney", on_delete=models.PROTECT, related_name="reminders", db_index=False
    )
    occasion = models.CharField(max_length=20, help_text="e.g. before-30, go-live, after-6")
    kind = models.CharField(max_length=10, choices=OccasionKind.choices)
    days = models.PositiveSmallIntegerField(help_text="Days before (or after) go-live or the deadline.")
    due_on = models.DateField()
    go_live = models.DateField(
        help_text="The court's go-live date (else its on-NextGen-by bound), or the campaign's deadline, when the "
        "occasion was planned."
    )
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=64, blank=True, help_text="Who holds the row while sending.")
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    retry_until = models.DateTimeField(
        null=True, blank=True, help_text="Failed after spent retries: the hourly dispatch tries again until then."
    )
    run = models.ForeignKey("ReminderRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders")

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "link", "occasion"],
                condition=~Q(link=None) & Q(campaign="nextgen"),
                name="reminder_once_per_occasion",
            ),
            # Another campaign per attorney and court: per the pair's date (a renewal comes back every cycle).
            models.UniqueConstraint(
                fields=["campaign", "link", "go_live", "occasion"],
                condition=~Q(link=None) & ~Q(campaign="nextgen"),
                name="reminder_once_per_pair_date_occasion",
            ),
            # A campaign's occasion is per deadline: when the firm moves the deadline, its occasions come again.
            models.UniqueConstraint(
                fields=["campaign", "attorney", "go_live", "occasion"],
                condition=Q(link=None),
                name="reminder_once_per_attorney_deadline_occasion",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "attorney"], name="reminder_status_attorney_idx"),
            models.Index(fields=["attorney", "-due_on"], name="reminder_attorney_idx"),
        ]

    @property
    def what(self) -> str:
        """What the occasion is about, said briefly: the court (NextGen linking), the campaign (and court)."""
        campaign = campaigns.lookup(self.campaign)
        name = campaign.name if campaign else self.campaign
        if self.link_id:
            return self.link.court.court_id if self.campaign == "nextgen" else f"{name}, {self.link.court.court_id}"
        return name

    def __str__(self):
        subject = f"pair {self.link_id}" if self.link_id else f"attorney {self.attorney_id}"
        return f"{self.campaign} {self.occasion} for {subject} ({self.status})"


class ReminderRun(models.Model):
    """One daily run of the reminder job (firm-local date); unique, so two schedulers make one run.

    The counts are read from the run's reminder rows whenever a batch or the digest ends, a
    dispatch ticks or ``send_reminders`` finishes (``runs.run_refresh``): whatever path a batch
    took (retried, resumed, redelivered), each row is counted once. Finished when no row of the
    run is pending or being sent and the day's digest is done; reopened if one comes back.
    """

    run_on = models.DateField(unique=True)
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    planned = models.PositiveIntegerField(default=0)
    batches_total = models.PositiveIntegerField(default=0, help_text="Batches queued when the run started.")
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0, help_text="Pending or being sent when last counted.")
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_on"]

    def __str__(self):
        return f"reminder run of {self.run_on}"


class EscalationDigest(models.Model):
    """The daily digest to administrators of pairs still unlinked well after go-live; once a day."""

    run_on = models.DateField(unique=True)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    pairs = models.PositiveIntegerField(default=0)
    recipients = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    retry_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_on"]

    def __str__(self):
        return f"escalation digest of {self.run_on} ({self.status})"

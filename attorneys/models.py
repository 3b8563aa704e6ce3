import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from core import campaigns, clock
from core.audit import StepSource
from core.models import TimeStampedModel

from .choices import PacerAccount, Step
from .status import (
    LinkStatus,
    cannot_file_condition,
    link_status,
    live_since_expression,
    status_expression,
    status_rank_expression,
)


class Attorney(TimeStampedModel):
    name = models.CharField(max_length=200, db_index=True)
    email = models.EmailField(help_text="Unique, whatever the letter case.")
    bar_number = models.CharField(max_length=50, blank=True)
    pacer_username = models.CharField(
        "PACER username",
        max_length=80,
        blank=True,
        help_text="The username only. Firmlink never stores a PACER or CM/ECF password.",
    )
    pacer_account = models.CharField(
        "PACER account", max_length=10, choices=PacerAccount.choices, default=PacerAccount.NONE
    )
    pacer_individual = models.BooleanField(
        "individual PACER account",
        default=True,
        help_text="A shared firm PACER account does not count for NextGen filing.",
    )
    is_active = models.BooleanField("active", default=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attorney",
        help_text="Optional login for the attorney's own checklist.",
    )
    # Signed links (checklist, calendar) carry this number; revoking them all increments it.
    link_generation = models.PositiveIntegerField(default=1, editable=False)
    links_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="attorney_email_ci_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def pacer_ready(self) -> bool:
        return self.pacer_individual and self.pacer_account == PacerAccount.UPGRADED


class CourtLinkQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate ``status`` (the one derivation of a pair's status, in SQL) and ``status_rank``
        (its order of precedence, for sorting by urgency)."""
        today = today or clock.today()
        return self.annotate(status=status_expression(today), status_rank=status_rank_expression(today))

    def with_live_since(self):
        """Annotate ``live_since``: the court's go-live date, else its on-NextGen-by bound."""
        return self.annotate(live_since=live_since_expression())

    def cannot_file(self, today=None):
        """Pairs in a court already on NextGen where the attorney cannot e-file yet: the one
        "cannot file now" filter (pages, counts, reminders, the digest and exports use it)."""
        today = today or clock.today()
        return self.with_status(today).filter(cannot_file_condition(today))


class CourtLink(TimeStampedModel):
    """One attorney in one court: what must happen there, and what has been done."""

    attorney = models.ForeignKey(Attorney, on_delete=models.PROTECT, related_name="links")
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="links")
    efiling_account = models.BooleanField(
        "e-filing account",
        default=True,
        help_text="Off: the attorney uses this court's CM/ECF for PACER access only; nothing to do.",
    )
    new_to_court = models.BooleanField(
        default=False,
        help_text="No old CM/ECF account here: request e-filing access through PACER instead of linking.",
    )
    cmecf_login_known = models.BooleanField(
        "old CM/ECF login known",
        default=False,
        help_text="Whether the attorney knows the old login and password; never what they are.",
    )
    linked_on = models.DateField(null=True, blank=True, db_index=True)
    linked_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_recorded_at = models.DateTimeField(null=True, blank=True)
    cmecf_name_shown = models.CharField("CM/ECF name shown", max_length=200, blank=True)
    pacer_name_shown = models.CharField("PACER name shown", max_length=200, blank=True)
    names_differ = models.BooleanField(
        default=False,
        help_text="The two names shown differ beyond a middle initial: the link waits for a human check.",
    )
    menus_confirmed_on = models.DateField("filing menus confirmed on", null=True, blank=True)
    registered_on = models.DateField(
        "e-filing access granted on",
        null=True,
        blank=True,
        help_text="New filers: the day the court granted e-filing access through PACER.",
    )

    objects = CourtLinkQuerySet.as_manager()

    class Meta:
        ordering = ["attorney__name", "court__court_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attorney", "court"], name="courtlink_attorney_court_unique"),
            models.CheckConstraint(
                condition=models.Q(menus_confirmed_on__isnull=True)
                | models.Q(linked_on__isnull=False)
                | models.Q(registered_on__isnull=False),
                name="courtlink_menus_need_access",
            ),
        ]

    def __str__(self):
        return f"{self.attorney} in {self.court.court_id}"

    def status(self, today=None) -> LinkStatus:
        """The same status as the SQL annotation, for one object already in memory."""
        return link_status(self, today)


class AppendOnlyError(Exception):
    pass


class StepChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Step history is append-only: rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Step history is append-only: rows cannot be deleted.")


class StepChange(models.Model):
    """Append-only history of every step change: who, when, what, old -> new, note."""

    changed_at = models.DateTimeField(default=clock.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=200, help_text="Who, as shown at the time.")
    source = models.CharField(max_length=10, choices=StepSource.choices, default=StepSource.STAFF)
    attorney = models.ForeignKey(Attorney, null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    court = models.ForeignKey("courts.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    link = models.ForeignKey(CourtLink, null=True, blank=True, on_delete=models.PROTECT, related_name="history")
    # NextGen linking and the roster's records: a ``Step``; another campaign's step: ``campaign`` names it.
    campaign = models.CharField(max_length=40, blank=True, default="")
    step = models.CharField(max_length=40)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="The earlier entry this one corrects (that entry itself is never changed).",
    )

    objects = StepChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["attorney", "-changed_at"], name="stepchange_attorney_idx"),
            models.Index(fields=["link", "-changed_at", "-id"], name="stepchange_link_idx"),
            # The newest PACER-level change of an attorney (the export's "last change").
            models.Index(
                fields=["attorney", "-changed_at", "-id"],
                condition=models.Q(link=None, court=None),
                name="stepchange_attorney_level_idx",
            ),
            models.Index(fields=["court", "-changed_at"], name="stepchange_court_idx"),
        ]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.actor}: {self.step} {self.old_value} -> {self.new_value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Step history is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Step history is append-only: rows cannot be deleted.")

    def get_step_display(self) -> str:
        """What was recorded, as people say it: a ``Step`` label, or the campaign's step label."""
        if self.campaign:
            campaign = campaigns.lookup(self.campaign)
            if campaign is not None:
                try:
                    return f"{campaign.name}: {campaign.step(self.step).label}"
                except StopIteration:
                    return f"{campaign.name}: {self.step.replace('_', ' ')}"
            return f"{self.campaign}: {self.step}"
        try:
            return Step(self.step).label
        except ValueError:
            return self.step


class Verification(models.Model):
    """Staff checked a step the attorney confirmed through their signed link.

    Kept beside the history (which is append-only) rather than in it; the act of verifying
    is itself a history row.
    """

    change = models.OneToOneField(StepChange, on_delete=models.PROTECT, related_name="verification")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return f"{self.change} verified by {self.verified_by}"


class ExportLog(models.Model):
    """Every export is recorded: compliance exports are themselves audited."""

    class Kind(models.TextChoices):
        COMPLIANCE = "compliance", "Compliance (attorney-court pairs)"
        HISTORY = "history", "Step history"
        ATTORNEYS = "attorneys", "Attorneys"
        COURTS = "courts", "Courts"
        CAMPAIGN = "campaign", "A campaign's attorneys"

    started_at = models.DateTimeField(default=clock.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=20, help_text="dashboard or command")
    filters = models.JSONField(default=dict, blank=True)
    as_of = models.DateField(help_text="The date the export is dated by.")
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Empty until the export completed.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.kind} export by {self.actor} at {self.started_at:%Y-%m-%d %H:%M}"


class RosterImportQuerySet(models.QuerySet):
    def abandon_stale(self, *, user, now, max_age: datetime.timedelta) -> int:
        """Drop the files of previews nobody will apply: older than ``max_age``, or replaced by
        ``user``'s new upload. Their summaries stay; their content goes."""
        stale = self.filter(state="previewed").filter(
            models.Q(uploaded_by=user) | models.Q(uploaded_at__lt=now - max_age)
        )
        return stale.update(state="abandoned", content=b"")


class RosterImport(models.Model):
    """An uploaded roster, kept from preview to apply (and afterwards, for the record)."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        REFUSED = "refused", "Refused"
        APPLIED = "applied", "Applied"
        ABANDONED = "abandoned", "Not applied"

    uploaded_at = models.DateTimeField(default=clock.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    summary = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"


class StaffMember(TimeStampedModel):
    """Someone of the firm Firmlink knows without a login: a paralegal or docketing clerk who files
    for attorneys as a filing agent, or holds one of their authenticators. Marked as left (never
    deleted): the campaigns naming them get their departure recorded."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="staffmember_name_unique_ci")]

    def __str__(self):
        return self.name


class DataVersion(models.Model):
    """One row whose ``version`` grows when a transaction that changed pairs, attorneys, courts or the
    history commits (PostgreSQL triggers, deferred to the commit: attorneys/migrations/0016). Pages cache
    what they count over the whole firm under it (``attorneys.versioning``): a count is reused only
    while no such change has committed since, so it is never stale."""

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.version}"

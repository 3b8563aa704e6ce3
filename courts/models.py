import datetime

from django.db import models

from core import clock
from core.models import TimeStampedModel


class CourtType(models.TextChoices):
    APPELLATE = "appellate", "Court of appeals"
    DISTRICT = "district", "District"
    BANKRUPTCY = "bankruptcy", "Bankruptcy"
    NATIONAL = "national", "National"


class GoLiveSourceKind(models.TextChoices):
    """How sure the go-live date is, in the words of the source that gives it."""

    PLANNED = "planned", "Planned (court notice before the date)"
    PAST = "past", "Confirmed (court notice after the date)"
    STATED = "stated", "Stated by the court"
    ESTIMATE = "estimate", "Estimate only"
    BRIEF = "brief", "Given in a brief"
    ADMINISTRATOR = "administrator", "Corrected by an administrator"
    UNKNOWN = "", "Not announced"


class Court(TimeStampedModel):
    court_id = models.SlugField(
        max_length=12,
        unique=True,
        help_text="The label after 'ecf.' in the court's CM/ECF address, e.g. 'canb'.",
    )
    name = models.CharField(max_length=120)
    court_type = models.CharField(max_length=12, choices=CourtType.choices, db_index=True)
    state = models.CharField(max_length=2, blank=True, db_index=True)
    ecf_url = models.URLField("CM/ECF address")
    web_url = models.URLField("court website", blank=True)
    help_desk_phone = models.CharField(max_length=255, blank=True)
    help_desk_email = models.EmailField(blank=True, help_text="Where attorneys ask for a lost CM/ECF login.")
    nextgen_go_live = models.DateField(
        "NextGen go-live",
        null=True,
        blank=True,
        db_index=True,
        help_text="Empty: not announced (or not known to us). The go-live day itself is linkable.",
    )
    go_live_source_kind = models.CharField(
        "go-live source kind", max_length=16, choices=GoLiveSourceKind.choices, blank=True
    )
    go_live_source_url = models.URLField("go-live source", max_length=500, blank=True)
    go_live_source_note = models.TextField("go-live source note", blank=True)
    directory_source = models.CharField(
        max_length=80, blank=True, help_text="Where this court's directory row comes from."
    )
    directory_software_version = models.CharField("software version (2023 directory)", max_length=80, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["court_id"]

    def __str__(self):
        return f"{self.name} ({self.court_id})"

    def is_live(self, today=None) -> bool:
        """On NextGen on ``today`` (the go-live day itself counts). SQL form: ``live_condition``."""
        return is_live_on(self.nextgen_go_live, today or clock.today())


def is_live_on(go_live: datetime.date | None, today: datetime.date) -> bool:
    return go_live is not None and go_live <= today


def live_condition(today: datetime.date, *, via: str = "") -> models.Q:
    """The courts on NextGen on ``today``, as a filter; ``via`` is the path to the court
    (``"court__"`` from an attorney-court pair). Python form: ``Court.is_live``."""
    return models.Q(**{f"{via}nextgen_go_live__lte": today})

import datetime

from django.db import models

from core.dates import validate_sane_date
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


def web_address(source: str) -> str:
    """The web address a source starts with ("https://... + github:..."), or "" (a repository path)."""
    first = source.split(" ", 1)[0]
    return first if first.startswith(("http://", "https://")) else ""


# ``Court.directory_source`` once an administrator corrected the directory facts by hand: kept.
DIRECTORY_CORRECTED = "administrator"


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
        validators=[validate_sane_date],
    )
    go_live_source_kind = models.CharField(
        "go-live source kind", max_length=16, choices=GoLiveSourceKind.choices, blank=True
    )
    go_live_source_url = models.URLField("go-live source", max_length=500, blank=True)
    go_live_source_note = models.TextField(
        "go-live source quote", blank=True, help_text="What the source says, in its words, or where it comes from."
    )
    live_by = models.DateField(
        "on NextGen by",
        null=True,
        blank=True,
        db_index=True,
        help_text="An upper bound: the court was on NextGen by this day (used when no go-live date is known).",
        validators=[validate_sane_date],
    )
    live_by_source = models.CharField(
        "on-NextGen-by source", max_length=500, blank=True, help_text="An address, or a repository and path."
    )
    live_by_note = models.TextField("on-NextGen-by quote", blank=True)
    directory_source = models.CharField(
        max_length=80,
        blank=True,
        help_text="Where this court's directory row comes from ('administrator' once corrected by hand: kept).",
    )
    directory_as_of = models.DateField(
        "directory facts as of",
        null=True,
        blank=True,
        help_text="The date of the PACER feed the name, addresses and software version come from.",
    )
    directory_software_version = models.CharField("software version (PACER feed)", max_length=80, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["court_id"]

    def __str__(self):
        return f"{self.name} ({self.court_id})"

    @property
    def live_since(self) -> datetime.date | None:
        """The go-live date if known, else the on-NextGen-by bound (what "days since" counts from)."""
        return self.nextgen_go_live if self.nextgen_go_live is not None else self.live_by

    @property
    def live_since_is_bound(self) -> bool:
        return self.nextgen_go_live is None and self.live_by is not None

    @property
    def live_by_url(self) -> str:
        """The bound's source as a web address, when it is one (else a repository and path)."""
        return web_address(self.live_by_source)

    def nextgen_display(self) -> str:
        """The go-live date, or the bound said as one ("on NextGen by 2022-11-27"), or "not announced"."""
        if self.nextgen_go_live is not None:
            return self.nextgen_go_live.isoformat()
        if self.live_by is not None:
            return f"on NextGen by {self.live_by.isoformat()}"
        return "not announced"

"""Reads on courts: the directory with how the firm stands in each court."""

from attorneys.models import CourtLink, StepChange
from attorneys.selectors import count_per, status_counts
from attorneys.status import BLOCKING, LinkStatus
from firmlink import clock

from .models import Court


def court_list(*, today=None):
    """Every court with the firm's active e-filers there, how many cannot file, and how many are done."""
    today = today or clock.today()
    links = CourtLink.objects.with_status(today).filter(attorney__is_active=True)
    return Court.objects.annotate(
        efilers=count_per(links, "court", efiling_account=True),
        blocked=count_per(links, "court", status__in=BLOCKING, court__nextgen_go_live__lte=today),
        complete=count_per(links, "court", status=LinkStatus.COMPLETE),
    )


def court_detail(*, court_id: str, today=None):
    today = today or clock.today()
    court = Court.objects.get(court_id=court_id)
    links = (
        CourtLink.objects.with_status(today)
        .filter(court=court)
        .select_related("attorney", "court")
        .order_by("status_rank", "attorney__name", "pk")
    )
    history = StepChange.objects.filter(court=court, link=None).select_related("changed_by").order_by("-changed_at")
    return court, links, status_counts(links.filter(attorney__is_active=True)), history

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from attorneys import tokens, versioning
from core import clock, roles
from tasks.selectors import reminder_health

from .. import selectors
from .selfservice import absolute_url

LISTED = 50


class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "attorneys/overview.html"

    def get(self, request, *args, **kwargs):
        role = roles.role_of(request.user)
        if role == roles.Role.ATTORNEY:
            return redirect("attorney-detail", pk=request.user.attorney.pk)
        if role is None:
            raise PermissionDenied("Your account has no Firmlink role yet: ask an administrator.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = clock.today()
        links = selectors.link_list(user=self.request.user, today=today).filter(attorney__is_active=True)
        summary = versioning.cached(f"overview:{today}", lambda: selectors.overview(links, today, listed=LISTED))
        cannot_file = (
            links.cannot_file(today)
            .filter(court__in=summary.blocked_courts)
            .order_by("live_since", "attorney__name", "pk")
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": "overview",
            "today": today,
            "status_cards": list(summary.counts.items()),
            "total": summary.total,
            "cannot_file": cannot_file[:LISTED],
            "cannot_file_total": summary.cannot_file_total,
            "upcoming": summary.upcoming,
            "progress": summary.progress[:25],
            "recent": selectors.recent_changes(self.request.user),
            "links_unverified": versioning.cached(f"unverified:{today}", lambda: selectors.unverified_links(links)),
            "chart": _chart(summary.points),
            **reminder_health(),
            "firm_calendar_url": (calendar := reverse("firm-calendar", args=[tokens.firm_calendar_token()])),
            "firm_webcal_url": tokens.webcal(absolute_url(self.request, calendar)),
        }


def _chart(points, width=640, height=180, pad=30):
    """Server-rendered SVG: pairs in live courts with and without filing access, over time."""
    top = max([p["live"] for p in points] + [1])
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def line(key):
        scale = (height - 2 * pad) / top
        return " ".join(f"{pad + i * step:.1f},{height - pad - p[key] * scale:.1f}" for i, p in enumerate(points))

    return {
        "width": width,
        "height": height,
        "pad": pad,
        "top": top,
        "without": line("without_access"),
        "with": line("with_access"),
        "first": points[0]["day"] if points else None,
        "last": points[-1]["day"] if points else None,
        "latest": points[-1] if points else None,
        "baseline": height - pad,
    }

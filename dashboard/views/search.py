"""The header's search box: attorneys by name or email, courts by id or name."""

from django.db.models import Q
from django.shortcuts import redirect, render
from django.views import View

from courts.models import Court

from .. import selectors
from ..permissions import FirmMemberRequiredMixin

SHOWN = 25


class SearchView(FirmMemberRequiredMixin, View):
    def get(self, request):
        q = request.GET.get("q", "").strip()[:100]
        attorneys, courts = [], []
        if q:
            attorneys = list(
                selectors.attorneys_visible_to(request.user)
                .filter(Q(name__icontains=q) | Q(email__icontains=q))
                .order_by("name", "pk")[: SHOWN + 1]
            )
            courts = list(
                Court.objects.filter(Q(court_id__iexact=q) | Q(name__icontains=q)).order_by("court_id")[: SHOWN + 1]
            )
            exact = [c for c in courts if c.court_id == q.lower()]
            if len(attorneys) + len(courts) == 1 or (exact and not attorneys):
                if attorneys:
                    return redirect("attorney-detail", pk=attorneys[0].pk)
                return redirect("court-detail", court_id=(exact or courts)[0].court_id)
        return render(
            request,
            "attorneys/search.html",
            {"q": q, "attorneys": attorneys[:SHOWN], "courts": courts[:SHOWN], "more": SHOWN, "nav": "search"},
        )

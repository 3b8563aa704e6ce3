"""The firm's verification queue: what waits for a person's check, verifiable in bulk."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attorneys.services.steps import entries_verify
from core.audit import Actor
from core.exceptions import StepRefused

from .. import selectors
from ..filters import VerificationFilter
from ..forms import IdListField
from ..permissions import RecorderRequiredMixin
from ..tables import VerificationTable
from .mixins import PerPageMixin, next_url


class VerificationQueueView(RecorderRequiredMixin, PerPageMixin, SingleTableMixin, FilterView):
    template_name = "attorneys/verify.html"
    table_class = VerificationTable
    filterset_class = VerificationFilter

    def get_queryset(self):
        return selectors.verification_queue()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nav": "verify"}

    def post(self, request):
        try:
            ids = IdListField(required=False).clean(request.POST.getlist("changes"))
        except ValidationError:
            ids = []
        back = next_url(request, request.path)
        if not ids:
            messages.error(request, "Tick at least one entry to verify.")
            return HttpResponseRedirect(back)
        try:
            done = entries_verify(change_ids=ids, actor=Actor.for_user(request.user))
        except StepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request, f"{len(done)} entr{'y' if len(done) == 1 else 'ies'} verified; each is in the history."
            )
        return HttpResponseRedirect(back)

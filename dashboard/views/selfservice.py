"""The attorney's own checklist, reached from a signed link in a reminder email (no login).

The token stands for one attorney only. Confirmations go through the same step service as
the dashboard, recorded as made by the attorney, for staff to verify.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from attorneys import tokens
from attorneys.choices import PacerAccount, Step
from attorneys.models import CourtLink
from attorneys.services.steps import step_record
from core import clock
from core.audit import Actor
from core.dates import validate_sane_date
from core.exceptions import StepRefused
from core.roles import Role, role_of
from tasks.guidance import guidance_for, pacer_guidance

from ..calendar import attorney_calendar, firm_calendar, refused_calendar
from ..forms import NOTE

SELF_STEPS = {
    "pacer_upgraded": "PACER account upgraded",
    "cmecf_login_known": "Old CM/ECF login known",
    "linked": "Linked",
    "filing_menus": "Filing menus visible",
    "registered": "E-filing access granted",
}


class ConfirmForm(forms.Form):
    what = forms.ChoiceField(choices=list(SELF_STEPS.items()))
    link = forms.IntegerField(required=False)
    on = forms.DateField(required=False, validators=[validate_sane_date])
    cmecf_name = forms.CharField(required=False, max_length=200)
    pacer_name = forms.CharField(required=False, max_length=200)
    note = NOTE


def _attorney_or_page(request, token, purpose=tokens.SELF_SERVICE):
    try:
        return tokens.attorney_for(token, purpose), None
    except tokens.LinkRefused as refusal:
        status = 403 if isinstance(refusal, tokens.LinkInvalid) else 410
        return None, render(request, "attorneys/link_invalid.html", {"reason": refusal.reason}, status=status)


def checklist_page(request, attorney, *, confirm_url: str):
    """The attorney's own checklist with the confirmations they may make (link or login alike)."""
    today = clock.today()
    links = (
        CourtLink.objects.with_status(today)
        .with_live_since()
        .filter(attorney=attorney)
        .select_related("court")
        .order_by("status_rank", "live_since", "court__court_id")
    )
    courts = [
        {
            "link": link,
            "guidance": guidance_for(
                status=link.status,
                court=link.court,
                cmecf_login_known=link.cmecf_login_known,
                today=today,
                new_to_court=link.new_to_court,
            ),
        }
        for link in links
    ]
    calendar = absolute_url(request, reverse("attorney-calendar", args=[tokens.make(attorney, tokens.CALENDAR)]))
    return render(
        request,
        "attorneys/self_service.html",
        {
            "attorney": attorney,
            "courts": courts,
            "cannot_file": [c for c in courts if c["guidance"].urgent],
            "confirm_url": confirm_url,
            "today": today,
            "pacer_ready": attorney.pacer_ready,
            "pacer": pacer_guidance(pacer_account=attorney.pacer_account, pacer_individual=attorney.pacer_individual),
            "calendar_url": calendar,
            "webcal_url": tokens.webcal(calendar),
        },
    )


def absolute_url(request, path: str) -> str:
    return request.build_absolute_uri(path)


def record_confirmation(request, attorney) -> None:
    """One of the attorney's own confirmations, through the same step rules as the dashboard,
    recorded as made by the attorney (for staff to verify); the outcome as a message."""
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label or field.replace("_", " ").capitalize() if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return
    data = form.cleaned_data
    actor = Actor.attorney_self(attorney)
    link = None
    if data["what"] != "pacer_upgraded":
        link = attorney.links.filter(pk=data["link"]).select_related("court").first()
        if link is None:
            raise Http404("Not one of your courts.")
    try:
        if data["what"] == "pacer_upgraded":
            step_record(
                step=Step.PACER_ACCOUNT,
                actor=actor,
                attorney_id=attorney.pk,
                value=PacerAccount.UPGRADED,
                note=data["note"],
            )
        elif data["what"] == "cmecf_login_known":
            step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True, note=data["note"])
        elif data["what"] == "linked":
            step_record(
                step=Step.LINKED,
                actor=actor,
                link_id=link.pk,
                on=data["on"],
                cmecf_name=data["cmecf_name"],
                pacer_name=data["pacer_name"],
                note=data["note"],
            )
        elif data["what"] == "registered":
            step_record(step=Step.REGISTERED, actor=actor, link_id=link.pk, on=data["on"], note=data["note"])
        else:
            step_record(step=Step.FILING_MENUS, actor=actor, link_id=link.pk, on=data["on"], note=data["note"])
    except StepRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        where = f" for {link.court.court_id}" if link else ""
        messages.success(request, f"Thank you: “{SELF_STEPS[data['what']]}”{where} is recorded.")


class SelfServiceView(View):
    """Reached from a signed link in a reminder email, without a login."""

    def get(self, request, token):
        attorney, refusal = _attorney_or_page(request, token)
        if refusal:
            return refusal
        return checklist_page(request, attorney, confirm_url=reverse("self-service", args=[token]))

    def post(self, request, token):
        attorney, refusal = _attorney_or_page(request, token)
        if refusal:
            return refusal
        record_confirmation(request, attorney)
        return redirect("self-service", token=token)


class MyConfirmationView(LoginRequiredMixin, View):
    """An attorney signed in confirms their own steps, as the email link lets them."""

    def post(self, request):
        if role_of(request.user) != Role.ATTORNEY or not request.user.attorney.is_active:
            raise PermissionDenied("Only an attorney confirms their own steps here.")
        record_confirmation(request, request.user.attorney)
        return redirect("attorney-detail", pk=request.user.attorney.pk)


class AttorneyCalendarView(View):
    def get(self, request, token):
        try:
            attorney = tokens.attorney_for(token, tokens.CALENDAR)
        except tokens.LinkRefused as refusal:
            return _refused_calendar(refusal)
        return _ics(attorney_calendar(attorney), f"firmlink-{attorney.pk}.ics")


class FirmCalendarView(View):
    def get(self, request, token):
        try:
            tokens.check_firm_calendar(token)
        except tokens.LinkRefused as refusal:
            return _refused_calendar(refusal)
        return _ics(firm_calendar(), "firmlink-firm.ics")


def _refused_calendar(refusal: tokens.LinkRefused) -> HttpResponse:
    """A calendar application gets a calendar, not a web page: 410 Gone (expired, revoked) or 403,
    with one event today saying what happened, for the applications that show it."""
    response = _ics(refused_calendar(refusal.reason), "firmlink-link-refused.ics")
    response.status_code = 403 if isinstance(refusal, tokens.LinkInvalid) else 410
    return response


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

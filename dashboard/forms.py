"""Forms that collect one step each; the service decides whether the rules allow it."""

from django import forms

from attorneys.choices import PacerAccount, Step
from core import clock

NOTE = forms.CharField(
    required=False, max_length=2000, widget=forms.TextInput(attrs={"placeholder": "optional note"}), label="Note"
)


def _today():
    return clock.today()


class StepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    link = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = NOTE

    def clean_note(self):
        return self.cleaned_data["note"].strip()


class ToggleStepForm(StepForm):
    value = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes", widget=forms.HiddenInput
    )


class DatedStepForm(StepForm):
    on = forms.DateField(initial=_today, widget=forms.DateInput(attrs={"type": "date"}), label="Date")


class LinkStepForm(DatedStepForm):
    cmecf_name = forms.CharField(
        max_length=200, label="Name shown for CM/ECF", help_text="As the court's confirmation screen shows it."
    )
    pacer_name = forms.CharField(max_length=200, label="Name shown for PACER")
    irreversible = forms.BooleanField(
        label="I understand linking cannot be undone, and the two names are the same person.",
        error_messages={"required": "Confirm that you checked the names: linking cannot be undone."},
    )


class PacerAccountForm(StepForm):
    value = forms.ChoiceField(choices=PacerAccount.choices, label="PACER account")


FORM_OF_STEP = {
    Step.CMECF_LOGIN_KNOWN: ToggleStepForm,
    Step.EFILING_ACCOUNT: ToggleStepForm,
    Step.NEW_TO_COURT: ToggleStepForm,
    Step.PACER_INDIVIDUAL: ToggleStepForm,
    Step.LINKED: LinkStepForm,
    Step.FILING_MENUS: DatedStepForm,
    Step.REGISTERED: DatedStepForm,
    Step.PACER_ACCOUNT: PacerAccountForm,
}


def form_for(step: str, data=None, **initial):
    return FORM_OF_STEP[Step(step)](data=data, initial={"step": step, **initial}, prefix=None)


class IdListField(forms.Field):
    """A list of row ids from checkboxes; which rows the user may touch is the view's concern."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError("The selection is not a list of rows.") from None


BULK_CHOICES = [
    ("cmecf_login_known:yes", "Old CM/ECF login known"),
    ("cmecf_login_known:no", "Old CM/ECF login NOT known"),
    ("filing_menus:", "Filing menus visible (on the date below)"),
    ("efiling_account:no", "PACER access only here (no e-filing account)"),
]


class BulkStepForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_CHOICES, label="Record for the selected pairs")
    on = forms.DateField(initial=_today, widget=forms.DateInput(attrs={"type": "date"}), label="Date", required=False)
    note = NOTE
    links = IdListField(error_messages={"required": "Select at least one attorney-court pair in the table."})
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        step, _, value = cleaned.get("action", ":").partition(":")
        cleaned["step"], cleaned["value"] = step, value == "yes"
        if step == Step.FILING_MENUS and not cleaned.get("on"):
            self.add_error("on", "Give the date the menus were seen.")
        return cleaned


class GoLiveForm(forms.Form):
    go_live = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="NextGen go-live",
        help_text="Leave empty if the court has not announced a date.",
    )
    source_url = forms.URLField(required=False, assume_scheme="https", label="Source (court notice address)")
    note = forms.CharField(
        max_length=2000,
        label="Where the corrected date comes from",
        widget=forms.TextInput(attrs={"placeholder": "e.g. clerk's notice of 2021-05-03"}),
    )

"""Forms that collect one step each; the service decides whether the rules allow it."""

from django import forms

from attorneys.choices import PacerAccount, Step
from attorneys.models import Attorney
from core import clock
from core.dates import validate_sane_date
from core.roles import Role
from core.secrets import refuse_credentials

NOTE = forms.CharField(
    required=False,
    max_length=2000,
    widget=forms.TextInput(attrs={"placeholder": "optional note"}),
    label="Note",
    validators=[refuse_credentials],
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
    on = forms.DateField(
        initial=_today, widget=forms.DateInput(attrs={"type": "date"}), label="Date", validators=[validate_sane_date]
    )


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
    on = forms.DateField(
        initial=_today,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Date",
        required=False,
        validators=[validate_sane_date],
    )
    note = NOTE
    links = IdListField(required=False)
    select_all = forms.BooleanField(required=False, label="Every matching pair, on every page")
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("links") and not cleaned.get("select_all"):
            self.add_error("links", "Select at least one attorney-court pair in the table.")
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
        validators=[validate_sane_date],
    )
    source_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Source (court notice address)"
    )
    # The date whose impact was shown: a confirmation holds for that date only.
    confirm_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def confirmed(self) -> bool:
        go_live = self.cleaned_data.get("go_live")
        return self.cleaned_data.get("confirm_for") == (go_live.isoformat() if go_live else "none")

    note = forms.CharField(
        max_length=2000,
        validators=[refuse_credentials],
        label="Where the corrected date comes from",
        widget=forms.TextInput(attrs={"placeholder": "e.g. clerk's notice of 2021-05-03"}),
    )


class StyledFormMixin:
    """Bootstrap classes on every widget, so that ``includes/form_fields.html`` can render any form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class AttorneyForm(StyledFormMixin, forms.ModelForm):
    """An attorney's roster details; PACER steps are recorded on the attorney's page."""

    note = forms.CharField(
        required=False, max_length=2000, label="Note (kept in the history)", validators=[refuse_credentials]
    )

    class Meta:
        model = Attorney
        fields = ["name", "email", "bar_number", "pacer_username"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = Attorney.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).first()
        if taken:
            raise forms.ValidationError(f"{taken.name} already has this email address.")
        return email


class NewAttorneyForm(AttorneyForm):
    pacer_account = forms.ChoiceField(choices=PacerAccount.choices, initial=PacerAccount.NONE, label="PACER account")
    pacer_individual = forms.BooleanField(required=False, initial=True, label="Individual PACER account (not shared)")


class LoginForm(StyledFormMixin, forms.Form):
    """A Firmlink login, its role and (for an attorney) whose checklist it opens."""

    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices)
    attorney = forms.ModelChoiceField(
        queryset=Attorney.objects.order_by("name"),
        required=False,
        help_text="For an attorney's login: the attorney whose checklist it opens.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active (may sign in)")
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The Firmlink password to start with (the user changes it); leave empty to keep it.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.ATTORNEY and not cleaned.get("attorney"):
            self.add_error("attorney", "Choose the attorney whose checklist this login opens.")
        return cleaned


class RevokeLinksForm(forms.Form):
    note = NOTE


class CampaignStepForm(forms.Form):
    """One step of a campaign per attorney; what the value must be is the step's own rule (campaigns.values)."""

    step = forms.ChoiceField(choices=())
    on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_sane_date]
    )
    value = forms.CharField(required=False, max_length=1000)
    note = NOTE
    court = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["step"].choices = [(step.key, step.label) for step in campaign.steps]


class CampaignBulkForm(CampaignStepForm):
    attorneys = IdListField(required=False)
    select_all = forms.BooleanField(required=False)
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("attorneys") and not cleaned.get("select_all"):
            self.add_error("attorneys", "Select at least one attorney in the table.")
        return cleaned


class CampaignSettingsForm(StyledFormMixin, forms.Form):
    deadline = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_sane_date]
    )
    starts_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_sane_date]
    )
    scope = forms.ChoiceField(choices=())
    reminders_on = forms.BooleanField(required=False, label="Send this campaign's reminders")
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_credentials],
        label="A word from the firm (campaign page and emails)",
    )
    note = forms.CharField(max_length=2000, validators=[refuse_credentials], label="Why (in the history)")


class CourtDateForm(forms.Form):
    """A campaign's date in one court, corrected by an administrator; empty: back to the definition's."""

    court_id = forms.SlugField(max_length=20)
    date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_sane_date]
    )
    note = forms.CharField(max_length=2000, validators=[refuse_credentials], label="Why (in the history)")


class StaffForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=200, validators=[refuse_credentials])
    email = forms.EmailField(required=False)
    note = forms.CharField(required=False, max_length=2000, validators=[refuse_credentials], label="Note (history)")

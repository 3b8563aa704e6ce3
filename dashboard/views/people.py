"""People (administrators): attorneys added, edited, deactivated and reactivated; Firmlink logins
for attorneys and staff with their role. Every change goes through a service, into the history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from attorneys.models import Attorney, StaffMember
from attorneys.services.people import locked_out, login_save, login_unlock, staff_add, staff_left
from attorneys.services.records import attorney_create, attorney_update, links_revoke
from core.audit import Actor
from core.exceptions import StepRefused
from core.roles import role_of

from ..forms import AttorneyForm, LoginForm, NewAttorneyForm, RevokeLinksForm, StaffForm
from ..permissions import AdministratorRequiredMixin


def _refusal_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AttorneyCreateView(AdministratorRequiredMixin, View):
    template_name = "people/attorney_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": NewAttorneyForm(), "nav": "attorneys"})

    def post(self, request):
        form = NewAttorneyForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note")
            try:
                attorney = attorney_create(actor=Actor.for_user(request.user), note=note, **data)
            except ValidationError as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, f"{attorney.name} added; add their courts on the roster or in the admin.")
                return redirect("attorney-detail", pk=attorney.pk)
        return render(request, self.template_name, {"form": form, "nav": "attorneys"}, status=400)


class AttorneyEditView(AdministratorRequiredMixin, View):
    template_name = "people/attorney_form.html"

    def get(self, request, pk):
        attorney = get_object_or_404(Attorney, pk=pk)
        return render(request, self.template_name, {"form": AttorneyForm(instance=attorney), "attorney": attorney})

    def post(self, request, pk):
        attorney = get_object_or_404(Attorney, pk=pk)
        form = AttorneyForm(request.POST, instance=Attorney.objects.get(pk=pk))
        if form.is_valid():
            data = {field: form.cleaned_data[field] for field in AttorneyForm.Meta.fields}
            try:
                changes = attorney_update(
                    attorney_id=pk, actor=Actor.for_user(request.user), note=form.cleaned_data["note"], **data
                )
            except ValidationError as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, f"{len(changes)} change(s) recorded for {data['name']}.")
                return redirect("attorney-detail", pk=pk)
        return render(request, self.template_name, {"form": form, "attorney": attorney}, status=400)


class AttorneyActiveView(AdministratorRequiredMixin, View):
    """Deactivate a departed attorney (no reminders, not counted, login closed) or reactivate them."""

    def post(self, request, pk):
        attorney = get_object_or_404(Attorney, pk=pk)
        active = request.POST.get("active") == "yes"
        note = request.POST.get("note", "").strip()[:2000]
        try:
            attorney_update(attorney_id=pk, actor=Actor.for_user(request.user), note=note, is_active=active)
        except StepRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("attorney-detail", pk=pk)
        if attorney.user_id and not active:
            login_save(
                actor=Actor.for_user(request.user),
                user_id=attorney.user_id,
                username=attorney.user.get_username(),
                role=role_of(attorney.user) or "",
                first_name=attorney.user.first_name,
                last_name=attorney.user.last_name,
                email=attorney.user.email,
                attorney_id=attorney.pk,
                is_active=False,
            )
        messages.success(
            request, f"{attorney.name} {'reactivated' if active else 'deactivated'}; it is in the history."
        )
        return redirect("attorney-detail", pk=pk)


class AttorneyLinksRevokeView(AdministratorRequiredMixin, View):
    """Every checklist and calendar link sent to the attorney stops working (a forwarded email, a
    calendar shared by mistake); the next reminder carries new ones."""

    def post(self, request, pk):
        form = RevokeLinksForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
            return redirect("attorney-detail", pk=pk)
        attorney = get_object_or_404(Attorney, pk=pk)
        links_revoke(actor=Actor.for_user(request.user), attorney_id=attorney.pk, note=form.cleaned_data["note"])
        messages.success(
            request,
            f"Every email and calendar link sent to {attorney.name} so far is revoked; the next reminder brings new "
            "ones. It is in the history.",
        )
        return redirect("attorney-detail", pk=pk)


class LoginListView(AdministratorRequiredMixin, ListView):
    template_name = "people/login_list.html"
    paginate_by = 100

    def get_queryset(self):
        return get_user_model().objects.select_related("attorney").prefetch_related("groups").order_by("username")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locked = locked_out(user.get_username() for user in context["object_list"])
        for user in context["object_list"]:
            user.firm_role = role_of(user)
            user.locked_failures = locked.get(user.get_username())
        return {**context, "nav": "logins"}


class LoginEditView(AdministratorRequiredMixin, View):
    """Create a login (no ``pk``) or change one: role, active, the attorney it belongs to."""

    template_name = "people/login_form.html"

    def initial(self, user) -> dict:
        attorney = Attorney.objects.filter(user=user).first()
        return {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": role_of(user) or "",
            "attorney": attorney,
            "is_active": user.is_active,
        }

    def form(self, user, *args, **kwargs) -> LoginForm:
        form = LoginForm(*args, **kwargs)
        form.fields["username"].disabled = user is not None  # a username stays what it was
        return form

    def context(self, user, form) -> dict:
        locked = locked_out([user.get_username()]).get(user.get_username()) if user else None
        return {
            "form": form,
            "login": user,
            "locked_failures": locked,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "nav": "logins",
        }

    def get(self, request, pk=None):
        user = get_object_or_404(get_user_model(), pk=pk) if pk else None
        form = self.form(user, initial=self.initial(user) if user else {"is_active": True})
        return render(request, self.template_name, self.context(user, form))

    def post(self, request, pk=None):
        user = get_object_or_404(get_user_model(), pk=pk) if pk else None
        form = self.form(user, request.POST, initial=self.initial(user) if user else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = login_save(
                    actor=Actor.for_user(request.user),
                    user_id=user.pk if user else None,
                    username=data["username"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    attorney_id=data["attorney"].pk if data["attorney"] else None,
                    is_active=data["is_active"],
                    password=data["password"] or None,
                )
            except StepRefused as refusal:
                form.add_error(None, refusal.messages)
            except ValidationError as exc:
                form.add_error("password", exc.messages)
            else:
                messages.success(request, f"Login {saved.get_username()} saved.")
                return redirect("login-list")
        return render(request, self.template_name, self.context(user, form), status=400)


class LoginUnlockView(AdministratorRequiredMixin, View):
    """Lift a sign-in lockout before its time runs out."""

    def post(self, request, pk):
        user = get_object_or_404(get_user_model(), pk=pk)
        failures = login_unlock(actor=Actor.for_user(request.user), user=user)
        messages.success(
            request,
            f"{user.get_username()} can sign in again"
            + (f" ({failures} failed sign-ins forgotten)." if failures else " (it was not locked)."),
        )
        return redirect("login-edit", pk=pk)


class FirmlinkLoginView(auth_views.LoginView):
    """Django's sign-in, saying how many wrong passwords lock an account (django-axes counts them)."""

    def get_context_data(self, **kwargs):
        cooloff = settings.AXES_COOLOFF_TIME
        return {
            **super().get_context_data(**kwargs),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
        }


class StaffListView(AdministratorRequiredMixin, View):
    """Staff Firmlink knows without a login (filing agents, authenticator holders): listed, added, and
    marked as left, which records their departure wherever a campaign names them."""

    template_name = "people/staff_list.html"

    def render_page(self, request, form, status=200):
        context = {"staff": StaffMember.objects.all(), "form": form, "nav": "staff"}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request, StaffForm())

    def post(self, request):
        form = StaffForm(request.POST)
        if form.is_valid():
            try:
                member = staff_add(actor=Actor.for_user(request.user), **form.cleaned_data)
            except StepRefused as refusal:
                form.add_error("name", refusal.messages)
            else:
                messages.success(request, f"{member.name} added to the staff list.")
                return redirect("staff-list")
        return self.render_page(request, form, status=400)


class StaffLeftView(AdministratorRequiredMixin, View):
    def post(self, request, pk):
        member = get_object_or_404(StaffMember, pk=pk)
        member = staff_left(actor=Actor.for_user(request.user), pk=member.pk, note="marked as left on the staff list")
        messages.success(
            request,
            f"{member.name} left the firm on {member.left_on.isoformat()}: "
            "the campaigns naming them show a review due.",
        )
        return redirect("staff-list")

"""Forms for signing in, two-factor codes, roles, organization settings and the audit filter,
and the one way every view handles a posted form (`save_or_add_errors`, `flash_errors`, and
`post_and_redirect`, which joins them for a form posted from a page that it returns to)."""

from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse

from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.core.models import Role
from powerbase.core.queries import AuditFilter


def save_or_add_errors[Saved](form: forms.BaseForm, save: Callable[[], Saved]) -> Saved | None:
    """Return what *save* returns if *form* is valid and the service accepts it, else None.

    The service's refusal (`InvalidInput` or `Conflict`) lands on the form like the form's
    own errors: next to the field it names, a bad row of a file next to the form's one file
    field, anything else at the top. The view then renders the form again, or flashes it with
    `flash_errors`. When *save* itself returns None, tell the outcomes apart by `form.errors`.
    """
    if not form.is_valid():
        return None
    try:
        return save()
    except (InvalidInput, Conflict) as error:
        form.add_error(_field_at_fault(form, error), error.message)
    return None


def _field_at_fault(form: forms.BaseForm, error: InvalidInput | Conflict) -> str | None:
    if error.field in form.fields:
        return error.field
    uploads = [name for name, field in form.fields.items() if isinstance(field, forms.FileField)]
    if isinstance(error, RowError) and len(uploads) == 1:
        return uploads[0]
    return None


def error_sentences(form: forms.BaseForm) -> str:
    """Return every error of *form* as sentences, each field's prefixed by its label."""
    sentences = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label or name.replace("_", " ").capitalize()) if field else ""
        sentences += [f"{label}: {error}" if label else str(error) for error in errors]
    return " ".join(sentences)


def flash_errors(request, form: forms.BaseForm) -> bool:
    """Show *form*'s errors as one message on the next page; return whether there were any.

    For a form posted from one page that redirects back to it instead of rendering the form
    again: the message still names each field at fault.
    """
    if not form.errors:
        return False
    messages.error(request, error_sentences(form))
    return True


def post_and_redirect[Saved](
    request,
    form: forms.BaseForm,
    save: Callable[[], Saved],
    *,
    success: Callable[[Saved], str],
    back: Callable[[], HttpResponse],
    onward: Callable[[Saved], HttpResponse] | None = None,
) -> HttpResponse:
    """The frame of a form posted from a page: save through the service, say what was done.

    The view has already found the object (through `access` or `queries`) and bound *form*;
    *save* calls the service with it. A valid form the service accepts flashes *success* of
    what it returned and goes *onward* to it (or *back*, when there is no onward page); a form
    or service error is flashed field by field (`flash_errors`) and goes *back*.
    """
    saved = save_or_add_errors(form, save)
    if flash_errors(request, form) or saved is None:
        return back()
    messages.success(request, success(saved))
    return onward(saved) if onward is not None else back()


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    error_messages = {
        "invalid_login": "That email and password do not match an account. Check both and try "
        "again; after 5 failed tries, sign-in is paused for 30 minutes.",
        "inactive": "This account has been deactivated. Ask an admin of your organization.",
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code from your authenticator app (or a recovery code)",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ConfirmPasswordForm(forms.Form):
    """The signed-in user's password, typed again; checked through axes like a sign-in."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        from django.contrib.auth import authenticate

        password = self.cleaned_data["password"]
        user = authenticate(self.request, username=self.request.user.email, password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(
                "That is not your password. Try again; after 5 wrong "
                "tries, it is paused for 30 minutes."
            )
        return password


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    name = forms.CharField(label="Name", max_length=200, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    require_two_factor = forms.BooleanField(
        label="Require two-factor sign-in for roles that export data or see sensitive fields",
        required=False,
    )
    link_after_import = forms.BooleanField(
        label="After a list import, link the new people to the voter file", required=False
    )
    ballot_line = forms.CharField(
        label="Your ballot line (fusion voting)",
        required=False,
        max_length=40,
        help_text="The party code election results give your line, e.g. WFP. Election and "
        "race pages show what it delivered against the margin.",
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(label="Who (email contains)", required=False, max_length=254)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", "Any action")] + [(a, a) for a in actions]

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            since=data.get("since"),
            until=data.get("until"),
        )

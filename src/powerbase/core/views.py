"""Pages for signing in, accounts and two-factor, roles, the audit log, jobs and settings.

Each view parses the request, looks up through `access`, calls a service and renders.
"""

import base64
from collections.abc import Callable
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from powerbase.core import access, audit, exports, queries, services, sessions, throttles
from powerbase.core.access import Actor
from powerbase.core.decorators import org_view, public_view, require_recent_auth, signed_in_view
from powerbase.core.exceptions import Conflict, NotFound, PermissionDenied
from powerbase.core.forms import (
    AuditFilterForm,
    ConfirmPasswordForm,
    InviteForm,
    OrganizationSettingsForm,
    RoleForm,
    SignInForm,
    TokenForm,
    save_or_add_errors,
)
from powerbase.core.job_kinds import EXPORT_KINDS
from powerbase.core.middleware import client_ip
from powerbase.core.models import Membership, Role
from powerbase.core.navigation import DOMAINS_BY_KEY

# Signing in and out --------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # While `powerbase demo` loads its data the page says how far it got (and polls).
        return super().get_context_data(**kwargs, demo_loading=queries.demo_loading())

    def post(self, request, *args, **kwargs):
        # Password spraying: many usernames from one address. Refused before the password is
        # checked, so a right guess from a throttled address gets in no more than a wrong one.
        if throttles.sign_in_failures_per_address().reached(client_ip(request) or ""):
            services.record_address_throttled(username=request.POST.get("username", ""))
            return render(request, "core/locked_out.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_sign_in(user=form.get_user())
        if user_has_device(form.get_user()):
            next_url = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('core:two_factor_verify')}?{next_url}")
        return response

    def form_invalid(self, form):
        locked_out = getattr(self.request, "axes_locked_out", False)
        throttles.sign_in_failures_per_address().add(client_ip(self.request) or "")
        services.record_failed_sign_in(
            username=self.request.POST.get("username", ""), locked_out=locked_out
        )
        return super().form_invalid(form)


login = public_view(SignInView.as_view())


@public_view
@require_POST
def logout(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    auth_logout(request)
    messages.info(request, "You are signed out.")
    return redirect("core:login")


@public_view
def healthz(request):
    return JsonResponse({"status": "ok"})


@signed_in_view
def home(request):
    """Send the user to the organization they used last, or the first they belong to."""
    organizations = access.organizations(request.user)
    last = request.session.get("last_organization")
    # Without a last-used organization, start where the person got their first role.
    first_role = Membership.objects.filter(user=request.user).order_by("created_at").first()
    chosen = organizations.filter(slug=last).first() or (first_role and first_role.organization)
    if chosen is None:
        return render(request, "core/no_organization.html")
    return redirect("power:dashboard", org=chosen.slug)


# Account and two-factor ----------------------------------------------------------------------


@signed_in_view
def account(request):
    return render(
        request,
        "core/account.html",
        {
            "organizations": access.organizations(request.user),
            "memberships": Membership.objects.filter(user=request.user).select_related(
                "organization"
            ),
            "has_two_factor": user_has_device(request.user),
            "recovery_codes_left": services.unused_recovery_codes(request.user),
        },
    )


@signed_in_view
def two_factor_setup(request):
    """Show a QR code for an authenticator app and confirm it with the first code."""
    if user_has_device(request.user):
        return render(request, "core/two_factor_enabled.html")
    device = services.start_two_factor_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_two_factor(
            user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            # Shown once, on this response only: neither kept in the session nor re-viewable.
            return render(
                request,
                "core/recovery_codes.html",
                {"codes": services.issue_recovery_codes(user=request.user), "first_time": True},
            )
        form.add_error(
            "token",
            "That code does not match. Codes change every 30 seconds: "
            "enter the one your app shows now.",
        )
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_data_uri(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required_by": request.GET.get("required", ""),
        },
    )


@signed_in_view
def two_factor_verify(request):
    """Ask a user who has an authenticator for its current code, once per session."""
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("core:home")
    if request.user.is_verified() or not user_has_device(request.user):
        return redirect(next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verified_device(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        services.record_failed_sign_in(username=request.user.email, locked_out=False)
        form.add_error(
            "token",
            "That code does not match. Enter the code your app shows now, "
            "or one of your unused recovery codes.",
        )
    return render(request, "core/two_factor_verify.html", {"form": form, "next": next_url})


def _verified_device(user, token: str):
    """Return the device *token* verifies: the app's code, or a recovery code standing in."""
    token = token.strip()
    if token.replace(" ", "").isdigit():
        return match_token(user, token.replace(" ", ""))
    if services.use_recovery_code(user=user, code=token):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return None


@signed_in_view
@require_POST
@require_recent_auth
def two_factor_disable(request):
    services.disable_two_factor(user=request.user)
    messages.info(request, "Two-factor sign-in is off.")
    return redirect("core:account")


@signed_in_view
@require_POST
@require_recent_auth
def recovery_codes(request):
    """Replace the user's recovery codes with a new set, shown once."""
    if not user_has_device(request.user):
        messages.error(
            request, "Turn on two-factor sign-in first; recovery codes stand in for its app."
        )
        return redirect("core:account")
    return render(
        request,
        "core/recovery_codes.html",
        {"codes": services.issue_recovery_codes(user=request.user), "first_time": False},
    )


@signed_in_view
def confirm_password(request):
    """Ask for the password again before a risky step; then return to that step."""
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("core:home")
    form = ConfirmPasswordForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        sessions.mark_password_entered(request)
        services.record_password_confirmed(user=request.user)
        return redirect(next_url)
    if request.method == "POST":
        services.record_failed_sign_in(
            username=request.user.email, locked_out=getattr(request, "axes_locked_out", False)
        )
    return render(
        request,
        "core/confirm_password.html",
        {"form": form, "next": next_url, "minutes": settings.RECENT_AUTH_MINUTES},
    )


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# Users and roles -----------------------------------------------------------------------------


@org_view("members.view")
def members(request, actor: Actor):
    return render(
        request,
        "core/members.html",
        {
            "memberships": queries.memberships(actor),
            "may_manage": actor.can("members.manage"),
        },
    )


def _with_role_refusal[Saved](form, save: Callable[[], Saved]) -> Saved | None:
    """As `save_or_add_errors`; a role only an owner may give is refused on the role field."""
    try:
        return save_or_add_errors(form, save)
    except PermissionDenied as error:
        form.add_error("role", error.message)
        return None


@org_view("members.manage", methods=("GET", "POST"))
@require_recent_auth
def member_add(request, actor: Actor):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = _with_role_refusal(
            form,
            lambda: services.invite_member(
                actor=actor,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            ),
        )
        if membership is not None:
            messages.success(
                request,
                f"{membership.user.email} is now "
                f"{membership.get_role_display().lower()}; we emailed them.",
            )
            return redirect("core:member", org=actor.organization.slug, member_id=membership.pk)
    return render(request, "core/member_add.html", {"form": form})


@org_view("members.manage", methods=("GET", "POST"))
@require_recent_auth
def member(request, actor: Actor, member_id: int):
    membership = access.get(actor, Membership.objects.select_related("user"), pk=member_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        _with_role_refusal(
            form,
            lambda: services.change_role(
                actor=actor, membership=membership, role=form.cleaned_data["role"]
            ),
        )
        if not form.errors:
            messages.success(request, f"Saved the role of {membership.user.email}.")
            if form.cleaned_data["role"] == Role.AFFILIATE_LEAD:
                # Which affiliates a lead speaks for is the coalition's business.
                return redirect(
                    "coalition:lead_affiliates",
                    org=actor.organization.slug,
                    member_id=membership.pk,
                )
            return redirect("core:members", org=actor.organization.slug)
    return render(request, "core/member.html", {"membership": membership, "form": form})


@org_view("members.manage", methods=("POST",))
def member_remove(request, actor: Actor, member_id: int):
    membership = access.get(actor, Membership.objects.select_related("user"), pk=member_id)
    try:
        services.remove_member(actor=actor, membership=membership)
    except (Conflict, PermissionDenied) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user.email} no longer has a role here.")
    return redirect("core:members", org=actor.organization.slug)


# Organization settings, audit log, jobs -------------------------------------------------------


@org_view("org.manage", methods=("GET", "POST"))
def organization_settings(request, actor: Actor):
    organization = actor.organization
    form = OrganizationSettingsForm(
        request.POST or None,
        initial={
            "name": organization.name,
            "require_two_factor": organization.require_two_factor,
            "link_after_import": organization.link_after_import,
            "ballot_line": organization.ballot_line,
        },
    )
    if request.method == "POST" and form.is_valid():
        save_or_add_errors(
            form, lambda: services.update_organization_settings(actor=actor, **form.cleaned_data)
        )
        if not form.errors:
            messages.success(request, "Settings saved.")
            return redirect("core:settings", org=organization.slug)
    return render(
        request,
        "core/settings.html",
        {
            "form": form,
            "organization": organization,
            "two_factor_roles": sorted(Role(r).label for r in access.roles_requiring_two_factor()),
        },
    )


@org_view("audit.view")
def audit_log(request, actor: Actor):
    form = AuditFilterForm(request.GET or None, actions=queries.audit_actions(actor))
    entries = queries.audit_entries(actor, form.to_filter())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = [audit.for_display(entry) for entry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@org_view("jobs.view")
def jobs(request, actor: Actor):
    return render(request, "core/jobs.html", {"jobs": queries.recent_jobs(actor, limit=100)})


@org_view("jobs.view")
def job(request, actor: Actor, job_id: int):
    """Show one job; htmx polls the same address for the progress fragment."""
    job = access.get(actor, access.jobs(actor).select_related("started_by"), pk=job_id)
    if job.kind in EXPORT_KINDS and job.started_by == actor.user and not request.htmx:
        return redirect("core:export", org=actor.organization.slug, export_id=job.pk)  # its link
    template = "core/_job_progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


@org_view("jobs.view")
def my_exports(request, actor: Actor):
    """The files the signed-in person asked to export: size, rows, status, download."""
    return render(
        request,
        "core/exports.html",
        {
            "exports": exports.mine(actor)[:50],
            "retention_hours": _retention_hours(),
            "inline_limit": settings.EXPORT_INLINE_LIMIT,
        },
    )


@org_view("jobs.view")
def export(request, actor: Actor, export_id: int):
    """One export's progress bar and, when ready, its download link; htmx polls it."""
    job = exports.get(actor, export_id)
    template = "core/_job_progress.html" if request.htmx else "core/export.html"
    return render(request, template, _export_context(actor, job))


def _export_context(actor: Actor, job) -> dict:
    slug = actor.organization.slug
    return {
        "job": job,
        "poll_url": reverse("core:export", kwargs={"org": slug, "export_id": job.pk}),
        "download_url": reverse("core:export_download", kwargs={"org": slug, "export_id": job.pk})
        if exports.is_ready(job)
        else "",
        "retention_hours": _retention_hours(),
    }


def _retention_hours() -> int:
    return int(settings.EXPORT_RETENTION.total_seconds() // 3600)


@org_view("jobs.view")
def export_download(request, actor: Actor, export_id: int):
    path, file_name = exports.download(actor, export_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=file_name)


@org_view("org.view")
def coming(request, actor: Actor, domain: str):
    """Say what a domain will hold before it is built, instead of a broken link."""
    if domain not in DOMAINS_BY_KEY:
        raise NotFound("That section")
    return render(request, "core/coming.html", {"domain": DOMAINS_BY_KEY[domain]})


# Password reset (Django's views, our templates) -----------------------------------------------


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with a cap on emails per address and per account each hour.

    Requests are counted by the email typed, whether or not an account has it, so the refusal
    says nothing about who has an account.
    """

    def form_valid(self, form):
        address = client_ip(self.request) or ""
        email = form.cleaned_data["email"].strip().lower()
        per_address = throttles.reset_emails_per_address()
        per_account = throttles.reset_emails_per_account()
        if per_address.reached(address) or per_account.reached(email):
            return render(self.request, "core/password_reset_limited.html", status=429)
        per_address.add(address)
        per_account.add(email)
        return super().form_valid(form)


password_reset = public_view(
    LimitedPasswordResetView.as_view(
        template_name="core/password_reset.html",
        email_template_name="core/email/password_reset.txt",
        subject_template_name="core/email/password_reset_subject.txt",
        success_url=reverse_lazy("core:password_reset_done"),
    )
)
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html")
)
password_reset_confirm = public_view(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="core/password_reset_confirm.html",
        success_url=reverse_lazy("core:password_reset_complete"),
    )
)
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_complete.html")
)
password_change = signed_in_view(
    auth_views.PasswordChangeView.as_view(
        template_name="core/password_change.html", success_url=reverse_lazy("core:account")
    )
)


def error_403(request, exception=None):
    message = getattr(exception, "message", "You do not have access to this page.")
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors' queries, no user: only the id that finds the log entry.
    return render(
        request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500
    )


def csrf_failure(request, reason=""):
    return HttpResponse(
        "The form expired or came from another site. Go back, reload the page and try again.",
        status=403,
        content_type="text/plain",
    )

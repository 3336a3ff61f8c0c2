"""Request-wide concerns: a request id for logs and the 500 page, the client's address for the
audit log, the session's 12-hour cap, two-factor verification, and keeping pages out of browser
and proxy caches."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_otp import user_has_device

from powerbase.core import audit, logs, services, sessions


class RequestIdMiddleware:
    """Give every request an id: in each log line it causes, the X-Request-ID header and the
    500 page, so a person's "it broke" can be matched to the traceback without sharing data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        token = logs.request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Mark every response the application makes `Cache-Control: no-store`.

    Person pages, lists, exports, walk and phone lists, ballots and receipts all carry personal
    data, and a browser's back button or a shared computer's disk cache would keep them after
    sign-out. Static files are served before this runs and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response


class SessionLimitsMiddleware:
    """End a session SESSION_ABSOLUTE_HOURS after its sign-in, however active it has been."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and sessions.past_absolute_limit(request):
            services.record_session_expired(user=request.user)
            logout(request)
            messages.info(
                request,
                f"For safety a sign-in lasts at most "
                f"{settings.SESSION_ABSOLUTE_HOURS} hours. Sign in again.",
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ClientAddressMiddleware:
    """Make the client's IP address available to `audit.record` for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.client_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.client_address.reset(token)


def client_ip(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own proxy the first forwarded address is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class TwoFactorVerificationMiddleware:
    """Send a signed-in user who has an authenticator to enter its code before anything else."""

    ALLOWED_PREFIXES = ("/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.path not in {reverse("core:two_factor_verify"), reverse("core:logout")}
            and user_has_device(user)
        ):
            next_url = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('core:two_factor_verify')}?{next_url}")
        return self.get_response(request)

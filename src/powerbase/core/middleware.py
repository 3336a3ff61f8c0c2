"""Request-wide concerns: a request id for logs and the 500 page, the client's address for the
audit log, two-factor verification."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from powerbase.core import audit, logs


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

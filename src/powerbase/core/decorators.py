"""How a view declares who may open it. Every view in powerbase wears exactly one of these.

    @public_view                    anyone, signed in or not (sign-in, password reset)
    @signed_in_view                 any signed-in user (their own account pages)
    @org_view("audit.view")         a user with a role in the organization named in the URL
                                    whose role holds the permission; the view gets the Actor

The URL-permission test reads the `access_rule` these leave on the view, so a view without
one fails the suite.

    @require_recent_auth            inside one of the above: the password must have been typed
                                    in the last RECENT_AUTH_MINUTES (turning two-factor off,
                                    granting roles, full exports)
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from powerbase.core import access, sessions
from powerbase.core.access import Actor


def public_view(view: Callable) -> Callable:
    return _with_access_rule(view, "public")


def signed_in_view(view: Callable, methods: tuple[str, ...] = ("GET", "POST")) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return require_http_methods(methods)(_with_access_rule(wrapper, "signed_in"))


def org_view(permission: str, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Resolve the URL's organization to an Actor, enforce *permission*, pass the Actor on."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, org: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = access.actor_for(request.user, org)
            if needs_two_factor_setup(request, actor):
                return redirect(f"{_setup_url()}?required={actor.organization.slug}")
            access.require(actor, permission)
            request.actor = actor
            request.session["last_organization"] = actor.organization.slug
            return view(request, actor, *args, **kwargs)

        return require_http_methods(list(methods))(_with_access_rule(wrapper, f"org:{permission}"))

    return decorator


def _with_access_rule[V: Callable](view: V, rule: str) -> V:
    # The URL permission test reads `access_rule` off each view (`functools.wraps` carries it
    # to the outer wrappers); a function attribute is not part of any Callable type.
    vars(view)["access_rule"] = rule
    return view


def needs_two_factor_setup(request, actor: Actor) -> bool:
    """True when the organization requires two-factor for this role and the user has none."""
    return (
        actor.organization.require_two_factor
        and actor.role in access.roles_requiring_two_factor()
        and not user_has_device(request.user)
    )


def _setup_url() -> str:
    return reverse("core:two_factor_setup")


def require_recent_auth(view: Callable) -> Callable:
    """Ask for the password again unless it was typed in the last RECENT_AUTH_MINUTES.

    Put it under `org_view` or `signed_in_view`, so who may use the page is decided first. A
    form posted with a stale password is not acted on: the person confirms their password and
    comes back to the page the form was on, to send it again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if sessions.password_entered_recently(request):
            return view(request, *args, **kwargs)
        next_url = request.get_full_path() if request.method == "GET" else _page_before(request)
        return redirect(f"{reverse('core:confirm_password')}?{urlencode({'next': next_url})}")

    return wrapper


def _page_before(request) -> str:
    """The same-site page a form was posted from, or the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("core:home")

"""How a view declares who may open it. Every view in powerbase wears exactly one of these.

    @public_view                    anyone, signed in or not (sign-in, password reset)
    @signed_in_view                 any signed-in user (their own account pages)
    @org_view("audit.view")         a user with a role in the organization named in the URL
                                    whose role holds the permission; the view gets the Actor

The URL-permission test reads the `access_rule` these leave on the view, so a view without
one fails the suite.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from powerbase.core import access
from powerbase.core.access import Actor


def public_view(view: Callable) -> Callable:
    view.access_rule = "public"
    return view


def signed_in_view(view: Callable, methods: tuple[str, ...] = ("GET", "POST")) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access_rule = "signed_in"
    return require_http_methods(methods)(wrapper)


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

        wrapper.access_rule = f"org:{permission}"
        return require_http_methods(list(methods))(wrapper)

    return decorator


def needs_two_factor_setup(request, actor: Actor) -> bool:
    """True when the organization requires two-factor for this role and the user has none."""
    return (
        actor.organization.require_two_factor
        and actor.role in access.roles_requiring_two_factor()
        and not user_has_device(request.user)
    )


def _setup_url() -> str:
    from django.urls import reverse

    return reverse("core:two_factor_setup")

"""How an API address is declared: its operations, which the OpenAPI description is built from.

    people = endpoint("people", "osdi:people",
        Operation("get", "List people", list_people, response="Person", paged=True),
        Operation("post", "Add or update a person", signup, request="PersonSignup",
                  response="Person"))

Every request: the key in the `OSDI-API-Token` header is found, its user's role in the key's
organization is looked up now (a downgrade applies at once), the key's rate limit is counted,
then the operation runs. Errors come back as Action Network's `{"error": "..."}`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_otp import user_has_device

from powerbase.api import services
from powerbase.api.models import ApiKey
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import (
    Conflict,
    InvalidInput,
    LimitReached,
    NotFound,
    PermissionDenied,
    PowerbaseError,
)
from powerbase.core.throttles import Limit

HAL = "application/hal+json"
TOKEN_HEADER = "OSDI-API-Token"  # noqa: S105  (a header name, not a secret)


@dataclass(frozen=True)
class Caller:
    """Who is asking: the key and its user acting in the key's organization, as of now."""

    actor: Actor
    key: ApiKey


@dataclass(frozen=True)
class Operation:
    """One method of an address: what it does, what it takes and what it answers."""

    method: str
    summary: str
    handler: Callable
    response: str = ""  # a schema name in openapi.SCHEMAS
    request: str = ""  # a schema name, for a body
    paged: bool = False  # takes page, per_page, filter; answers a collection
    filters: bool = False  # takes an OData filter
    created: int = 200  # the status of success
    errors: tuple[int, ...] = (400, 404)


@dataclass
class Endpoint:
    path: str  # after /api/v2/, with {name} for arguments
    rel: str  # the collection's _embedded key, e.g. osdi:people
    operations: dict[str, Operation] = field(default_factory=dict)


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


REGISTRY: list[Endpoint] = []


def endpoint(path: str, rel: str, *operations: Operation) -> Callable:
    """Return the view of an address; remember it for the OpenAPI description."""
    described = Endpoint(path=path, rel=rel, operations={o.method: o for o in operations})
    REGISTRY.append(described)

    @csrf_exempt
    def view(request, **kwargs):
        operation = described.operations.get(request.method.lower())
        try:
            caller = authenticate(request)
            if operation is None:
                allowed = ", ".join(m.upper() for m in described.operations)
                raise ApiError(
                    405, f"{request.method} is not allowed here; use {allowed}.", {"Allow": allowed}
                )
            body = read_body(request) if operation.request else None
            args = (request, caller, body) if operation.request else (request, caller)
            status, document = operation.handler(*args, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.message, error.headers)
        except NotFound as error:
            return error_response(404, error.message)
        except LimitReached as error:
            return error_response(429, error.message)
        except PermissionDenied as error:
            return error_response(403, error.message)
        except (InvalidInput, Conflict) as error:
            return error_response(409 if isinstance(error, Conflict) else 400, error.message)
        except PowerbaseError as error:
            return error_response(400, error.message)
        if status == 204:
            return JsonResponse({}, status=200, content_type=HAL)
        return JsonResponse(
            document, status=status, content_type=HAL, json_dumps_params={"ensure_ascii": False}
        )

    # A function attribute is not part of any Callable type (see core.decorators).
    vars(view).update(access_rule="api_key", endpoint=described)
    return view


def error_response(status: int, message: str, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, content_type=HAL)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def read_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            400, "The body is not JSON: send a JSON object with Content-Type: application/json."
        ) from None
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return body


def rate_limit() -> Limit:
    return Limit("api-key", settings.API_REQUESTS_PER_MINUTE, 60)


def authenticate(request) -> Caller:
    """Find the key, decide its user's access as of now, and count the request."""
    secret = request.headers.get(TOKEN_HEADER, "")
    if not secret:
        raise ApiError(
            401,
            f"Send your API key in the {TOKEN_HEADER} header. An organization's "
            "settings page (API keys) or `powerbase api keys create` makes one.",
            {"WWW-Authenticate": TOKEN_HEADER},
        )
    key = services.find_key(secret)
    if key is None:
        raise ApiError(
            401,
            "That API key is not valid: it was revoked, or mistyped.",
            {"WWW-Authenticate": TOKEN_HEADER},
        )
    limit = rate_limit()
    if limit.reached(key.prefix):
        raise ApiError(
            429,
            f"This key made more than {limit.count} requests in a minute; "
            "wait a minute and go on more slowly.",
            {"Retry-After": "60"},
        )
    limit.add(key.prefix)
    try:
        actor = access.actor_for(key.user, key.organization.slug)
    except NotFound:
        raise ApiError(
            403,
            "This key's user no longer holds a role in the key's organization, "
            "so the key can do nothing.",
        ) from None
    if (
        actor.organization.require_two_factor
        and actor.role in access.roles_requiring_two_factor()
        and not user_has_device(key.user)
    ):
        raise ApiError(
            403,
            "Your organization requires two-factor sign-in for your role: set it "
            "up on your account page, then the key works again.",
        )
    services.note_use(key)
    return Caller(actor=actor, key=key)

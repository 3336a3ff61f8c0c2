"""Fixtures of the API tests: a key for every role of Nutmeg, and a client that sends it."""

import json

import pytest

from powerbase.api import services
from powerbase.core.access import actor_for
from powerbase.core.models import Role


def key_for(user, organization, name: str = "tests") -> str:
    return services.create_key(actor=actor_for(user, organization.slug), name=name).secret


@pytest.fixture
def keys(users_by_role, nutmeg) -> dict[str, str]:
    """The secret of one key per role of Nutmeg, by role."""
    return {role: key_for(user, nutmeg, f"{role} key") for role, user in users_by_role.items()}


class Api:
    """Django's test client speaking to /api/v2 with a key, returning (status, JSON)."""

    def __init__(self, client, secret: str | None):
        self.client, self.secret = client, secret

    def _headers(self) -> dict:
        return {"HTTP_OSDI_API_TOKEN": self.secret} if self.secret else {}

    def get(self, path: str, **params):
        response = self.client.get(f"/api/v2/{path}", params, **self._headers())
        return response.status_code, response.json()

    def send(self, method: str, path: str, body: dict | None = None):
        response = getattr(self.client, method)(
            f"/api/v2/{path}",
            json.dumps(body or {}),
            content_type="application/json",
            **self._headers(),
        )
        return response.status_code, response.json()

    def post(self, path: str, body: dict | None = None):
        return self.send("post", path, body)


@pytest.fixture
def api_as(client, keys):
    """Return an Api for a role's key: `api_as(Role.ORGANIZER).get("people")`."""
    return lambda role: Api(client, keys[role])


@pytest.fixture
def organizer_api(api_as):
    return api_as(Role.ORGANIZER)

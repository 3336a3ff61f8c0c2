"""What the URL-permission test needs from each app: a row per URL saying who may open it.

Each app's tests folder may hold a `url_access.py` with

    URL_ACCESS = {"people:person": Row(roles_with("people.view")), ...}

    def world(*, nutmeg, users_by_role, tenant_union, maria) -> dict:
        # create the objects the app's URLs point at; return their URL keyword arguments
        return {"person_id": maria.pk}

`tests/test_url_permissions.py` gathers them all and fails when a URL has no row.
"""

from dataclasses import dataclass

from powerbase.core.models import Role

ALL_ROLES = frozenset(Role.values)
ADMINS = frozenset({Role.OWNER, Role.ADMIN})


@dataclass(frozen=True)
class Row:
    """Who may open a URL: 'public', 'signed_in', or the roles of the organization that may."""

    allowed: str | frozenset[str]
    method: str = "get"
    # Roles that may use the page but not see this particular object: they get 404, as if
    # it did not exist (a job someone else started, another affiliate's record).
    out_of_scope: frozenset[str] = frozenset()


def roles_with(permission: str) -> frozenset[str]:
    from powerbase.core.access import ROLE_PERMISSIONS

    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)

"""Every URL, every role, and a user of another organization: who gets in, who is refused.

The table below (core's rows) plus each app's `tests/<app>/url_access.py` must have a row for
every named URL pattern; a new page without a row fails `test_every_url_has_a_row`.
Organization pages are requested by each role of Nutmeg (expecting the page or a 403), by the
owner of Harbor (expecting 404, the same as a missing page), and by an anonymous visitor
(expecting the sign-in page).
"""

import importlib
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from powerbase.core import jobs
from powerbase.core.models import Membership, Role
from tests.url_access import ADMINS, ALL_ROLES, Row

URL_ACCESS: dict[str, Row] = {
    "core:home": Row("signed_in"),
    "core:healthz": Row("public"),
    "core:login": Row("public"),
    "core:logout": Row("public", method="post"),
    "core:account": Row("signed_in"),
    "core:password_change": Row("signed_in"),
    "core:two_factor_setup": Row("signed_in"),
    "core:two_factor_verify": Row("signed_in"),
    "core:two_factor_disable": Row("signed_in", method="post"),
    "core:password_reset": Row("public"),
    "core:password_reset_done": Row("public"),
    "core:password_reset_confirm": Row("public"),
    "core:password_reset_complete": Row("public"),
    "core:members": Row(ADMINS),
    "core:member_add": Row(ADMINS),
    "core:member": Row(ADMINS),
    "core:member_remove": Row(ADMINS, method="post"),
    "core:settings": Row(frozenset({Role.OWNER})),
    "core:audit_log": Row(ADMINS),
    "core:jobs": Row(ALL_ROLES),
    "core:job": Row(frozenset({Role.OWNER, Role.ADMIN, Role.DATA}),
                    out_of_scope=ALL_ROLES - {Role.OWNER, Role.ADMIN, Role.DATA}),
    "core:coming": Row(ALL_ROLES),
    "power:dashboard": Row(ALL_ROLES),
}
# Each app's table, by the app's folder name (which is also its URL namespace).
APP_TABLES = {path.parent.name: importlib.import_module(f"tests.{path.parent.name}.url_access")
              for path in sorted(Path(__file__).parent.glob("*/url_access.py"))}
for table in APP_TABLES.values():
    URL_ACCESS.update(table.URL_ACCESS)


def url_patterns() -> dict[str, list[str]]:
    """Return every named URL with the names of its keyword arguments."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = list(pattern.pattern.converters)

    walk(get_resolver().url_patterns)
    return found


def all_url_names() -> list[str]:
    return sorted(url_patterns())


def test_every_url_has_a_row():
    missing = [name for name in all_url_names() if name not in URL_ACCESS]
    assert not missing, f"Add these URLs to URL_ACCESS with who may open them: {missing}"


def test_every_view_declares_who_may_open_it():
    undeclared = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif not hasattr(pattern.callback, "access_rule"):
                undeclared.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    assert not undeclared, f"Wrap these views in public_view, signed_in_view or org_view: " \
                           f"{undeclared}"


@pytest.fixture
def world(request, users_by_role, outsider, nutmeg, tenant_union, maria):
    """Objects of Nutmeg that the URL under test points at.

    Core's are always made; an app's `url_access.world` runs only for that app's URLs (some
    build real things, such as a voter file import).
    """
    job = jobs.start(kind="core.selftest", started_by=users_by_role[Role.DATA],
                     organization=nutmeg)
    lead = Membership.objects.get(user=users_by_role[Role.AFFILIATE_LEAD], organization=nutmeg)
    objects = {"org": nutmeg.slug, "job_id": job.pk, "member_id": lead.pk,
               "domain": "democracy", "uidb64": "MQ", "token": "set-password",
               # The fixtures every app shares: a tenant-union member and her affiliate.
               "person_id": maria.pk, "affiliate_id": tenant_union.pk}
    name = request.node.callspec.params.get("name", "") if hasattr(request.node, "callspec") \
        else ""
    table = APP_TABLES.get(name.split(":")[0])
    if table is not None and hasattr(table, "world"):
        objects.update(table.world(nutmeg=nutmeg, users_by_role=users_by_role,
                                   tenant_union=tenant_union, maria=maria))
    return objects


def sample_kwargs(name: str, world: dict) -> dict:
    """Fill a URL's arguments from *world*, the objects of Nutmeg the test made."""
    missing = [key for key in url_patterns()[name] if key not in world]
    assert not missing, (f"{name} needs {missing}: return them from the world() of its app's "
                         "url_access.py (a made-up id would pass on one database by luck)")
    return {key: world[key] for key in url_patterns()[name]}


def request(client, name: str, row: Row, world: dict):
    """Request the URL inside a savepoint that is rolled back, so a POST that removes something
    does not change what the next role sees."""
    url = reverse(name, kwargs=sample_kwargs(name, world))
    with transaction.atomic():
        response = getattr(client, row.method)(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(URL_ACCESS))
def test_each_role_gets_exactly_the_pages_its_row_allows(client, world, users_by_role, name):
    row = URL_ACCESS[name]
    for role, user in users_by_role.items():
        client.force_login(user)
        response = request(client, name, row, world)
        if row.allowed in ("public", "signed_in") or role in row.allowed:
            assert response.status_code in (200, 302), (
                f"{role} should open {name}, got {response.status_code}")
            if response.status_code == 302 and row.allowed != "public":
                assert "/login/" not in response["Location"], f"{role} was sent to sign in"
        elif role in row.out_of_scope:
            assert response.status_code == 404, (
                f"{role} should not find the object of {name}, got {response.status_code}")
        else:
            assert response.status_code == 403, (
                f"{role} should be refused {name}, got {response.status_code}")
        client.logout()


ORG_URLS = sorted(name for name, keys in url_patterns().items() if "org" in keys)


@pytest.mark.parametrize("name", ORG_URLS)
def test_a_user_of_another_organization_sees_nothing(client, world, outsider, name):
    client.force_login(outsider)
    response = request(client, name, URL_ACCESS[name], world)
    assert response.status_code == 404
    assert b"Nutmeg" not in response.content


@pytest.mark.parametrize("name", sorted(URL_ACCESS))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, world, name):
    row = URL_ACCESS[name]
    response = request(client, name, row, world)
    if row.allowed == "public":
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


OBJECT_URLS = sorted(name for name, keys in url_patterns().items()
                     if "org" in keys and any(key.endswith("_id") for key in keys))


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_organizations_object_is_not_found_from_your_own_organization(
        client, world, outsider, harbor, name):
    """Harbor's owner asks for Nutmeg's job or membership under Harbor's own address."""
    client.force_login(outsider)
    response = request(client, name, URL_ACCESS[name], {**world, "org": harbor.slug})
    assert response.status_code == 404


def test_a_refused_page_is_written_to_the_audit_log(client, world, users_by_role):
    from powerbase.core.models import AuditEntry

    client.force_login(users_by_role[Role.VIEWER])
    client.get(reverse("core:audit_log", kwargs={"org": "nutmeg"}))
    entry = AuditEntry.objects.filter(action="access.denied").latest("created_at")
    assert entry.actor == users_by_role[Role.VIEWER]
    assert entry.changes == {"permission": "audit.view"}




@pytest.mark.parametrize("role", sorted(Role.values))
def test_sensitive_fields_show_only_to_roles_allowed_them(client, users_by_role, nutmeg, walter,
                                                          role):
    """Walter's affiliate shares demographics; only roles allowed sensitive fields see them."""
    from powerbase.core.access import ROLE_PERMISSIONS

    client.force_login(users_by_role[role])
    response = client.get(reverse("people:person", kwargs={"org": nutmeg.slug,
                                                           "person_id": walter.pk}))
    if "people.view" not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403
        return
    if role in (Role.AFFILIATE_LEAD, Role.LEADER):  # not their affiliate's, not their people
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shows_demographics = b"Gender identity" in response.content
    assert shows_demographics == ("people.view_sensitive" in ROLE_PERMISSIONS[role])
    assert b"walter@teachers.example" in response.content


@pytest.mark.parametrize("role", sorted(Role.values))
def test_contact_details_follow_the_affiliates_sharing_terms(client, users_by_role, nutmeg, maria,
                                                             role):
    """The tenant union shares no contact details: only its own lead sees María's email."""
    from powerbase.core.access import ROLE_PERMISSIONS

    client.force_login(users_by_role[role])
    response = client.get(reverse("people:person", kwargs={"org": nutmeg.slug,
                                                           "person_id": maria.pk}))
    if "people.view" not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403
        return
    if role == Role.LEADER:  # a member leader sees only the people they work with
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert (b"maria@tenants.example" in response.content) == (role == Role.AFFILIATE_LEAD)
    assert b"Gender identity" not in response.content  # no role may see hers

"""Every URL, every role, and a user of another organization: who gets in, who is refused.

The expectations are written out by hand in `tests/permission_table.txt`, one line per named
URL pattern; a new page without a line fails `test_every_url_has_a_row`, and a changed grant
fails `test_each_url_answers_as_the_table_says` until a person updates the line. Organization
pages are requested by each role of Nutmeg, by the owner of Harbor (who must get 404, the same
as a missing page) and by an anonymous visitor (who must be sent to sign in). The objects the
URLs point at come from each app's `tests/<app>/url_access.py`.
"""

import importlib
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from powerbase.core import jobs
from powerbase.core.models import Membership, Role
from tests.url_access import ROLE_COLUMNS, TABLE, Row, read_table

URL_ACCESS: dict[str, Row] = read_table()
# Each app's objects, by the app's folder name (which is also its URL namespace).
APP_WORLDS = {
    path.parent.name: importlib.import_module(f"tests.{path.parent.name}.url_access")
    for path in sorted(Path(__file__).parent.glob("*/url_access.py"))
}


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
    assert not missing, f"Add a line to {TABLE.name} saying who may open: {missing}"


def test_every_row_names_a_url():
    stale = sorted(set(URL_ACCESS) - set(all_url_names()))
    assert not stale, f"These lines of {TABLE.name} name no URL any more: {stale}"


def test_a_malformed_line_is_refused_with_its_number(tmp_path):
    table = tmp_path / "table.txt"
    table.write_text("# header\ncore:home get 200 200 200\n")
    with pytest.raises(ValueError, match=r"table.txt line 2 \(core:home\): expected a method"):
        read_table(table)


def test_every_view_declares_who_may_open_it():
    undeclared = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif not hasattr(pattern.callback, "access_rule"):
                undeclared.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    assert not undeclared, (
        f"Wrap these views in public_view, signed_in_view or org_view: {undeclared}"
    )


@pytest.fixture
def world(request, users_by_role, outsider, nutmeg, tenant_union, maria):
    """Objects of Nutmeg that the URL under test points at.

    Core's are always made; an app's `url_access.world` runs only for that app's URLs (some
    build real things, such as a voter file import).
    """
    job = jobs.start(kind="core.selftest", started_by=users_by_role[Role.DATA], organization=nutmeg)
    lead = Membership.objects.get(user=users_by_role[Role.AFFILIATE_LEAD], organization=nutmeg)
    objects = {
        "org": nutmeg.slug,
        # Addresses called by other services (SMS webhooks) name the organization this way.
        "org_slug": nutmeg.slug,
        "job_id": job.pk,
        "member_id": lead.pk,
        "domain": "democracy",
        "uidb64": "MQ",
        "token": "set-password",
        # The fixtures every app shares: a tenant-union member and her affiliate.
        "person_id": maria.pk,
        "affiliate_id": tenant_union.pk,
    }
    name = request.node.callspec.params.get("name", "") if hasattr(request.node, "callspec") else ""
    table = APP_WORLDS.get(name.split(":")[0])
    if table is not None and hasattr(table, "world"):
        objects.update(
            table.world(
                nutmeg=nutmeg, users_by_role=users_by_role, tenant_union=tenant_union, maria=maria
            )
        )
    return objects


def sample_kwargs(name: str, world: dict) -> dict:
    """Fill a URL's arguments from *world*, the objects of Nutmeg the test made."""
    missing = [key for key in url_patterns()[name] if key not in world]
    assert not missing, (
        f"{name} needs {missing}: return them from the world() of its app's "
        "url_access.py (a made-up id would pass on one database by luck)"
    )
    return {key: world[key] for key in url_patterns()[name]}


def request(client, name: str, row: Row, world: dict):
    """Request the URL inside a savepoint that is rolled back, so a POST that removes something
    does not change what the next role sees."""
    url = reverse(name, kwargs=sample_kwargs(name, world))
    with transaction.atomic():
        response = getattr(client, row.method)(url)
        transaction.set_rollback(True)
    return response


def answer(response) -> str:
    """Name a response as the table does: its status, or "login" for a trip to sign in."""
    if response.status_code == 302 and response["Location"].startswith(reverse("core:login")):
        return "login"
    return str(response.status_code)


ORG_URLS = frozenset(name for name, keys in url_patterns().items() if "org" in keys)


@pytest.mark.parametrize("name", sorted(URL_ACCESS))
def test_each_url_answers_as_the_table_says(client, world, users_by_role, outsider, name):
    row = URL_ACCESS[name]
    visitors = {column: users_by_role[role] for column, role in ROLE_COLUMNS.items()}
    visitors |= {"other": outsider, "anon": None}
    got = {}
    for column, user in visitors.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = request(client, name, row, world)
        got[column] = answer(response)
        if column == "other" and name in ORG_URLS:
            assert b"Nutmeg" not in response.content, "another organization's name leaked"
    wrong = {
        column: f"expected {row.expected[column]}, got {got[column]}"
        for column in got
        if got[column] != row.expected[column]
    }
    assert not wrong, f"{name} in {TABLE.name}: {wrong}"


def test_every_organization_page_keeps_other_organizations_and_strangers_out():
    """The table itself must not let Harbor's owner into Nutmeg or skip the sign-in page."""
    open_doors = {
        name: (row.expected["other"], row.expected["anon"])
        for name, row in URL_ACCESS.items()
        if name in ORG_URLS and (row.expected["other"] != "404" or row.expected["anon"] != "login")
    }
    assert not open_doors, f"Organization pages must answer other=404 and anon=login: {open_doors}"


OBJECT_URLS = sorted(
    name
    for name, keys in url_patterns().items()
    if "org" in keys and any(key.endswith("_id") for key in keys)
)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_organizations_object_is_not_found_from_your_own_organization(
    client, world, outsider, harbor, name
):
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


# Written by hand, like permission_table.txt, never read from access.ROLE_PERMISSIONS: a wrong
# grant there must fail here.
SEE_PEOPLE = {Role.OWNER, Role.ADMIN, Role.ORGANIZER, Role.DATA, Role.AFFILIATE_LEAD, Role.LEADER}
SEE_SENSITIVE_FIELDS = {Role.OWNER, Role.ADMIN, Role.DATA}


@pytest.mark.parametrize("role", sorted(Role.values))
def test_sensitive_fields_show_only_to_roles_allowed_them(
    client, users_by_role, nutmeg, walter, role
):
    """Walter's affiliate shares demographics; only roles allowed sensitive fields see them."""
    client.force_login(users_by_role[role])
    response = client.get(
        reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": walter.pk})
    )
    if role not in SEE_PEOPLE:
        assert response.status_code == 403
        return
    if role in (Role.AFFILIATE_LEAD, Role.LEADER):  # not their affiliate's, not their people
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shows_demographics = b"Gender identity" in response.content
    assert shows_demographics == (role in SEE_SENSITIVE_FIELDS)
    assert b"walter@teachers.example" in response.content


@pytest.mark.parametrize("role", sorted(Role.values))
def test_contact_details_follow_the_affiliates_sharing_terms(
    client, users_by_role, nutmeg, maria, role
):
    """The tenant union shares no contact details: only its own lead sees María's email."""
    client.force_login(users_by_role[role])
    response = client.get(
        reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": maria.pk})
    )
    if role not in SEE_PEOPLE:
        assert response.status_code == 403
        return
    if role == Role.LEADER:  # a member leader sees only the people they work with
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert (b"maria@tenants.example" in response.content) == (role == Role.AFFILIATE_LEAD)
    assert b"Gender identity" not in response.content  # no role may see hers

"""Shared fixtures: two organizations and a user for every role, with names that say who they are.

Org A is "Nutmeg For All" (a state IPO) and org B is "Harbor For All" (another tenant on the same
install): a user of B must never see anything of A.
"""

import os

import pytest
from django.core.management import call_command
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

from powerbase.coalition.models import Affiliate
from powerbase.coalition.services import create_affiliate, grant_affiliate
from powerbase.core import access, services
from powerbase.core.access import Actor, actor_for
from powerbase.core.models import Organization, Role

# ORM calls inside browser tests run in Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _flush_past_the_audit_triggers(original):
    """Let test teardown empty the audit table on SQLite, as TRUNCATE does on PostgreSQL.

    The triggers refuse DELETE on core_auditentry, and SQLite's flush is a DELETE: drop them
    for the flush and put them back after it.
    """
    from powerbase.core.audit_chain import SQLITE_DROP_TRIGGERS, SQLITE_TRIGGERS

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "core_auditentry" not in tables:
            return statements
        return [*SQLITE_DROP_TRIGGERS, *statements, *SQLITE_TRIGGERS]

    return sql_flush


SQLiteOperations.sql_flush = _flush_past_the_audit_triggers(SQLiteOperations.sql_flush)


@pytest.hookimpl(trylast=True)  # after pytest-django's own order (database tests by kind)
def pytest_collection_modifyitems(config, items):
    """Run the tests marked `slow` first. Under `pytest -n auto` each worker takes tests in
    collection order; a several-minute test (a fresh migrate, a demo load, a server started)
    collected near the end would run on one worker while the other sits idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


PASSWORD = "correct-horse-battery-staple"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The two organizations do not require two-factor sign-in, so a test can sign in an owner with
# `force_login` alone; tests/core/test_security.py tests the requirement (on by default).
@pytest.fixture(autouse=True)
def _forget_kept_figures():
    """identity.base keeps the base's figures in the process as well as in the (rolled back)
    database cache: each test starts with none."""
    from powerbase.identity import base

    base.forget_kept()


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo (at scale 0.01) loaded once for the tests of a module that ask for it; a load
    takes most of a minute. As Django's `setUpTestData`, it runs in a transaction of its own,
    rolled back after the module; each test's own (nested) transaction rolls back what the test
    did on top. Return the load's job."""
    from django.db import transaction

    from tests.test_demo import load

    with pytest.MonkeyPatch.context() as env, django_db_blocker.unblock():
        env.setenv("POWERBASE_DEMO_SCALE", "0.01")
        outer = transaction.atomic()
        outer.__enter__()
        job = load()
    yield job
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def data_dir(settings, tmp_path):
    """Give the test a data folder of its own (voter files, DuckDB), so nothing leaks between
    tests. Directories whose every test touches the voter file use it automatically."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    return settings.DATA_DIR


@pytest.fixture
def nutmeg(db) -> Organization:
    return services.create_organization(
        name="Nutmeg For All", slug="nutmeg", state="CT", require_two_factor=False
    )


@pytest.fixture
def harbor(db) -> Organization:
    return services.create_organization(
        name="Harbor For All", slug="harbor", state="RI", require_two_factor=False
    )


@pytest.fixture
def tenant_union(nutmeg) -> Affiliate:
    return create_affiliate(
        actor=access.command_line(nutmeg),
        name="Quinnipiac Tenants Union",
        kind=Affiliate.Kind.TENANT_UNION,
    )


@pytest.fixture
def teachers_union(nutmeg) -> Affiliate:
    return create_affiliate(
        actor=access.command_line(nutmeg),
        name="Educators Local 12",
        kind=Affiliate.Kind.LABOR_UNION,
    )


def make_user(organization: Organization, role: str, email: str | None = None):
    email = email or f"{role}@{organization.slug}.example"
    command_line = access.command_line(organization)
    user = services.create_user(
        email=email, name=role.replace("_", " ").title(), password=PASSWORD, created_by=command_line
    )
    services.grant_role(user=user, role=role, granted_by=command_line)
    return user


@pytest.fixture
def users_by_role(nutmeg, tenant_union, teachers_union) -> dict:
    """One user per role in Nutmeg; the affiliate lead leads the tenant union only."""
    users = {role: make_user(nutmeg, role) for role in Role.values}
    membership = users[Role.AFFILIATE_LEAD].memberships.get(organization=nutmeg)
    grant_affiliate(
        membership=membership, affiliate=tenant_union, granted_by=access.command_line(nutmeg)
    )
    return users


@pytest.fixture
def owner(users_by_role):
    return users_by_role[Role.OWNER]


@pytest.fixture
def admin(users_by_role):
    return users_by_role[Role.ADMIN]


@pytest.fixture
def organizer(users_by_role):
    return users_by_role[Role.ORGANIZER]


@pytest.fixture
def affiliate_lead(users_by_role):
    return users_by_role[Role.AFFILIATE_LEAD]


@pytest.fixture
def viewer(users_by_role):
    return users_by_role[Role.VIEWER]


@pytest.fixture
def outsider(harbor):
    """The owner of another organization on the same install."""
    return make_user(harbor, Role.OWNER)


def act(user, organization) -> Actor:
    return actor_for(user, organization.slug)


@pytest.fixture
def run_jobs(monkeypatch):
    """Return a function that runs every queued job to the end, as `powerbase worker` would.

    The worker closes "old" connections between tasks; inside a test's transaction that would
    close the test's own connection, so that housekeeping is switched off here.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def add_member(
    organization,
    affiliate,
    given: str,
    family: str,
    *,
    email: str = "",
    phone: str = "",
    direct: bool = False,
    **fields,
):
    """Put a fictional person in the base, as an affiliate's list would."""
    from powerbase.coalition.models import AffiliateMembership
    from powerbase.people.models import EmailAddress, Person, PhoneNumber, Source
    from powerbase.people.services import reversed_digits

    source = Source.objects.create(
        organization=organization,
        kind=Source.Kind.IMPORT,
        label=f"{affiliate or organization} roster",
        affiliate=affiliate,
    )
    person = Person(
        organization=organization,
        source=source,
        given_name=given,
        family_name=family,
        is_direct_member=direct,
        **fields,
    )
    person.refresh_keys()
    person.save()
    if email:
        EmailAddress.objects.create(
            organization=organization, person=person, source=source, address=email, is_primary=True
        )
    if phone:
        PhoneNumber.objects.create(
            organization=organization,
            person=person,
            source=source,
            e164=phone,
            digits_reversed=reversed_digits(phone),
        )
    if affiliate is not None:
        AffiliateMembership.objects.create(
            organization=organization, person=person, affiliate=affiliate, source=source
        )
    return person


@pytest.fixture
def maria(nutmeg, tenant_union):
    """A tenant-union member; the tenant union shares neither contact nor demographics."""
    return add_member(
        nutmeg,
        tenant_union,
        "María",
        "Gonzalez",
        email="maria@tenants.example",
        phone="+12035550123",
        gender_identity="woman",
        race_ethnicity=["hispanic_or_latino"],
    )


@pytest.fixture
def walter(nutmeg, teachers_union):
    """A teacher; the teachers' union shares contact details and demographics with the IPO."""
    teachers_union.share_contact = True
    teachers_union.share_demographics = True
    teachers_union.save()
    return add_member(
        nutmeg,
        teachers_union,
        "Walter",
        "Okonkwo-Hill",
        email="walter@teachers.example",
        phone="+18605550188",
        gender_identity="man",
        race_ethnicity=["black_or_african_american"],
    )

"""Every write has an actor: the command line and background jobs act through `access`, are
audited as such, and the object-level rules live in `core/access.py`."""

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.coalition.services import create_affiliate, grant_affiliate
from powerbase.core import access, jobs
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.core.models import AuditEntry, Role
from powerbase.imports import services as imports
from tests.conftest import make_user
from tests.imports.conftest import ROSTER, csv_bytes

runner = CliRunner()
CORE = Path(__file__).parents[2] / "src" / "powerbase" / "core"


def test_the_command_line_acts_with_every_permission_and_is_audited_by_name(nutmeg):
    command_line = access.command_line(nutmeg)
    assert command_line.user is None and not command_line.is_signed_in
    assert command_line.can("affiliates.manage") and command_line.can("people.export_all")
    create_affiliate(actor=command_line, name="Harbor Dockworkers Local")
    entry = AuditEntry.objects.get(action="affiliate.created")
    assert (entry.actor, entry.actor_label, entry.organization) == (None, "command line", nutmeg)


def test_background_work_nobody_started_is_audited_as_the_system(nutmeg):
    create_affiliate(actor=access.system(nutmeg), name="Fictional Tenants")
    assert AuditEntry.objects.get(action="affiliate.created").actor_label == "system"


def test_a_list_imported_from_the_command_line_is_audited_so_when_it_is_written(nutmeg, tmp_path):
    """The commit runs as a job: it used to be audited with no name at all."""
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes(ROSTER))
    result = runner.invoke(app, ["import", "people", str(roster), "--org", "nutmeg"])
    assert result.exit_code == 0, result.output
    labels = set(
        AuditEntry.objects.filter(action__startswith="import.").values_list("action", "actor_label")
    )
    assert ("import.committed", "command line") in labels
    assert ("import.uploaded", "command line") in labels


def test_a_job_started_by_the_command_line_writes_as_the_command_line(nutmeg):
    job = jobs.start(
        kind="core.selftest",
        started_by=access.command_line(nutmeg),
        organization=nutmeg,
        enqueue=False,
    )
    assert job.started_by is None
    assert jobs.actor_of(job).label == "command line"
    assert AuditEntry.objects.get(action="job.started").actor_label == "command line"


def test_legislature_imports_from_the_shell_say_command_line_like_every_other_command(nutmeg):
    from tests.legislature.conftest import FIXTURES

    assert (
        runner.invoke(app, ["officials", "import", str(FIXTURES), "--org", "nutmeg"]).exit_code == 0
    )
    assert AuditEntry.objects.get(action="officials.imported").actor_label == "command line"


def test_an_upload_for_another_organizations_affiliate_is_not_found(nutmeg, harbor):
    """The organization used to be passed apart from the affiliate; now both come from the
    actor, and an affiliate of another organization does not exist for it."""
    elsewhere = create_affiliate(actor=access.command_line(harbor), name="Harbor Tenants")
    with pytest.raises(NotFound):
        imports.upload(
            actor=access.command_line(nutmeg),
            file_name="x.csv",
            content=csv_bytes(ROSTER),
            affiliate=elsewhere,
        )


def test_a_grant_to_a_lead_of_another_organization_is_not_found(nutmeg, harbor, tenant_union):
    lead = make_user(harbor, Role.AFFILIATE_LEAD)
    with pytest.raises(NotFound):
        grant_affiliate(
            membership=lead.memberships.get(),
            affiliate=tenant_union,
            granted_by=access.command_line(nutmeg),
        )


def test_require_affiliate_holds_a_lead_to_their_own_affiliates(
    nutmeg, users_by_role, tenant_union, teachers_union
):
    lead = access.actor_for(users_by_role[Role.AFFILIATE_LEAD], "nutmeg")
    access.require_affiliate(lead, tenant_union)
    for other in (teachers_union, None):
        with pytest.raises(InvalidInput, match="your affiliates"):
            access.require_affiliate(lead, other)
    access.require_affiliate(access.command_line(nutmeg), None)  # not affiliate-scoped


def test_affiliates_list_names_an_unknown_organization(db):
    result = runner.invoke(app, ["affiliates", "list", "--org", "nowhere"])
    assert result.exit_code == 1 and "nowhere" in result.output


def test_createuser_is_audited_as_the_command_line(nutmeg):
    result = runner.invoke(
        app,
        [
            "createuser",
            "ana@example.org",
            "--org",
            "nutmeg",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input="a-long-enough-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    for action in ("user.created", "membership.created"):
        assert AuditEntry.objects.get(action=action).actor_label == "command line"


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_core_imports_no_app_built_on_it():
    """Coalition registers its visibility rules with core; core never imports coalition."""
    for path in CORE.rglob("*.py"):
        assert not {m for m in _imported_modules(path) if m.startswith("powerbase.coalition")}, path


def test_core_models_and_jobs_do_not_import_each_other():
    assert "powerbase.core.jobs" not in _imported_modules(CORE / "models.py")

"""The `powerbase` command: help a person can follow, organizations and users from the shell."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.models import AuditEntry, Membership, Organization, Role

runner = CliRunner()


def test_help_lists_every_command_with_a_sentence():
    result = subprocess.run(
        [sys.executable, "-m", "powerbase", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "migrate", "createorg", "createuser", "jobs"):
        assert command in result.stdout


@pytest.mark.django_db
def test_createorg_makes_a_state_organization_under_a_network():
    runner.invoke(
        app, ["createorg", "national", "--name", "Fictional Network", "--level", "national"]
    )
    result = runner.invoke(
        app,
        [
            "createorg",
            "harbor",
            "--name",
            "Harbor For All",
            "--state",
            "ri",
            "--parent",
            "national",
        ],
    )
    assert result.exit_code == 0, result.output
    harbor = Organization.objects.get(slug="harbor")
    assert (harbor.state, harbor.parent.slug, harbor.level) == ("RI", "national", "state")
    assert AuditEntry.objects.filter(action="organization.created", organization=harbor).exists()


@pytest.mark.django_db
def test_createorg_explains_a_bad_state_code():
    result = runner.invoke(app, ["createorg", "x", "--name", "X For All", "--state", "ZZ"])
    assert result.exit_code == 1
    assert "not a US state code" in result.output
    assert not Organization.objects.exists()


def test_createuser_gives_a_new_person_a_role_and_a_password(nutmeg):
    result = runner.invoke(
        app,
        [
            "createuser",
            "Ana@Example.org",
            "--org",
            "nutmeg",
            "--role",
            "data",
            "--name",
            "Ana Data",
            "--password-stdin",
        ],
        input="a-long-enough-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    membership = Membership.objects.get(user__email="ana@example.org")
    assert membership.role == Role.DATA
    assert membership.user.check_password("a-long-enough-passphrase")


def test_createuser_scopes_an_affiliate_lead_to_their_affiliate(nutmeg, tenant_union):
    result = runner.invoke(
        app,
        [
            "createuser",
            "lead@example.org",
            "--org",
            "nutmeg",
            "--role",
            "affiliate_lead",
            "--affiliate",
            tenant_union.slug,
            "--password-stdin",
        ],
        input="a-long-enough-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    membership = Membership.objects.get(user__email="lead@example.org")
    assert [g.affiliate for g in membership.affiliate_grants.all()] == [tenant_union]


def test_createuser_writes_nothing_when_an_affiliate_is_unknown(nutmeg):
    result = runner.invoke(
        app,
        [
            "createuser",
            "lead@example.org",
            "--org",
            "nutmeg",
            "--role",
            "affiliate_lead",
            "--affiliate",
            "no-such-union",
            "--password-stdin",
        ],
        input="a-long-enough-passphrase\n",
    )
    assert result.exit_code == 1
    assert "no affiliate 'no-such-union'" in result.output
    assert not Membership.objects.filter(user__email="lead@example.org").exists()


def test_createuser_refuses_a_weak_password_with_the_reason(nutmeg):
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
        input="12345\n",
    )
    assert result.exit_code == 1
    assert "too weak" in result.output


def test_createuser_refuses_an_unknown_role(nutmeg):
    result = runner.invoke(
        app,
        ["createuser", "ana@example.org", "--org", "nutmeg", "--role", "boss", "--password-stdin"],
        input="a-long-enough-passphrase\n",
    )
    assert result.exit_code == 1
    assert "Role 'boss' is not one of" in result.output


def test_affiliates_add_then_list(nutmeg):
    result = runner.invoke(
        app,
        [
            "affiliates",
            "add",
            "Park Terrace Tenants",
            "--org",
            "nutmeg",
            "--kind",
            "tenant_union",
            "--share-contact",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "park-terrace-tenants" in result.output
    listing = runner.invoke(app, ["affiliates", "list", "--org", "nutmeg"])
    assert "Park Terrace Tenants" in listing.output and "contact" in listing.output


def test_affiliates_add_refuses_an_unknown_kind(nutmeg):
    result = runner.invoke(app, ["affiliates", "add", "X", "--org", "nutmeg", "--kind", "club"])
    assert result.exit_code == 1
    assert "Kind 'club' is not one of" in result.output


def test_deactivate_ends_sessions_and_undo_lets_the_person_sign_in_again(nutmeg, client):
    from django.contrib.sessions.models import Session

    from tests.conftest import make_user

    user = make_user(nutmeg, "organizer")
    client.force_login(user)
    result = runner.invoke(app, ["deactivate", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert "1 open session(s) ended" in result.output
    assert not Session.objects.exists()
    user.refresh_from_db()
    assert not user.is_active
    assert runner.invoke(app, ["deactivate", user.email, "--undo"]).exit_code == 0
    user.refresh_from_db()
    assert user.is_active


def test_deactivate_explains_an_unknown_email(db):
    result = runner.invoke(app, ["deactivate", "nobody@example.org"])
    assert result.exit_code == 1
    assert "no user with the email nobody@example.org" in result.output


def test_powerbase_tally_starts_without_the_linkage_engine_or_django(tmp_path):
    """An election office runs `powerbase tally` alone: it must not pay for every other command."""
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("rank1,rank2\nAda,Bo\nBo,Ada\nAda,\n", encoding="utf-8")
    probe = (
        "import sys\n"
        f"sys.argv = ['powerbase', 'tally', {str(ballots)!r}, '--method', 'irv']\n"
        "from powerbase.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "loaded = [name for name in ('splink', 'django.db', 'duckdb') if name in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "Ada" in result.stdout
    assert "LOADED []" in result.stdout


def test_commands_acting_in_an_organization_start_django_themselves(tmp_path):
    """`command_line(org)` is the first thing several commands do (`voterfile use`,
    `voterfile publish`...): in a fresh process it must set Django up before importing the
    access module, or the command dies with ImproperlyConfigured instead of doing its work."""
    env = {
        **__import__("os").environ,
        "POWERBASE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "powerbase", "migrate"],
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    for command in (["voterfile", "use", "1"], ["voterfile", "publish", "1"]):
        result = subprocess.run(
            [sys.executable, "-m", "powerbase", *command, "--org", "nosuch"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "There is no organization with the short name 'nosuch'" in result.stdout + (
            result.stderr
        ), result.stdout + result.stderr
        assert result.returncode == 1

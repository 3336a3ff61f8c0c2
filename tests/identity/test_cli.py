"""`powerbase identity dedupe|link|runs --org SLUG`: the jobs, from the command line."""

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.identity.models import IdentityRun, VoterLink


def invoke(*args: str):
    return CliRunner().invoke(app, ["identity", *args], env={"COLUMNS": "200"})


def test_dedupe_runs_the_job_and_says_what_it_did(base):
    result = invoke("dedupe", "--org", "nutmeg")
    assert result.exit_code == 0, result.output
    assert "merged without review: 1" in result.output
    assert "waiting for review: 1" in result.output
    assert IdentityRun.objects.get().kind == "dedupe"


def test_link_links_people_to_the_voter_file(town, base):
    result = invoke("link", "--org", "nutmeg")
    assert result.exit_code == 0, result.output
    assert "linked without review: 4" in result.output
    assert VoterLink.objects.count() == 4


def test_link_without_a_voter_file_says_to_import_one(base):
    result = invoke("link", "--org", "nutmeg")
    assert result.exit_code == 1
    assert "no voter file to link to yet" in result.output


def test_an_unknown_organization_is_named(db):
    result = invoke("dedupe", "--org", "nowhere")
    assert result.exit_code == 1
    assert "no organization with the short name 'nowhere'" in result.output


def test_runs_lists_what_each_run_did(base):
    invoke("dedupe", "--org", "nutmeg")
    result = invoke("runs", "--org", "nutmeg")
    assert result.exit_code == 0
    assert "Find duplicates in the base" in result.output

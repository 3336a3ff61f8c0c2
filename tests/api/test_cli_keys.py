"""`powerbase api keys create|list|revoke`."""

from typer.testing import CliRunner

from powerbase.api.models import ApiKey
from powerbase.cli.main import app
from tests.api.conftest import Api

# Wide enough that the keys table never wraps a name, whatever the terminal.
runner = CliRunner(env={"COLUMNS": "200"})


def test_a_key_made_on_the_command_line_works_until_it_is_revoked(client, organizer):
    made = runner.invoke(
        app,
        [
            "api",
            "keys",
            "create",
            "--user",
            organizer.email,
            "--org",
            "nutmeg",
            "--name",
            "Parsons sync",
        ],
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    assert Api(client, secret).get("tags")[0] == 200

    listed = runner.invoke(app, ["api", "keys", "list", "--org", "nutmeg"])
    key = ApiKey.objects.get()
    assert "Parsons sync" in listed.stdout and key.prefix in listed.stdout
    assert secret not in listed.stdout

    revoked = runner.invoke(app, ["api", "keys", "revoke", f"pb_{key.prefix}_", "--org", "nutmeg"])
    assert revoked.exit_code == 0, revoked.output
    assert Api(client, secret).get("tags")[0] == 401


def test_a_key_for_someone_without_a_role_there_is_refused(outsider, nutmeg):
    made = runner.invoke(
        app, ["api", "keys", "create", "--user", outsider.email, "--org", "nutmeg", "--name", "x"]
    )
    assert made.exit_code == 1
    assert "holds no role" in made.output
    assert not ApiKey.objects.exists()

"""On the embedded default every command works with no environment variable at all; a
production database still needs an explicit SECRET_KEY."""


def test_a_fresh_data_dir_needs_no_environment_for_any_command(migrated_data_dir, powerbase):
    # migrated_data_dir ran `powerbase migrate` with no environment variable; and so on:
    assert powerbase("voterfile", "--help").returncode == 0

    created = powerbase(
        "createorg", "lakeside", "--name", "Lakeside Fictional Organizing", "--state", "CT"
    )
    assert created.returncode == 0, created.stderr
    assert "Created" in created.stdout

    user = powerbase(
        "createuser",
        "owner@lakeside.example",
        "--org",
        "lakeside",
        "--role",
        "owner",
        "--password-stdin",
        stdin="a-long-fictional-password\n",
    )
    assert user.returncode == 0, user.stderr
    assert "owner@lakeside.example is owner of Lakeside Fictional Organizing" in user.stdout


def test_the_key_is_made_once_and_kept(powerbase, tmp_path):
    powerbase("jobs", "watch", "1")  # any command that starts Django
    key_file = tmp_path / "var" / "dev-secret-key"
    first = key_file.read_text()
    powerbase("jobs", "watch", "1")
    assert key_file.read_text() == first
    assert len(first) > 50
    assert key_file.stat().st_mode & 0o077 == 0, "the key must be readable by its owner only"


def test_a_production_database_without_a_secret_key_refuses_to_start(powerbase, tmp_path):
    result = powerbase(
        "createorg",
        "lakeside",
        "--name",
        "Lakeside Fictional Organizing",
        DATABASE_URL="postgres://powerbase@db.example.org/powerbase",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "dev-secret-key").exists()

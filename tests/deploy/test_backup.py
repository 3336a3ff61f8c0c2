"""The restore drill: load an install, back it up, restore it into another, and compare.

Every step is the real `powerbase` command an operator runs, on SQLite and on PostgreSQL.
"""

import contextlib
import hashlib
import shutil
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from powerbase.core.backup import postgres_tables, sqlite_tables, table_sums
from tests.deploy.conftest import run_powerbase
from tests.deploy.postgres import migrated_database
from tests.voterfile.ncfiles import history_row, voter, write_ncvhis, write_ncvoter

PEOPLE_CSV = (
    "first_name,last_name,email,phone\n"
    "Rosa,Fictional,rosa@example.org,2035550101\n"
    "Amos,Madeup,amos@example.org,2035550102\n"
    "Ines,Invented,ines@example.org,2035550103\n"
)
BACKUP_KEY = "qN9a6e2mQm3JcJ5q9x3tE1j0wY1bFv2yH5mC8kL4rUo="
OTHER_KEY = "3vYl6n0Zp0JmQd8rD1q2cT5eG7hK9sA4wB6xN8yM0uI="
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
PASSWORD = "correct-horse-battery-staple"  # the owner's, as load_some_data creates them


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def load_some_data(data_dir: Path, tmp_path: Path, **env: str) -> None:
    """An organization, a user, a list of people and a voter file version."""
    ok(
        run_powerbase(
            data_dir, "createorg", "nutmeg", "--name", "Nutmeg For All", "--state", "NC", **env
        )
    )
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE_CSV)
    owner = (
        *("createuser", "owner@example.org", "--org", "nutmeg", "--role", "owner"),
        "--password-stdin",
    )
    listed = ("import", "people", str(people), "--org", "nutmeg")
    if env.get("DATABASE_URL", "").startswith("postgres"):
        # The owner and the list do not depend on each other: on PostgreSQL (no single
        # writer) the two commands run side by side, each start-up hiding the other's.
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = [
                pool.submit(run_powerbase, data_dir, *owner, stdin=PASSWORD + "\n", **env),
                pool.submit(run_powerbase, data_dir, *listed, **env),
            ]
            for command in done:
                ok(command.result())
    else:
        ok(run_powerbase(data_dir, *owner, stdin=PASSWORD + "\n", **env))
        ok(run_powerbase(data_dir, *listed, **env))
    registrations = write_ncvoter(tmp_path / "ncvoter.txt", [voter(n) for n in range(1, 41)])
    history = write_ncvhis(
        tmp_path / "ncvhis.txt", [history_row(n, "11/08/2022", "GENERAL") for n in range(1, 21)]
    )
    imported = run_powerbase(
        data_dir,
        *("voterfile", "import", str(registrations), str(history)),
        *("--org", "nutmeg", "--layout", "nc"),
        **env,
    )
    assert "Version 1 is now in use" in ok(imported)


def file_sums(data_dir: Path) -> dict[str, str]:
    """The checksum of every file of the data dir an install's state is in."""
    return {
        path.relative_to(data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("voterfile", "imports", "uploads", "power")
        if (data_dir / folder).is_dir()
        for path in (data_dir / folder).rglob("*")
        if path.is_file()
    }


def sqlite_sums(data_dir: Path) -> dict:
    with contextlib.closing(sqlite3.connect(data_dir / "powerbase.sqlite3")) as con:
        return table_sums(con.cursor(), sqlite_tables(con))


def postgres_sums(url: str) -> dict:
    with psycopg.connect(url) as con:
        return table_sums(con.cursor("sums"), postgres_tables(con.cursor()))


def voterfile_versions(data_dir: Path, **env: str) -> str:
    return ok(run_powerbase(data_dir, "voterfile", "versions", "--org", "nutmeg", **env))


@pytest.mark.slow
def test_restore_drill_on_sqlite(migrated_data_dir, tmp_path):
    source = migrated_data_dir
    load_some_data(source, tmp_path)
    waiting = source / "uploads" / "voterfile" / "nutmeg" / "waiting.txt"  # an upload not yet read
    waiting.parent.mkdir(parents=True)
    waiting.write_text("an uploaded file waiting for its import")
    archive = tmp_path / "backups" / "powerbase.tar.gz"
    said = ok(run_powerbase(source, "backup", str(archive), POWERBASE_BACKUP_KEY=BACKUP_KEY))
    assert "encrypted" in said
    assert b"Fictional" not in archive.read_bytes()

    target = tmp_path / "elsewhere" / "var"
    restored = run_powerbase(target, "restore", str(archive), POWERBASE_BACKUP_KEY=BACKUP_KEY)
    assert "every checksum matching" in ok(restored)

    before, after = sqlite_sums(source), sqlite_sums(target)
    assert before["people_person"].rows == 3
    assert before["voterfile_voterfileversion"].rows == 1
    assert after == before
    assert file_sums(target) == file_sums(source)
    assert any(name.startswith("voterfile/nutmeg/") for name in file_sums(target))
    assert "uploads/voterfile/nutmeg/waiting.txt" in file_sums(target)
    assert (target / "dev-secret-key").read_text() == (source / "dev-secret-key").read_text()
    assert voterfile_versions(target) == voterfile_versions(source)
    ok(run_powerbase(target, "migrate"))


def test_backup_refuses_to_write_into_the_data_dir_it_archives(migrated_data_dir):
    refused = run_powerbase(migrated_data_dir, "backup", str(migrated_data_dir / "b.tar.gz"))
    assert refused.returncode == 1
    assert "is inside the data dir" in refused.stderr
    assert not (migrated_data_dir / "b.tar.gz").exists()


def test_restore_refuses_an_install_that_is_not_empty(migrated_data_dir, tmp_path):
    source = migrated_data_dir
    ok(run_powerbase(source, "createorg", "nutmeg", "--name", "Nutmeg For All", "--state", "NC"))
    archive = tmp_path / "powerbase.tar.gz"
    ok(run_powerbase(source, "backup", str(archive)))

    refused = run_powerbase(source, "restore", str(archive))
    assert refused.returncode == 1
    assert "This install is not empty" in refused.stderr
    assert "has rows" in refused.stderr


def test_restore_refuses_a_wrong_key_and_a_damaged_archive(migrated_data_dir, tmp_path):
    archive = tmp_path / "powerbase.tar.gz"
    ok(run_powerbase(migrated_data_dir, "backup", str(archive), POWERBASE_BACKUP_KEY=BACKUP_KEY))

    no_key = run_powerbase(tmp_path / "a", "restore", str(archive))
    assert "is encrypted: set POWERBASE_BACKUP_KEY" in no_key.stderr
    wrong = run_powerbase(tmp_path / "b", "restore", str(archive), POWERBASE_BACKUP_KEY=OTHER_KEY)
    assert "cannot be decrypted with POWERBASE_BACKUP_KEY" in wrong.stderr

    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    damaged = run_powerbase(tmp_path / "c", "restore", str(cut), POWERBASE_BACKUP_KEY=BACKUP_KEY)
    assert damaged.returncode == 1
    assert "cut short" in damaged.stderr
    assert not (tmp_path / "c" / "voterfile").exists()


def _postgres_database(name: str) -> str:
    try:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {POSTGRES}: {error}")
    return POSTGRES + name


@pytest.mark.slow
def test_restore_drill_on_postgresql(tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    # Migrated from a template `powerbase migrate` built once (tests/deploy/postgres.py).
    source_url = migrated_database("h_ops_backup_source", tmp_path)
    target_url = _postgres_database("h_ops_backup_target")
    secret = {"SECRET_KEY": "drill-" + "x" * 50}
    source, target = tmp_path / "source" / "var", tmp_path / "target" / "var"
    assert "No migrations to apply" in ok(
        run_powerbase(source, "migrate", DATABASE_URL=source_url, **secret)
    )
    load_some_data(source, tmp_path, DATABASE_URL=source_url, **secret)
    archive = tmp_path / "powerbase.tar.gz"
    ok(run_powerbase(source, "backup", str(archive), DATABASE_URL=source_url, **secret))

    restored = run_powerbase(target, "restore", str(archive), DATABASE_URL=target_url, **secret)
    assert "every checksum matching" in ok(restored)
    before, after = postgres_sums(source_url), postgres_sums(target_url)
    assert before["people_person"].rows == 3
    assert after == before
    assert file_sums(target) == file_sums(source)
    assert voterfile_versions(target, DATABASE_URL=target_url, **secret) == voterfile_versions(
        source, DATABASE_URL=source_url, **secret
    )

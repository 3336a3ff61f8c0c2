"""An upgrade is `powerbase migrate` on a running install's database: the demo loaded by the
previous code, migrated by this code, keeps every row and every page of its navigation answers.

"The previous code" is the parent of the newest commit that added a migration (so the upgrade
applies at least one), or the commit named in POWERBASE_UPGRADE_FROM. It is taken out of this
repository with `git archive` and run with this checkout's packages.
"""

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import urllib.error
from pathlib import Path

import pytest

from powerbase.core.backup import sqlite_tables, table_sums
from tests.deploy.conftest import run_powerbase
from tests.deploy.processes import ROOT, clean_env
from tests.test_demo_command import free_port, signed_in, start_demo, stop, wait_for_banner


def previous_code() -> str:
    if chosen := os.environ.get("POWERBASE_UPGRADE_FROM"):
        return chosen
    newest = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", ":(glob)src/powerbase/*/migrations/**"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"{newest}^"


def unpack(ref: str, into: Path) -> Path:
    archive = into.with_suffix(".tar")
    with open(archive, "wb") as out:
        subprocess.run(["git", "archive", ref], cwd=ROOT, stdout=out, check=True)  # noqa: S607
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def row_counts(data_dir: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(data_dir / "powerbase.sqlite3")) as con:
        return {name: s.rows for name, s in table_sums(con.cursor(), sqlite_tables(con)).items()}


@pytest.fixture
def old_demo(tmp_path) -> Path:
    """A data dir with the demo loaded by the previous code."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs this checkout's git history")
    old = unpack(previous_code(), tmp_path / "previous")
    data_dir = tmp_path / "var"
    env = clean_env(data_dir, POWERBASE_DEMO_SCALE="0.01", PYTHONPATH=str(old / "src"))
    loaded = subprocess.run(
        [sys.executable, "-m", "powerbase", "demo", "--no-serve"],
        cwd=old,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return data_dir


@pytest.mark.slow
def test_the_previous_codes_demo_upgrades_with_migrate_and_every_page_answers(old_demo):
    before = row_counts(old_demo)
    assert before["people_person"] > 0

    migrated = run_powerbase(old_demo, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    after = row_counts(old_demo)
    lost = {table: (rows, after.get(table)) for table, rows in before.items()}
    assert {t: c for t, c in lost.items() if c[1] is None or c[1] < c[0]} == {}

    port = free_port()
    demo = start_demo(old_demo, port)
    try:
        banner, _ = wait_for_banner(demo, timeout=300)
        assert "Loading the demo" not in banner  # the upgraded data is used, not loaded anew
        password = re.search(r"Password for every demo login: (\S+)", banner).group(1)
        base = f"http://127.0.0.1:{port}"
        dashboard, opener = signed_in(base, "owner@nutmeg.example", password)
        assert "<h1>Nutmeg For All</h1>" in dashboard
        pages = sorted(set(re.findall(r'href="(/o/nutmeg/[^"#?]*)"', dashboard)))
        assert len(pages) > 5, dashboard
        broken = {}
        for page in pages:
            try:
                opener.open(base + page).read()
            except urllib.error.HTTPError as error:
                broken[page] = error.code
        assert broken == {}
    finally:
        stop(demo)

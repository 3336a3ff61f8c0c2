"""Run the real `powerbase` command in a subprocess, with nothing from this test run's
environment that an operator would not have set."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.processes import ROOT, clean_env


def run_powerbase(data_dir: Path, *args: str, stdin: str = "", **extra: str):
    return subprocess.run(
        [sys.executable, "-m", "powerbase", *args],
        cwd=ROOT,
        env=clean_env(data_dir, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,  # a fresh `migrate` on a loaded 2-core machine takes minutes
    )


@pytest.fixture(scope="session")
def migrated_once(tmp_path_factory) -> Path:
    """A data dir that `powerbase migrate` set up with no environment variable at all."""
    data_dir = tmp_path_factory.mktemp("migrated") / "var"
    result = run_powerbase(data_dir, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    return data_dir


@pytest.fixture
def migrated_data_dir(migrated_once, tmp_path) -> Path:
    """A copy of *migrated_once* of this test's own."""
    return Path(shutil.copytree(migrated_once, tmp_path / "var"))


@pytest.fixture
def powerbase(tmp_path):
    """Run `powerbase ARGS...` on this test's data dir (tmp_path/var); return the result."""

    def run(*args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess:
        return run_powerbase(tmp_path / "var", *args, stdin=stdin, **extra)

    return run

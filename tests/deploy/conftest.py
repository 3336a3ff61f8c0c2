"""Run the real `powerbase` command in a subprocess, with nothing from this test run's
environment that an operator would not have set."""

import subprocess
import sys

import pytest

from tests.deploy.processes import ROOT, clean_env


@pytest.fixture
def powerbase(tmp_path):
    """Run `powerbase ARGS...` on a fresh data dir; return the finished process."""

    def run(*args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "powerbase", *args],
            cwd=ROOT,
            env=clean_env(tmp_path / "var", **extra),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )

    return run

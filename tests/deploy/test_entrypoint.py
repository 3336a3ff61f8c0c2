"""deploy/entrypoint.sh, what the container image runs, run here with this checkout's
`powerbase` on PATH (no image registry is reachable to build the image itself)."""

import subprocess
import sys
from pathlib import Path

from tests.deploy.processes import ROOT, clean_env

ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


def entrypoint(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = clean_env(data_dir)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    return subprocess.run(
        [str(ENTRYPOINT), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_any_other_command_runs_as_it_is(tmp_path):
    result = entrypoint(tmp_path, "voterfile", "--help")

    assert result.returncode == 0, result.stderr
    assert "Usage: powerbase voterfile" in result.stdout


def test_serve_migrates_then_refuses_unsafe_settings_before_listening(migrated_data_dir):
    result = entrypoint(migrated_data_dir, "serve", "--port", "8799")

    assert result.returncode == 1
    assert "Running migrations:" in result.stdout  # migrated first
    assert "unsafe  SECRET_KEY:" in result.stdout
    assert "not applied" not in result.stdout
    assert "Booting worker" not in result.stdout + result.stderr

"""The documented production layout (docs/deploy.md), deployed on this machine and used.

PostgreSQL, migrated by `powerbase migrate` (on an empty database the first time these
migrations are seen, kept as a template for the next runs: tests/deploy/postgres.py; then
`powerbase migrate` again on the install's copy, with nothing left to apply); two
`powerbase serve` processes (gunicorn, DEBUG off) on two free ports and two `powerbase
worker` processes, all on one data directory on local disk, as the systemd units run them.
Then: sign in through each port, enqueue jobs and see both workers run each exactly once (the
job-once check of tests/core/test_jobs_once.py), back the running install up and restore it
into an empty one (the restore drill of tests/deploy/test_backup.py), and stop every process
with SIGTERM, as systemd does, its children too, giving the ports back.
"""

import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from powerbase.core.models import Job
from tests.core.counted_job import HANDLER, KIND, RUNS_FILE
from tests.core.test_jobs_once import WORKER, runs, wait_until
from tests.deploy.conftest import run_powerbase
from tests.deploy.postgres import migrated_database
from tests.deploy.processes import (
    ROOT,
    clean_env,
    descendants,
    end_all,
    port_is_free,
    wait_until_gone,
)
from tests.deploy.test_backup import (
    _postgres_database,
    file_sums,
    load_some_data,
    ok,
    postgres_sums,
    voterfile_versions,
)
from tests.deploy.test_stopping import free_port
from tests.test_demo_command import signed_in

OWNER, PASSWORD = "owner@example.org", "correct-horse-battery-staple"  # load_some_data's
JOBS = 60

# Queue JOBS counted jobs in the nutmeg organization, as its owner; print their ids.
ENQUEUE = f"""
from powerbase.core.job_kinds import KINDS
KINDS[{KIND!r}] = {HANDLER!r}
from powerbase.cli.setup import django_setup
django_setup()
from powerbase.core import jobs
from powerbase.core.models import Organization
from django.contrib.auth import get_user_model
owner = get_user_model().objects.get(email={OWNER!r})
nutmeg = Organization.objects.get(slug="nutmeg")
started = [jobs.start(kind={KIND!r}, started_by=owner, organization=nutmeg) for _ in range({JOBS})]
print(" ".join(str(job.pk) for job in started))
"""


@pytest.fixture
def layout_databases(tmp_path):
    """Two PostgreSQL databases beside this run's: the install's, migrated, and an empty one
    to restore into."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the production layout runs on PostgreSQL (several serve and worker processes "
            "share one database): run with DATABASE_URL=postgres://..."
        )
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed: the restore drill backs PostgreSQL up with it")
    name = connection.settings_dict["NAME"]
    return (
        migrated_database(f"{name}_layout", tmp_path),
        _postgres_database(f"{name}_layout_restored"),
    )


class Install:
    """The processes of one install, started as the systemd units start them."""

    def __init__(self, data_dir: Path, env: dict[str, str]):
        self.data_dir, self.env = data_dir, env
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.data_dir.parent / f"{name}.log", "w")  # noqa: SIM115 - kept with it
        self.processes[name] = subprocess.Popen(
            [sys.executable, *command],
            cwd=ROOT,
            env=clean_env(self.data_dir, **self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self.processes[name]

    def serve(self, port: int) -> None:
        self.start(
            f"serve-{port}", "-m", "powerbase", "serve", "--host", "127.0.0.1", "--port", str(port)
        )

    def wait_answering(self, port: int, timeout: float = 300) -> None:
        """Wait for serve on *port* to answer /healthz; fail with its log if it stopped."""
        server, deadline = self.processes[f"serve-{port}"], time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert server.poll() is None, self.log(f"serve-{port}")[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310 - loopback
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"serve on port {port} did not answer within {timeout} s")

    def worker(self, n: int) -> subprocess.Popen:
        # `powerbase worker`, with the counted job kind of the job-once check added.
        return self.start(f"worker-{n}", "-c", WORKER)

    def log(self, name: str) -> str:
        return (self.data_dir.parent / f"{name}.log").read_text()

    def everything(self) -> set[int]:
        """The running processes and their children. A process already reaped is left out:
        its pid may belong to someone else's process by now."""
        running = [p.pid for p in self.processes.values() if p.poll() is None]
        return {pid for parent in running for pid in {parent} | descendants(parent)}


def sign_in_through(port: int) -> str:
    """Sign the owner in through *port*; return the page the sign-in leads to."""
    base = f"http://127.0.0.1:{port}"
    try:
        page, _ = signed_in(base, OWNER, PASSWORD)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"signing in through port {port}: {error}") from error
    return page


def finished(url: str, ids: list[int]) -> dict[int, tuple[str, dict]]:
    with psycopg.connect(url) as con:
        rows = con.execute(
            f"SELECT id, status, params FROM {Job._meta.db_table} WHERE id = ANY(%s)",  # noqa: S608
            [ids],
        ).fetchall()
    return {pk: (status, params) for pk, status, params in rows}


def test_the_documented_layout_deploys_serves_runs_jobs_once_backs_up_and_stops(
    layout_databases, tmp_path
):
    url, restored_url = layout_databases
    data_dir = tmp_path / "install" / "var"
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "layout-" + "x" * 50,
        "POWERBASE_HTTPS": "0",  # plain HTTP on loopback: Caddy terminates TLS in the layout
        RUNS_FILE: str(tmp_path / "runs.txt"),
    }
    started = time.monotonic()

    def step(done: str) -> None:  # shown with the output of a failed or slow run
        print(f"{time.monotonic() - started:5.1f} s  {done}", flush=True)

    assert "No migrations to apply" in ok(run_powerbase(data_dir, "migrate", **env))
    step("migrated")

    install = Install(data_dir, env)
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            install.serve(port)
        workers = [install.worker(1), install.worker(2)]
        # While they start, as an operator would once the units are up: an organization, its
        # owner, a list of people and a voter file, through the command line.
        load_some_data(data_dir, tmp_path, **env)
        step("an organization, its owner, people and a voter file loaded")
        for port in ports:
            install.wait_answering(port)
            page = sign_in_through(port)
            assert "two-factor" in page.lower(), page[:2000]  # the owner's first sign-in
        step("signed in through both ports")

        # Jobs queued by one process are run by the workers, each exactly once.
        queued = subprocess.run(
            [sys.executable, "-c", ENQUEUE],
            cwd=ROOT,
            env=clean_env(data_dir, **env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        ids = [int(pk) for pk in ok(queued).split()]
        assert len(ids) == JOBS

        def all_done() -> bool:
            return all(s == Job.Status.SUCCEEDED for s, _ in finished(url, ids).values())

        wait_until(all_done, timeout=120, what=f"{JOBS} jobs to finish")
        step(f"{JOBS} jobs queued and run")
        ran = [line.split() for line in runs(tmp_path) if line.startswith("ran ")]
        assert Counter(int(pk) for _, pk, _ in ran) == dict.fromkeys(ids, 1)
        assert {pid for _, _, pid in ran} == {str(w.pid) for w in workers}  # both took a share
        assert all(
            params["applied"] == ["first half", "second half"]
            for _, params in finished(url, ids).values()
        )

        # The restore drill, on the running install.
        archive = tmp_path / "backups" / "powerbase.tar.gz"
        ok(run_powerbase(data_dir, "backup", str(archive), **env))
        target = tmp_path / "restored" / "var"
        restored_env = env | {"DATABASE_URL": restored_url}
        said = ok(run_powerbase(target, "restore", str(archive), **restored_env))
        assert "every checksum matching" in said
        step("backed up and restored")
        before, after = postgres_sums(url), postgres_sums(restored_url)
        assert before["people_person"].rows == 3
        assert before[Job._meta.db_table].rows >= JOBS
        assert after == before
        assert file_sums(target) == file_sums(data_dir)
        assert voterfile_versions(target, **restored_env) == voterfile_versions(data_dir, **env)

        # Stopped as systemd stops them: SIGTERM, then every child gone and the ports free.
        everything = install.everything()
        assert len(everything) >= 2 * 3 + 2, "two gunicorn masters with two workers each"
        for process in install.processes.values():
            process.send_signal(signal.SIGTERM)
        for name, process in install.processes.items():
            assert process.wait(timeout=30) in (0, -signal.SIGTERM), install.log(name)
        assert wait_until_gone(everything) == set()
        assert all(port_is_free(port) for port in ports)
        step("stopped")
        assert not re.search(r"Traceback", install.log("worker-1") + install.log("worker-2"))
    finally:
        end_all(install.everything())

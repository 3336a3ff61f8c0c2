"""Fixtures for the voter file: the fixture files, a fresh data folder per test, and a way to
run an import through the job system as `powerbase worker` would."""

from pathlib import Path

import duckdb
import pytest

from powerbase.core import access, jobs
from powerbase.core.access import actor_for
from powerbase.core.models import Job, Role
from powerbase.voterfile import services
from powerbase.voterfile.build import build_version
from powerbase.voterfile.layout import load_layout

FIXTURES = Path(__file__).parent / "fixtures"
NC_FILES = ("nc/ncvoter_Statewide.txt", "nc/ncvhis_Statewide.txt")
NC_NEXT_FILES = ("nc_next/ncvoter_Statewide.txt",)
FL_FILES = (
    "fl/LEO_20240109.txt",
    "fl/ALA_20240109.txt",
    "fl/LEO_H_20240109.txt",
    "fl/ALA_H_20240109.txt",
)
GENERIC_FILES = ("generic/county_export.csv", "generic/county_history.csv")


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir):
    """Every test here reads or writes a voter file: each in a folder of its own."""


# The fixtures are a dozen rows with deliberate faults (1 malformed row of 11, 2 removals of
# 9), far above what the sanity gates allow in a real file. Tests of the gates themselves ask
# for `strict_gates`.
LENIENT_GATES = {"min_well_formed": 0.5, "max_removed": 0.5}


@pytest.fixture(autouse=True)
def lenient_gates(settings):
    settings.VOTERFILE_GATES = LENIENT_GATES


@pytest.fixture
def strict_gates(settings):
    """The sanity gates with their real thresholds (95% well formed, 10% removals)."""
    settings.VOTERFILE_GATES = {}


@pytest.fixture
def build(tmp_path):
    """Build a version from fixture files without Django; return (result, open connection)."""
    connections = []

    def run(*names, layout="nc", mapping=None, previous=None, files=None):
        chosen = load_layout(layout)
        if mapping:
            chosen = chosen.with_mapping(mapping)
        target = tmp_path / f"build{len(connections)}.duckdb"
        paths = files or [FIXTURES / name for name in names]
        result = build_version(files=paths, layout=chosen, target=target, previous=previous)
        con = duckdb.connect(str(target), read_only=True)
        connections.append(con)
        return result, con

    yield run
    for con in connections:
        con.close()


def _built(tmp_path_factory, name: str, *files: str, layout: str, mapping=None):
    chosen = load_layout(layout)
    if mapping:
        chosen = chosen.with_mapping(mapping)
    target = tmp_path_factory.mktemp(name) / "version.duckdb"
    result = build_version(files=[FIXTURES / file for file in files], layout=chosen, target=target)
    return result, duckdb.connect(str(target), read_only=True)


# One build per layout for the whole run: the tests only read them.


@pytest.fixture(scope="session")
def nc_build(tmp_path_factory):
    result, con = _built(tmp_path_factory, "nc", *NC_FILES, layout="nc")
    yield result, con
    con.close()


@pytest.fixture(scope="session")
def ct_build(tmp_path_factory):
    result, con = _built(tmp_path_factory, "ct", "ct/VOTELCT2.TXT", layout="ct")
    yield result, con
    con.close()


@pytest.fixture(scope="session")
def oh_build(tmp_path_factory):
    result, con = _built(tmp_path_factory, "oh", "oh/FRANKLIN.txt", "oh/TRUMBULL.txt", layout="oh")
    yield result, con
    con.close()


@pytest.fixture(scope="session")
def fl_build(tmp_path_factory):
    result, con = _built(tmp_path_factory, "fl", *FL_FILES, layout="fl")
    yield result, con
    con.close()


@pytest.fixture(scope="session")
def generic_build(tmp_path_factory):
    result, con = _built(tmp_path_factory, "generic", *GENERIC_FILES, layout="generic")
    yield result, con
    con.close()


@pytest.fixture
def data_director(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.DATA], nutmeg.slug)


def run_job(job: Job) -> Job:
    """Run *job*'s task here, as the worker would (status, progress, error), and reload it.

    The queue's own worker closes database connections between tasks, which ends a test's
    transaction on PostgreSQL; the task itself is what these tests are about.
    """
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def import_voter_file(django_capture_on_commit_callbacks, nutmeg):
    """Start an import and run its job; return the finished job."""

    def run(*names, layout="nc", actor=None, mapping=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.start_import(
                actor=actor or access.command_line(nutmeg),
                paths=[FIXTURES / name for name in names],
                layout=layout,
                mapping=mapping,
            )
        return run_job(job)

    return run

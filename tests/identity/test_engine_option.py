"""`powerbase identity link|dedupe --engine`: where the matching job trains and scores.

Spark runs where pyspark (powerbase[spark]) and Java are installed; the Spark run is skipped,
saying so, elsewhere. Without pyspark, asking for Spark is refused before a job is queued.
"""

import importlib.util

import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core import jobs
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Job
from powerbase.identity import services
from powerbase.identity.models import VoterLink
from powerbase.identity.services import LINK_JOB
from tests.identity.conftest import run_job

HAVE_PYSPARK = importlib.util.find_spec("pyspark") is not None
without_pyspark = pytest.mark.skipif(HAVE_PYSPARK, reason="pyspark is installed here")


def identity(*args: str):
    return CliRunner().invoke(app, ["identity", *args], env={"COLUMNS": "200"})


@without_pyspark
def test_asking_for_spark_without_pyspark_says_what_to_install_and_queues_nothing(town, base):
    result = identity("link", "--org", "nutmeg", "--engine", "spark")
    assert result.exit_code == 1
    assert "powerbase[spark]" in result.output
    result = identity("dedupe", "--org", "nutmeg", "--engine", "spark", "--no-wait")
    assert result.exit_code == 1 and "powerbase[spark]" in result.output
    assert not Job.objects.exclude(kind__startswith="voterfile").exists()


def test_an_unknown_engine_is_refused(town, base, data_director):
    with pytest.raises(InvalidInput, match="choose one of duckdb, spark"):
        services.start_link(actor=data_director, engine="hadoop")
    result = identity("link", "--org", "nutmeg", "--engine", "hadoop")
    assert result.exit_code == 2  # typer: not one of the choices
    assert not Job.objects.exclude(kind__startswith="voterfile").exists()


def test_a_spark_master_needs_the_spark_engine(town, base, data_director):
    with pytest.raises(InvalidInput, match="--engine spark"):
        services.start_link(actor=data_director, spark_master="spark://elsewhere:7077")


@without_pyspark
def test_the_job_runs_on_the_engine_it_was_started_with(town, base, data_director):
    # Queued with Spark (as on a machine that has pyspark), run where it is missing: the run
    # reaches the Spark engine, which says what to install, and links no one.
    job = jobs.start(
        kind=LINK_JOB,
        started_by=data_director,
        organization=data_director.organization,
        params={"engine": "spark", "spark_master": None},
    )
    job = run_job(job)
    assert job.status == Job.Status.FAILED
    assert "powerbase[spark]" in job.error
    assert not VoterLink.objects.exists()


def test_the_default_engine_is_duckdb(town, base):
    result = identity("link", "--org", "nutmeg")
    assert result.exit_code == 0, result.output
    assert "engine" not in result.output  # the summary names Spark only
    assert VoterLink.objects.count() == 4


@pytest.mark.skipif(not HAVE_PYSPARK, reason="the Spark engine needs pyspark and Java 17+")
def test_link_on_spark_links_the_same_people_as_on_duckdb(town, base, data_director):
    on_duckdb = run_job(services.start_link(actor=data_director))
    assert on_duckdb.status == Job.Status.SUCCEEDED, on_duckdb.error
    linked = set(VoterLink.objects.values_list("person_id", "voter_id"))
    VoterLink.objects.all().delete()
    result = identity("link", "--org", "nutmeg", "--engine", "spark")
    assert result.exit_code == 0, result.output
    assert "engine: spark" in result.output
    assert set(VoterLink.objects.values_list("person_id", "voter_id")) == linked

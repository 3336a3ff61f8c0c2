"""The Spark engine: the same model on Splink's Spark backend finds the same people.

Runs where pyspark (the powerbase[spark] extra) and Java are installed; skipped, saying so,
elsewhere. Without pyspark, asking for Spark says what to install.
"""

import dataclasses
import importlib.util
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powerbase.cli.linkage import Engine
from powerbase.cli.main import app
from powerbase.identity.linkage import LinkageError, LinkageSettings, dedupe, link
from powerbase.identity.linkage.engines import ENGINES, SPARK_MISSING, as_duckdb, for_dialect
from powerbase.identity.linkage.model import splink_settings
from powerbase.identity.linkage.synthetic import build_synthetic_lists
from tests.identity.linkage.conftest import MEMBER_COLUMNS, VOTER_COLUMNS

HAVE_PYSPARK = importlib.util.find_spec("pyspark") is not None
HAVE_JAVA = shutil.which("java") is not None
needs_spark = pytest.mark.skipif(
    not (HAVE_PYSPARK and HAVE_JAVA),
    reason="the Spark engine needs pyspark (pip install 'powerbase[spark]') and Java 17+",
)

# Lists small enough that every pair is used to estimate u and every blocked pair for EM:
# no random sample, so both engines train on exactly the same pairs.
SETTINGS = LinkageSettings(u_sample_pairs=1e9, em_max_pairs=1e9)
ON_SPARK = dataclasses.replace(SETTINGS, engine="spark")


@pytest.fixture(scope="module")
def village():
    lists = build_synthetic_lists(voters=800, members=120, seed=8, duplicate_share=0.2)
    return (
        lists.members.select(list(MEMBER_COLUMNS)),
        lists.voters.select(list(VOTER_COLUMNS)),
    )


def pairs_of(result) -> set[tuple[str, str]]:
    return set(
        zip(result.pairs["left_id"].to_pylist(), result.pairs["right_id"].to_pylist(), strict=True)
    )


def probabilities(result) -> dict[tuple[str, str], float]:
    return dict(
        zip(
            zip(
                result.pairs["left_id"].to_pylist(),
                result.pairs["right_id"].to_pylist(),
                strict=True,
            ),
            result.pairs["match_probability"].to_pylist(),
            strict=True,
        )
    )


@needs_spark
def test_a_link_on_spark_finds_the_same_pairs_as_on_duckdb(village):
    members, voters = village
    on_duckdb = link(members, voters, settings=SETTINGS)
    on_spark = link(members, voters, settings=ON_SPARK)
    assert on_duckdb.pairs.num_rows > 100
    assert pairs_of(on_spark) == pairs_of(on_duckdb)
    spark_scores = probabilities(on_spark)
    for pair, probability in probabilities(on_duckdb).items():
        assert spark_scores[pair] == pytest.approx(probability, abs=1e-3)
    # The stored model reads the same whichever engine trained it. Splink's Jaro-Winkler on
    # Spark (from its jar) differs from DuckDB's in the last digits, which moves a few random
    # pairs across a "similar spelling" boundary: those levels' weights differ by hundredths,
    # and the scores in the fifth decimal.
    assert on_spark.model.splink_settings["sql_dialect"] == "duckdb"
    assert weights_of(on_spark.model) == pytest.approx(weights_of(on_duckdb.model), abs=0.1)


def weights_of(model) -> dict[tuple[str, str], float]:
    return {
        (comparison, level["label"]): level["weight"]
        for comparison, levels in model.weights().items()
        for level in levels
    }


@needs_spark
def test_a_dedupe_on_spark_makes_the_same_clusters_as_on_duckdb(village):
    members, _ = village
    on_duckdb = dedupe(members, settings=SETTINGS)
    on_spark = dedupe(members, settings=ON_SPARK)
    assert pairs_of(on_spark) == pairs_of(on_duckdb)
    assert on_spark.clusters.sort_by("id") == on_duckdb.clusters.sort_by("id")
    people = len(set(on_duckdb.clusters["cluster_id"].to_pylist()))
    assert people < members.num_rows  # some members are on the list twice


@needs_spark
def test_the_cli_links_on_spark(fixture_csvs, tmp_path: Path):
    members, voters = fixture_csvs
    on_duckdb, on_spark = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    for engine, out in (("duckdb", on_duckdb), ("spark", on_spark)):
        result = CliRunner().invoke(
            app,
            ["link", str(members), str(voters), "--out", str(out), "--engine", engine],
            env={"COLUMNS": "200"},
        )
        assert result.exit_code == 0, result.output
    assert on_spark.read_text().splitlines()[0] == "left_id,right_id,match_probability"
    assert len(on_spark.read_text().splitlines()) > 1
    assert sorted(line.split(",")[:2] for line in on_spark.read_text().splitlines()) == sorted(
        line.split(",")[:2] for line in on_duckdb.read_text().splitlines()
    )


@pytest.mark.skipif(HAVE_PYSPARK, reason="pyspark is installed: this is the machine without it")
def test_without_pyspark_asking_for_spark_says_what_to_install(village, tmp_path):
    members, voters = village
    with pytest.raises(LinkageError, match=r"install powerbase\[spark\]"):
        link(members, voters, settings=LinkageSettings(engine="spark"))
    assert "pip install 'powerbase[spark]'" in SPARK_MISSING


def test_the_model_sql_is_written_for_spark_and_read_back_for_duckdb():
    available = {"first_name", "first_family", "last_name", "dob", "dob_swapped", "zip"}
    model = splink_settings("link_only", available)
    on_spark = for_dialect(model, "spark")
    levels = [
        level["sql_condition"]
        for comparison in on_spark["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    assert any("ARRAY_CONTAINS(first_family_l, first_name_r)" in sql for sql in levels)
    assert not any("list_contains" in sql for sql in levels)
    trained = {**on_spark, "sql_dialect": "spark"}
    restored = as_duckdb(trained)
    assert restored["comparisons"] == model["comparisons"]
    assert restored["sql_dialect"] == "duckdb"


def test_the_cli_offers_every_engine():
    assert [engine.value for engine in Engine] == list(ENGINES)


def test_an_unknown_engine_is_refused_by_the_cli(tmp_path):
    result = CliRunner().invoke(
        app, ["link", "a.csv", "b.csv", "--out", str(tmp_path / "o.csv"), "--engine", "hadoop"]
    )
    assert result.exit_code == 2
    assert "hadoop" in result.output

"""Where Splink trains and scores: DuckDB in this process, or Spark for very large lists.

Both engines run the same model (model.py) on the same normalised tables. Reading and
normalising the sources stays in the DuckDB workspace (one pass over each list); what grows
with the square of the lists, sampling random pairs for u, EM on blocked pairs and scoring
the candidate pairs, runs on the engine. With Spark the normalised tables go over as Parquet
files, the scored pairs come back the same way, and the model's SQL (written for DuckDB) is
translated to Spark SQL by sqlglot.

    powerbase link members.csv voters.csv --out links.csv --engine spark
"""

import shutil
import tempfile
from pathlib import Path
from typing import Any

import sqlglot
from splink import DuckDBAPI

from powerbase.identity.linkage.errors import LinkageError
from powerbase.identity.linkage.sources import Workspace

ENGINES = ("duckdb", "spark")
SPARK_MISSING = (
    "The Spark engine needs pyspark (and Java 17 or later): install powerbase[spark], "
    "e.g. `pip install 'powerbase[spark]'`, or leave out --engine spark to run on DuckDB."
)
# Our name for the function DuckDB calls jaro_winkler_similarity once sqlglot has written it
# for Spark, and the class in Splink's jar that computes it.
SPARK_JARO_WINKLER = ("jarowinkler_similarity", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity")


class DuckDBEngine:
    """Splink on the workspace's own DuckDB connection: nothing is copied."""

    dialect = "duckdb"

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.api = DuckDBAPI(connection=workspace.con)

    def register(self, tables: list[str], names: list[str]) -> list:
        return [
            self.api.register(table, dataset_display_name=name)
            for table, name in zip(tables, names, strict=True)
        ]

    def local(self, frame) -> str:
        """Return the name under which Splink's result *frame* is readable in the workspace."""
        return frame.physical_name

    def close(self) -> None:
        pass


class SparkEngine:
    """Splink's SparkAPI on a Spark session: `local[*]` by default, or the cluster *master*
    names (spark://host:7077, yarn). On a cluster, *folder* (where tables are handed over as
    Parquet) must be storage every executor reads, like the workspace's temp_directory."""

    dialect = "spark"

    def __init__(self, workspace: Workspace, *, master: str | None = None, folder: str | None):
        try:
            from pyspark.sql import SparkSession
            from pyspark.sql.types import DoubleType
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError:
            raise LinkageError(SPARK_MISSING) from None
        self.workspace = workspace
        self.folder = Path(tempfile.mkdtemp(prefix="powerbase-spark-", dir=folder))
        builder = (
            SparkSession.builder.appName("powerbase-linkage")
            .master(master or "local[*]")
            # Splink's string similarity functions (Jaro-Winkler) are in a jar it ships.
            .config("spark.jars", similarity_jar_location())
            # A few hundred thousand records need far fewer than Spark's 200 shuffle partitions.
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
        try:
            self.spark = builder.getOrCreate()
        except Exception as error:  # a missing Java, or a master that does not answer
            raise LinkageError(f"Could not start Spark: {str(error).splitlines()[0]}") from None
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(str(self.folder / "checkpoints"))
        self.api = SparkAPI(spark_session=self.spark, break_lineage_method="parquet")
        self.spark.udf.registerJavaFunction(*SPARK_JARO_WINKLER, DoubleType())
        self._count = 0
        self._views: list[str] = []

    def register(self, tables: list[str], names: list[str]) -> list:
        inputs = []
        for table, name in zip(tables, names, strict=True):
            # Splink registers each input as a temporary view of that name ("left"): the
            # session outlives a run, so an earlier run's view would be in the way.
            self.spark.catalog.dropTempView(name)
            self._views.append(name)
            path = self._handover(table)
            frame = self.spark.read.parquet(str(path))
            inputs.append(self.api.register(frame, dataset_display_name=name))
        return inputs

    def local(self, frame) -> str:
        """Write Splink's Spark result *frame* as Parquet and read it into the workspace."""
        self._count += 1
        path = self.folder / f"result_{self._count}"
        frame.as_spark_dataframe().write.parquet(str(path))
        name = self.workspace.new_name("spark_result")
        quoted = str(path).replace("'", "''")
        self.workspace.con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{quoted}/*.parquet')"  # noqa: S608
        )
        return name

    def close(self) -> None:
        # The session stays for the next run in this process (starting one takes seconds).
        for name in self._views:
            self.spark.catalog.dropTempView(name)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _handover(self, table: str) -> Path:
        self._count += 1
        path = self.folder / f"input_{self._count}.parquet"
        quoted = str(path).replace("'", "''")
        self.workspace.con.execute(f"COPY {table} TO '{quoted}' (FORMAT parquet)")
        return path


def open_engine(name: str, workspace: Workspace, *, master: str | None, folder: str | None):
    """Return the engine called *name* ("duckdb" or "spark") for a run in *workspace*."""
    if name == "duckdb":
        return DuckDBEngine(workspace)
    if name == "spark":
        return SparkEngine(workspace, master=master, folder=folder)
    raise LinkageError(f"Unknown engine '{name}': choose one of {', '.join(ENGINES)}.")


def spark_sql(sql: str) -> str:
    """Return DuckDB *sql* (a comparison level or blocking rule) written for Spark."""
    if sql == "ELSE":
        return sql
    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """Return the Splink settings *model* (written for DuckDB) with its SQL for *dialect*."""
    if dialect == "duckdb":
        return model
    translated = dict(model)
    translated["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**level, "sql_condition": spark_sql(level["sql_condition"])}
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in model["comparisons"]
    ]
    translated["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": spark_sql(rule["blocking_rule"])}
        if isinstance(rule, dict)
        else rule
        for rule in model["blocking_rules_to_generate_predictions"]
    ]
    return translated


def as_duckdb(model: dict[str, Any]) -> dict[str, Any]:
    """Return a trained model's Splink settings with their SQL in DuckDB's dialect again.

    A stored model is read by DuckDB (explanations, a later run), whichever engine trained
    it; the levels' SQL is model.py's own, the blocking rules are translated back.
    """
    if model.get("sql_dialect", "duckdb") == "duckdb":
        return model
    from powerbase.identity.linkage.model import comparison_named

    restored = dict(model, sql_dialect="duckdb")
    restored["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**trained, "sql_condition": level.sql}
                for level, trained in zip(
                    comparison_named(comparison["output_column_name"]).levels,
                    comparison["comparison_levels"],
                    strict=True,
                )
            ],
        }
        for comparison in model["comparisons"]
    ]
    restored["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": _duckdb_sql(rule["blocking_rule"]), "sql_dialect": "duckdb"}
        if isinstance(rule, dict)
        else rule
        for rule in model["blocking_rules_to_generate_predictions"]
    ]
    return restored


def _duckdb_sql(sql: str) -> str:
    return sqlglot.transpile(sql, read="spark", write="duckdb")[0]

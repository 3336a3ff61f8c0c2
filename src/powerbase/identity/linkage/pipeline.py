"""The two jobs: link one list to another, and find the people a list holds more than once.

Both read their sources into a DuckDB workspace, normalise them, train a Splink model on the
data itself (no labelled pairs needed), score the candidate pairs the blocking rules find,
and return Arrow tables. `link` keeps, for each left record, its best candidates;
`dedupe` also groups the records into clusters, one per person.
"""

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pyarrow as pa
from splink import Linker

from powerbase.identity.linkage.columns import (
    EVIDENCE_FIELDS,
    ColumnMap,
    column_maps,
    with_shared_extras,
)
from powerbase.identity.linkage.engines import open_engine
from powerbase.identity.linkage.errors import NothingToCompare
from powerbase.identity.linkage.model import YEAR_ONLY
from powerbase.identity.linkage.normalise import (
    create_families_table,
    create_normalised_table,
)
from powerbase.identity.linkage.settings import LinkageSettings
from powerbase.identity.linkage.sources import Source, SourceInput, Workspace, open_source
from powerbase.identity.linkage.training import LinkageModel, TrainedLinker, train

# Normalised columns that exist when a source has a field.
COLUMNS_OF_FIELD = {
    "first_name": ("first_name", "first_family"),
    "last_name": ("last_name",),
    "dob": ("dob", "dob_swapped", "birth_year"),
    "birth_year": ("birth_year",),
    "zip": ("zip",),
    "address": ("address",),
    "city": ("city",),
    "phone": ("phone",),
    "email": ("email",),
    "personal_id": ("personal_id",),
}


NAME_COLUMNS = {"first_name", "first_family", "last_name"}


class Stage(StrEnum):
    """The steps a run reports, in order."""

    READING = "reading"
    TRAINING = "training"
    PREDICTING = "predicting"
    CLUSTERING = "clustering"
    WRITING = "writing"


ProgressCallback = Callable[[Stage, str], None]


@dataclass
class RunStats:
    """Counts and timings of a run, for a progress report or a benchmark."""

    left_rows: int = 0
    right_rows: int = 0
    # Scored pairs at or above the threshold, before keeping each record's best match.
    pairs_over_threshold: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkResult:
    """Pairs (left_id, right_id, match_probability, match_weight) at or above the threshold."""

    pairs: pa.Table
    model: LinkageModel
    stats: RunStats


@dataclass(frozen=True)
class DedupeResult:
    """Pairs within the list, and one row (id, cluster_id) per record."""

    pairs: pa.Table
    clusters: pa.Table
    model: LinkageModel
    stats: RunStats


def link(
    left: SourceInput,
    right: SourceInput,
    *,
    settings: LinkageSettings | None = None,
    columns: Mapping[str, str | None] | None = None,
    left_columns: Mapping[str, str | None] | None = None,
    right_columns: Mapping[str, str | None] | None = None,
    threshold: float | None = None,
    connection=None,
    progress: ProgressCallback | None = None,
) -> LinkResult:
    """Find, for each record of *left*, the record of *right* that is the same person.

    *left* and *right* are CSV or Parquet paths, pyarrow Tables, or (with *connection*, a
    DuckDB connection) names of tables stored in that database, which are read in place.
    Columns are recognised from their headers. *columns* maps a field ("phone") to a column
    ("Cell") in whichever source has it, or to None to leave the field out;
    *left_columns*/*right_columns* do so for one source. Return the pairs whose match
    probability is at least *threshold* (default: the review threshold).
    """
    settings = settings or LinkageSettings()
    threshold = settings.thresholds.review if threshold is None else threshold
    run = _Run(settings, progress)
    with _workspace(connection, settings) as workspace, _splink_quiet():
        run.stage(Stage.READING, "reading both lists")
        run.start_engine(workspace)
        sources = [
            open_source(workspace, left, label="left"),
            open_source(workspace, right, label="right"),
        ]
        left_map, right_map = with_shared_extras(
            column_maps(
                [(s.name, s.headers) for s in sources],
                shared=columns,
                own=[left_columns, right_columns],
            ),
            [source.headers for source in sources],
        )
        left_table = run.normalise(workspace, sources[0], left_map)
        right_table = run.normalise(workspace, sources[1], right_map)
        available = _available(
            workspace,
            [left_table, right_table],
            _shared_columns(left_map, right_map),
            (left_map, right_map),
        )
        run.stats.left_rows = _count(workspace, left_table)
        run.stats.right_rows = _count(workspace, right_table)
        model = run.train(workspace, [left_table, right_table], "link_only", available)
        run.stage(Stage.PREDICTING, "scoring candidate pairs")
        pairs = _link_pairs(
            workspace,
            run.engine,
            model.linker,
            threshold=threshold,
            best_only=settings.best_match_only,
            stats=run.stats,
        )
        frequencies = _term_frequencies(
            workspace, run.engine, model, pairs, left_table, right_table
        )
        run.finish()
        return LinkResult(pairs=pairs, model=model.frozen(frequencies), stats=run.stats)


def dedupe(
    records: SourceInput,
    *,
    settings: LinkageSettings | None = None,
    columns: Mapping[str, str | None] | None = None,
    threshold: float | None = None,
    connection=None,
    progress: ProgressCallback | None = None,
) -> DedupeResult:
    """Find the records of *records* that are the same person, and group them into clusters.

    Pairs at or above *threshold* (default: the review threshold) are returned; clusters join
    the records whose pairs reach the auto-accept threshold. Every record gets a row in
    `clusters`; one on its own has its own id as cluster_id.
    """
    settings = settings or LinkageSettings()
    threshold = settings.thresholds.review if threshold is None else threshold
    run = _Run(settings, progress)
    with _workspace(connection, settings) as workspace, _splink_quiet():
        run.stage(Stage.READING, "reading the list")
        run.start_engine(workspace)
        source = open_source(workspace, records, label="records")
        (column_map,) = with_shared_extras(
            column_maps([(source.name, source.headers)], shared=columns), [source.headers]
        )
        table = run.normalise(workspace, source, column_map)
        available = _available(
            workspace, [table], _shared_columns(column_map, column_map), (column_map, column_map)
        )
        run.stats.left_rows = run.stats.right_rows = _count(workspace, table)
        model = run.train(workspace, [table], "dedupe_only", available)
        run.stage(Stage.PREDICTING, "scoring candidate pairs")
        predictions = model.linker.inference.predict(
            threshold_match_probability=min(threshold, settings.thresholds.auto_accept),
            warning_mode="never",
        )
        scored = run.engine.local(predictions)
        run.stats.pairs_over_threshold = _count(workspace, scored)
        pairs = _pairs_table(workspace, scored, threshold)
        run.stage(Stage.CLUSTERING, "grouping records into people")
        clusters = _clusters(
            workspace,
            run.engine,
            model.linker,
            predictions,
            table,
            settings.thresholds.auto_accept,
        )
        frequencies = _term_frequencies(workspace, run.engine, model, pairs, table, table)
        run.finish()
        return DedupeResult(
            pairs=pairs, clusters=clusters, model=model.frozen(frequencies), stats=run.stats
        )


class _Run:
    """Progress reporting and stage timings for one run."""

    def __init__(self, settings: LinkageSettings, progress: ProgressCallback | None):
        self.settings = settings
        self.progress = progress
        self.stats = RunStats()
        self._stage: Stage | None = None
        self._started = time.perf_counter()
        self._families: str | None = None
        self.engine: Any = None

    def start_engine(self, workspace: Workspace) -> None:
        """Open the engine the settings name; it is closed with the workspace."""
        self.engine = open_engine(
            self.settings.engine,
            workspace,
            master=self.settings.spark_master,
            folder=self.settings.temp_directory,
        )
        workspace.on_close(self.engine.close)

    def stage(self, stage: Stage, message: str) -> None:
        self._close_stage()
        self._stage = stage
        if self.progress is not None:
            self.progress(stage, message)

    def finish(self) -> None:
        self._close_stage()

    def _close_stage(self) -> None:
        now = time.perf_counter()
        if self._stage is not None:
            self.stats.seconds[self._stage.value] = (
                self.stats.seconds.get(self._stage.value, 0.0) + now - self._started
            )
        self._started = now

    def normalise(self, workspace: Workspace, source: Source, column_map: ColumnMap) -> str:
        if self._families is None:
            self._families = create_families_table(workspace)
        return create_normalised_table(workspace, source, column_map, families_table=self._families)

    def train(
        self, workspace: Workspace, tables: list[str], link_type: str, available: set[str]
    ) -> TrainedLinker:
        self.stage(Stage.TRAINING, "estimating weights")
        names = ["left", "right"] if len(tables) > 1 else ["records"]
        inputs = self.engine.register(tables, names)
        return train(
            inputs,
            link_type,
            available,
            self.settings,
            dialect=self.engine.dialect,
            workspace=workspace,
            tables=tables,
            report=self._report_training,
        )

    def _report_training(self, message: str) -> None:
        if self.progress is not None:
            self.progress(Stage.TRAINING, message)


def _workspace(connection, settings: LinkageSettings) -> Workspace:
    return Workspace(
        connection, memory_limit=settings.memory_limit, temp_directory=settings.temp_directory
    )


@contextmanager
def _splink_quiet() -> Iterator[None]:
    """Keep Splink's chatter off the caller's console: the stages report progress instead.

    Its warnings here are expected (EM sampling finding fewer pairs than it could sample, a
    level no blocked pair reached); a failure still raises.
    """
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _shared_columns(left: ColumnMap, right: ColumnMap) -> set[str]:
    """Return the normalised columns both sources have; raise if no evidence is shared.

    A full date of birth gives a birth year too, so a member list with dates and a voter
    file with years share the birth year.
    """

    def fields(column_map: ColumnMap) -> set[str]:
        return set(column_map.fields) | ({"birth_year"} if "dob" in column_map.fields else set())

    shared = fields(left) & fields(right)
    extras = set(left.extras) & set(right.extras)
    if not shared & set(EVIDENCE_FIELDS) and not extras:
        _nothing_to_compare(left, right)
    return {column for name in shared for column in COLUMNS_OF_FIELD.get(name, ())} | extras


def _nothing_to_compare(left: ColumnMap, right: ColumnMap):
    sources = left.source if left is right else f"{left.source} and {right.source}"
    raise NothingToCompare(
        f"Besides names, {sources} have no field in common to compare: at least one of "
        "birth date or year, zip, address, city, phone, email or another shared column "
        "must hold values on both sides, or every namesake would look the same."
    )


def _available(
    workspace: Workspace, tables: list[str], columns: set[str], maps: tuple[ColumnMap, ColumnMap]
) -> set[str]:
    """Return those of *columns* that hold a value in every table, and YEAR_ONLY if apt.

    A voter file's birth_date column may be there and empty (North Carolina publishes the
    year only): such a column is no use for blocking or scoring. An empty table says
    nothing either way. Raise NothingToCompare when no evidence beyond names is left.
    """
    names = sorted(columns)
    present = set(names)
    year_only = False
    for table in tables:
        *counts, year_only_rows, rows = workspace.con.execute(
            f"SELECT {', '.join(f'count({name})' for name in names)}, "  # noqa: S608
            f"count(*) FILTER (WHERE birth_year IS NOT NULL AND dob IS NULL), count(*) "
            f"FROM {table}"
        ).fetchall()[0]
        if rows:
            present -= {name for name, count in zip(names, counts, strict=True) if not count}
        year_only = year_only or bool(year_only_rows)
    if not present - NAME_COLUMNS:
        _nothing_to_compare(*maps)
    return present | ({YEAR_ONLY} if year_only and "birth_year" in present else set())


def _count(workspace: Workspace, table: str) -> int:
    return workspace.scalar(f"SELECT count(*) FROM {table}")  # noqa: S608


def _link_pairs(
    workspace: Workspace,
    engine,
    linker: Linker,
    *,
    threshold: float,
    best_only: bool,
    stats: RunStats,
) -> pa.Table:
    predictions = engine.local(
        linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    )
    best = (
        "QUALIFY match_probability = max(match_probability) OVER (PARTITION BY left_id)"
        if best_only
        else ""
    )
    stats.pairs_over_threshold = _count(workspace, predictions)
    # Splink orders each pair by dataset; "left" sorts before "right", but do not rely on it.
    return workspace.con.sql(f"""
        SELECT CASE WHEN source_dataset_l = 'left' THEN unique_id_l ELSE unique_id_r END
                   AS left_id,
               CASE WHEN source_dataset_l = 'left' THEN unique_id_r ELSE unique_id_l END
                   AS right_id,
               match_probability, match_weight
        FROM {predictions}
        {best}
        ORDER BY left_id, match_probability DESC, right_id
    """).to_arrow_table()  # noqa: S608 - only our own table names


def _term_frequencies(
    workspace: Workspace, engine, model: TrainedLinker, pairs: pa.Table, left: str, right: str
) -> dict[str, dict[str, float]]:
    """Return the frequency of each value of the returned pairs in each adjusting column.

    Splink computed them (over both lists together) to score the pairs; an explanation of
    a pair needs the same ones to add up, and only the pairs' values, not the whole list's.
    """
    frequencies: dict[str, dict[str, float]] = {}
    workspace.con.register("returned_pair_ids", pairs.select(["left_id", "right_id"]))
    for column in model.term_frequency_columns():
        table = engine.local(model.linker.table_management.compute_tf_table(column))
        rows = workspace.con.execute(f"""
            SELECT tf.{column}, tf.tf_{column} FROM {table} AS tf
            WHERE tf.{column} IN (
                SELECT l.{column} FROM {left} AS l
                JOIN returned_pair_ids AS ids ON l.unique_id = ids.left_id
                UNION
                SELECT r.{column} FROM {right} AS r
                JOIN returned_pair_ids AS ids ON r.unique_id = ids.right_id)
        """).fetchall()  # noqa: S608 - only our own table and column names
        frequencies[column] = dict(rows)
    workspace.con.unregister("returned_pair_ids")
    return frequencies


def _pairs_table(workspace: Workspace, predictions: str, threshold: float) -> pa.Table:
    return workspace.con.sql(
        f"""
        SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability,
               match_weight
        FROM {predictions} WHERE match_probability >= $threshold
        ORDER BY left_id, match_probability DESC, right_id
    """,  # noqa: S608
        params={"threshold": threshold},
    ).to_arrow_table()  # noqa: S608 - only our own table names


def _clusters(
    workspace: Workspace, engine, linker: Linker, predictions, table: str, auto_accept: float
) -> pa.Table:
    clustered = engine.local(
        linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=auto_accept
        )
    )
    return workspace.con.sql(f"""
        SELECT records.unique_id AS id, coalesce(c.cluster_id, records.unique_id) AS cluster_id
        FROM {table} AS records
        LEFT JOIN {clustered} AS c ON c.unique_id = records.unique_id
        ORDER BY records.source_row
    """).to_arrow_table()  # noqa: S608 - only our own table names

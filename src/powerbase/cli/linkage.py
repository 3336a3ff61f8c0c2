"""`powerbase link` and `powerbase dedupe`: record linkage on any CSV files, no database needed.

    powerbase link members.csv voters.csv --out links.csv
    powerbase dedupe everyone.csv --out clusters.csv --map phone="Cell Phone"
    powerbase link members.csv voters.csv --out links.csv --engine spark   # powerbase[spark]

Columns are recognised from common header names (given_name, surname, postcode,
date_of_birth, birth_year, suburb/city, street_number + address_1, soc_sec_id, ...); any
other column both files have is compared as it is. `--map target=column` names one the
recognition misses (`--map left.dob=Born` for one file only, `--map personal_id=Card` for an
id both files carry, `--map email=` to leave a field out). These commands run without Django
and without the powerbase database.
"""

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from powerbase.cli.consoles import make_console
from powerbase.identity.linkage import (
    DEFAULT_THRESHOLDS,
    LinkageError,
    LinkageSettings,
    MissingColumn,
    Stage,
    Thresholds,
)
from powerbase.identity.linkage import dedupe as dedupe_records
from powerbase.identity.linkage import link as link_records
from powerbase.identity.linkage.columns import parse_map_options

console = make_console()  # the summary
err_console = make_console(stderr=True)  # progress and errors

MAP_HELP = (
    "Use COLUMN for TARGET (id, first_name, last_name, dob, birth_year, zip, address, "
    "house_number, city, phone, email, personal_id: an id of the person both files "
    "carry, e.g. a card number); leave COLUMN empty to skip a field. Columns no field "
    "claims are compared too when both files have them. Repeatable."
)
LinkMapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="TARGET=COLUMN",
        help=MAP_HELP + " Prefix TARGET with left. or right. for one file only.",
    ),
]
DedupeMapOption = Annotated[
    list[str] | None, typer.Option("--map", metavar="TARGET=COLUMN", help=MAP_HELP)
]


class Engine(StrEnum):
    """The engines of powerbase.identity.linkage.engines.ENGINES."""

    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[
    Engine,
    typer.Option(
        help="Where the model trains and scores: duckdb (this machine) or spark (Splink's "
        "Spark backend, for lists too large for one machine; needs powerbase[spark]).",
    ),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        help="With --engine spark: the Spark master, e.g. spark://host:7077 (default: "
        "local[*], every core of this machine)."
    ),
]


def link(
    left: Annotated[Path, typer.Argument(help="CSV of the records to link, e.g. members.")],
    right: Annotated[Path, typer.Argument(help="CSV to link them to, e.g. the voter file.")],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write left_id,right_id,match_probability.")
    ],
    map_options: LinkMapOption = None,
    threshold: Annotated[
        float,
        typer.Option(
            help="Lowest match probability to write. The default writes the links safe to "
            f"accept without review; {DEFAULT_THRESHOLDS.review} also writes those a "
            "person should check."
        ),
    ] = DEFAULT_THRESHOLDS.auto_accept,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = None,
) -> None:
    """Link each record of LEFT to the record of RIGHT that is the same person.

    Writes left_id,right_id,match_probability: the best match of each LEFT record.

    Ids are written as they appear in each file's id column.
    """
    _check_threshold(threshold)
    with _reporting_errors():
        mapping = parse_map_options(map_options or [])
        with _progress() as report:
            result = link_records(
                _existing(left),
                _existing(right),
                columns=mapping.shared,
                left_columns=mapping.by_side["left"],
                right_columns=mapping.by_side["right"],
                threshold=threshold,
                settings=LinkageSettings(engine=engine.value, spark_master=spark_master),
                progress=report,
            )
            report(Stage.WRITING, f"writing {out}")
            _write_csv(result.pairs.select(["left_id", "right_id", "match_probability"]), out)
    accepted = sum(
        p >= DEFAULT_THRESHOLDS.auto_accept for p in result.pairs["match_probability"].to_pylist()
    )
    console.print(
        f"Wrote {result.pairs.num_rows:,} links to {out} ({accepted:,} safe to accept, "
        f"{result.pairs.num_rows - accepted:,} to review). {left}: "
        f"{result.stats.left_rows:,} rows; {right}: {result.stats.right_rows:,} rows."
    )


def dedupe(
    file: Annotated[Path, typer.Argument(help="CSV in which some people appear more than once.")],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write id,cluster_id: one row per record.")
    ],
    map_options: DedupeMapOption = None,
    threshold: Annotated[
        float,
        typer.Option(
            help="Lowest match probability at which two records are put in one cluster.",
        ),
    ] = DEFAULT_THRESHOLDS.auto_accept,
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="Also write the likely pairs (left_id,right_id,match_probability), including "
            "those below the threshold that a person should check."
        ),
    ] = None,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = None,
) -> None:
    """Find the records of FILE that are the same person and group them into clusters.

    Writes id,cluster_id for every record: the records of one person share a cluster_id.

    A cluster_id is one of its records' ids; a record with no duplicate is its own cluster.
    """
    _check_threshold(threshold)
    settings = LinkageSettings(
        thresholds=Thresholds(
            auto_accept=threshold, review=min(DEFAULT_THRESHOLDS.review, threshold)
        ),
        engine=engine.value,
        spark_master=spark_master,
    )
    with _reporting_errors():
        mapping = parse_map_options(map_options or [], sides=())
        with _progress() as report:
            result = dedupe_records(
                _existing(file), columns=mapping.shared, settings=settings, progress=report
            )
            report(Stage.WRITING, f"writing {out}")
            _write_csv(result.clusters, out)
            if pairs is not None:
                _write_csv(result.pairs.select(["left_id", "right_id", "match_probability"]), pairs)
    clusters = result.clusters["cluster_id"].to_pylist()
    people = len(set(clusters))
    console.print(
        f"Wrote {len(clusters):,} records in {people:,} clusters to {out} "
        f"({len(clusters) - people:,} records are duplicates of another)."
    )


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise typer.BadParameter(
            f"must be a probability above 0 and at most 1, not {threshold}",
            param_hint="--threshold",
        )


def _existing(path: Path) -> Path:
    """Return *path*, or raise LinkageError if there is no such file."""
    if not path.is_file():
        raise LinkageError(f"{path} does not exist or is not a file.")
    return path


def _write_csv(table: pa.Table, path: Path) -> None:
    """Write *table* with a header row, quoting only the values that need it."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(table.column_names)
        writer.writerows(
            zip(*(table[name].to_pylist() for name in table.column_names), strict=True)
        )


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Turn the engine's errors into a message and exit status 1, without a traceback."""
    try:
        yield
    except MissingColumn as error:
        err_console.print(
            f"[bold red]Error:[/] {error} Say which column holds it with "
            f"--map {error.field}=COLUMN."
        )
        raise typer.Exit(1) from error
    except LinkageError as error:
        err_console.print(f"[bold red]Error:[/] {error}")
        raise typer.Exit(1) from error
    except OSError as error:
        err_console.print(f"[bold red]Error:[/] {error.strerror}: {error.filename}")
        raise typer.Exit(1) from error


@contextmanager
def _progress() -> Iterator:
    """Yield a progress callback that shows each stage with a spinner and its time."""
    with Progress(
        SpinnerColumn(finished_text="[green]done"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        tasks: dict[Stage, TaskID] = {}

        def report(stage: Stage, message: str) -> None:
            for other, task in tasks.items():
                if other is not stage:
                    bar.update(task, total=1, completed=1)
            if stage not in tasks:
                tasks[stage] = bar.add_task("", total=None)
            bar.update(tasks[stage], description=f"{stage.value.capitalize()}: {message}")

        yield report
        for task in tasks.values():
            bar.update(task, total=1, completed=1)

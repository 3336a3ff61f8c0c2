"""`powerbase identity`: find duplicates in the base and link people to the voter file.

    powerbase identity dedupe --org nutmeg     merge the sure duplicates, queue the likely ones
    powerbase identity link --org nutmeg       link people to the voter file in use
    powerbase identity runs --org nutmeg       what the last runs did
    powerbase identity link --org nutmeg --engine spark [--spark-master URL]   powerbase[spark]

Both run the same job the web page starts (here, in this process, with a progress bar; or
with --no-wait, left to a running `powerbase worker`). Pairs to review wait on the web page
Duplicates -> Review. `--engine spark` trains and scores on Splink's Spark backend, as
`powerbase link` does (docs/linkage.md); the people and the voter file are still read and
normalised in DuckDB (from the voter file's DuckDB file or its Parquet copy) and handed to
Spark as Parquet.
"""

from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli import jobwatch
from powerbase.cli.consoles import make_console
from powerbase.cli.linkage import Engine, EngineOption, SparkMasterOption
from powerbase.cli.setup import command_line, fail, find_organization

app = typer.Typer(
    help="Find duplicates in the base and link people to the voter file.", no_args_is_help=True
)
console = make_console()

OrgOption = Annotated[str, typer.Option(help="Slug of the organization.")]
WaitOption = Annotated[
    bool,
    typer.Option(
        help="Run the job now and show its progress; --no-wait leaves it to a running "
        "`powerbase worker`."
    ),
]


@app.command("dedupe")
def dedupe(
    org: OrgOption,
    wait: WaitOption = True,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = None,
) -> None:
    """Find people entered more than once: merge the sure pairs, queue the likely ones."""
    _run(org, "dedupe", wait, engine, spark_master)


@app.command("link")
def link(
    org: OrgOption,
    wait: WaitOption = True,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = None,
) -> None:
    """Link people to the voter file in use: link the sure matches, queue the likely ones."""
    _run(org, "link", wait, engine, spark_master)


@app.command("runs")
def runs(
    org: OrgOption, limit: Annotated[int, typer.Option(help="How many runs to list.")] = 10
) -> None:
    """List the latest matching runs and what each did."""
    organization = find_organization(org)
    from powerbase.identity.models import IdentityRun

    table = Table(title=f"Matching runs of {organization}")
    for column in (
        "Run",
        "Started",
        "Kind",
        "People",
        "Applied",
        "To review",
        "Not applied",
        "Seconds",
    ):
        table.add_column(column, justify="left" if column in {"Started", "Kind"} else "right")
    for run in IdentityRun.objects.filter(organization=organization)[:limit]:
        table.add_row(
            str(run.pk),
            f"{run.created_at:%Y-%m-%d %H:%M}",
            run.get_kind_display(),
            f"{run.people_count:,}",
            f"{run.auto_applied_count:,}",
            f"{run.review_count:,}",
            f"{run.skipped_count:,}",
            f"{run.seconds:.1f}",
        )
    console.print(table)


def _run(org: str, kind: str, wait: bool, engine: Engine, spark_master: str | None) -> None:
    actor = command_line(org)
    organization = actor.organization
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.core.models import Job
    from powerbase.identity import services

    start = services.start_dedupe if kind == "dedupe" else services.start_link
    try:
        job = start(actor=actor, engine=engine.value, spark_master=spark_master)
    except PowerbaseError as error:
        fail(error.message)
    if not wait:
        console.print(
            f"Queued as job {job.pk}. A running `powerbase worker` will run it; "
            f"follow it with `powerbase jobs watch {job.pk}`."
        )
        return
    # Run here: claim the job before a worker does, so it runs once.
    if not jobwatch.run_here(job.pk, console=console):
        raise typer.Exit(1)
    job = Job.objects.get(pk=job.pk)
    for key, value in job.result.items():
        console.print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")
    console.print(f"Review the pairs waiting at /o/{organization.slug}/identity/review/")

"""Election results and the power map from the shell.

powerbase results import results.csv --org nutmeg
powerbase powermap --org nutmeg [--chamber state_senate] [--party DEM] [--sort members]
                   [--csv map.csv]
"""

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

results_app = typer.Typer(help="Election results: import them from CSV.", no_args_is_help=True)
console = make_console()

CHAMBERS = ("state_house", "state_senate", "congressional")
SORTS = (
    "share",
    "district",
    "members",
    "leaders",
    "registered",
    "in_party",
    "voted",
    "turnout",
    "margin",
    "win_number",
)
CSV_COLUMNS = (
    "district",
    "name",
    "members",
    "leaders",
    "members_registered",
    "members_in_party",
    "members_voted_primaries",
    "last_primary_turnout",
    "turnout_from",
    "last_margin",
    "expected_turnout",
    "win_number",
    "share_of_win_number_percent",
    "close_to_decisive",
)


@results_app.command("import")
def import_results(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV or XLSX file: election, race, candidate, votes and optionally precinct, "
            "party, incumbent; or the OpenElections columns county, precinct, office, "
            "district, party, candidate, votes (plus per-method vote columns).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    election: Annotated[
        str,
        typer.Option(
            help="For a file without an election column (OpenElections): the election's name or "
            "date YYYY-MM-DD. Default: the date the file name starts with."
        ),
    ] = "",
) -> None:
    """Import election results. The elections must exist; races and candidates are added.

    A race's rows replace its earlier results, so importing a file twice changes nothing. A
    bad row stops the import with its file, row and column, and nothing is written. A
    candidate on several ballot lines (fusion voting) has a row per line; each is kept.
    """
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.electoral import services

    actor = command_line(org)
    organization = actor.organization
    with Progress(
        TextColumn("Importing {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(file.name, total=None)
        try:
            done = services.import_results(
                actor=actor,
                file_name=file.name,
                content=file.read_bytes(),
                election=election,
                progress=lambda rows, total: bar.update(task, completed=rows, total=total),
            )
        except PowerbaseError as error:
            bar.stop()
            fail(f"{error.message} Nothing was imported.")
    table = Table(title=f"Imported {file.name} into {organization}", show_header=False)
    table.add_row("Rows", f"{done.rows:,}")
    table.add_row("Races", f"{done.races:,}")
    table.add_row("Candidates added", f"{done.candidates_added:,}")
    if done.skipped:
        table.add_row("Skipped (registered voters, over/under votes, totals)", f"{done.skipped:,}")
    console.print(table)


def powermap(
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    chamber: Annotated[
        str, typer.Option(help="Districts of: state_house, state_senate or congressional.")
    ] = "state_house",
    party: Annotated[
        str,
        typer.Option(
            help="The party whose primary matters, as the voter file codes it (default: the "
            "Democratic code, else the largest party)."
        ),
    ] = "",
    sort: Annotated[str, typer.Option(help=f"Order of the rows: {', '.join(SORTS)}.")] = "share",
    csv_out: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Write every district to this CSV file instead of printing the table.",
            dir_okay=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows printed (the CSV has them all); 0 = all.")] = 40,
) -> None:
    """Print the power map: per district the organized base against the primary win number."""
    if chamber not in CHAMBERS:
        fail(f"'{chamber}' is not a chamber; choose one of {', '.join(CHAMBERS)}.")
    if sort not in SORTS:
        fail(f"'{sort}' is not a column to sort by; choose one of {', '.join(SORTS)}.")
    django_setup()
    from powerbase.power import queries

    actor = command_line(org)
    organization = actor.organization
    found = queries.power_map(actor, kind=chamber, party=party.upper() or None, sort=sort)
    if found.version is None:
        fail(f"{organization} has no voter file yet; import one with `powerbase voterfile import`.")
    if csv_out is not None:
        _write_csv(found, csv_out)
        console.print(f"Wrote {len(found.rows)} districts to {csv_out}.")
    else:
        console.print(_table(found, limit))
    console.print(
        f"{found.base_size:,} in the base, {found.base_matched:,} matched to a voter, "
        f"{found.placed:,} placed in a district; {len(found.close())} districts where "
        f"the base is close to decisive. Computed in {found.seconds:.2f} s."
    )
    console.print(f"[dim]{found.assumptions.sentence()}[/]")


def _table(found, limit: int) -> Table:
    kind = found.assumptions.kind.replace("_", " ")
    party = found.assumptions.party or "any party"
    table = Table(title=f"Power map: {kind} districts, {party} primary")
    for column in (
        "District",
        "Members",
        "Leaders",
        "Registered",
        "In the party",
        "Voted in primaries",
        "Last turnout",
        "Last margin",
        "Win number",
        "Base's share",
    ):
        table.add_column(column, justify="left" if column == "District" else "right")
    shown = found.rows if limit <= 0 else found.rows[:limit]
    for row in shown:
        close = row.is_close_to_decisive(found.assumptions)
        share = "—" if row.share_percent is None else f"{row.share_percent}%"
        table.add_row(
            row.name or row.code,
            f"{row.members:,}",
            f"{row.leaders:,}",
            f"{row.members_registered:,}",
            f"{row.members_in_party:,}",
            f"{row.members_voted_primaries:,}",
            _number(row.last_turnout),
            _number(row.last_margin),
            _number(row.win_number),
            f"[bold orange3]{share} ★[/]" if close else share,
        )
    if len(shown) < len(found.rows):
        table.caption = f"{len(shown)} of {len(found.rows)} districts; --limit 0 shows all."
    return table


def _number(value) -> str:
    return "—" if value is None else f"{value:,}"


def _write_csv(found, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in found.rows:
            share = row.share_of_win_number
            writer.writerow(
                [
                    row.code,
                    row.name,
                    row.members,
                    row.leaders,
                    row.members_registered,
                    row.members_in_party,
                    row.members_voted_primaries,
                    _blank(row.last_turnout),
                    row.results_source,
                    _blank(row.last_margin),
                    "" if row.expected_turnout is None else round(row.expected_turnout, 1),
                    _blank(row.win_number),
                    "" if share is None else round(100 * share, 1),
                    "yes" if row.is_close_to_decisive(found.assumptions) else "no",
                ]
            )


def _blank(value) -> str:
    return "" if value is None else str(value)

"""`powerbase officials import|list` and `powerbase votes import`: the inside game from the shell.

powerbase officials import data/ct/legislature --org nutmeg     Open States person YAML files
powerbase officials list --org nutmeg [--chamber upper]
powerbase officials link-districts --org nutmeg                 after a voter file import
powerbase bills import bills.json --org nutmeg                  Open States bills (+ votes)
powerbase votes import votes.json --org nutmeg                  Open States vote events
powerbase votes import votes.csv --org nutmeg                   one row per official's vote
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail, find_organization

officials_app = typer.Typer(
    help="Elected officials: import Open States people, list them.", no_args_is_help=True
)
bills_app = typer.Typer(
    help="Bills: import Open States bill JSON with actions and votes.", no_args_is_help=True
)
votes_app = typer.Typer(
    help="Roll-call votes: import Open States vote events or a CSV.", no_args_is_help=True
)
console = make_console()


@officials_app.command("import")
def import_officials(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A folder of Open States person files (*.yml), "
            "e.g. openstates/people data/ct/legislature; "
            "or one file.",
            exists=True,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    retire_missing: Annotated[
        bool,
        typer.Option(
            help="Mark officials imported before whose files are gone (they left office) as "
            "former officials."
        ),
    ] = False,
) -> None:
    """Create or update officials from Open States people YAML, matched by their Open States id.

    Running it again updates officials in place. Each seat is linked to the voter file's
    district of the same chamber and number when that district exists.
    """
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.legislature import services

    actor = command_line(org)
    paths = (
        sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
        if folder.is_dir()
        else [folder]
    )
    try:
        summary = services.import_people(
            actor=actor,
            files=[(path.name, path.read_text(encoding="utf-8")) for path in paths],
            retire_missing=retire_missing,
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Read {summary.total} officials: {len(summary.created)} new, "
        f"{len(summary.updated)} updated, {summary.unchanged} unchanged; "
        f"{summary.with_district} linked to a voter-file district."
        + (
            f" {len(summary.retired)} no longer in office: {', '.join(summary.retired)}."
            if summary.retired
            else ""
        )
    )


@officials_app.command("link-districts")
def link_districts(org: Annotated[str, typer.Option(help="Slug of the organization.")]) -> None:
    """Link officials to the voter file's districts (run after importing a voter file)."""
    django_setup()
    from powerbase.legislature import services

    changed = services.relink_districts(actor=command_line(org))
    console.print(f"Linked {changed} official{'s' if changed != 1 else ''} to a district.")


@officials_app.command("list")
def list_officials(
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    chamber: Annotated[str, typer.Option(help="upper, lower, council, ... (all if left out)")] = "",
) -> None:
    """List the current officials, by chamber and district."""
    django_setup()
    from powerbase.legislature.models import Official

    officials = Official.objects.filter(organization=find_organization(org), is_current=True)
    if chamber:
        officials = officials.filter(chamber=chamber)
    table = Table(title=f"Officials of {org}")
    for column in ("Seat", "Name", "Party", "District linked"):
        table.add_column(column)
    for official in officials.select_related("district"):
        table.add_row(
            official.seat_label,
            official.name,
            official.party,
            "yes" if official.district_id else "no",
        )
    console.print(table)


@votes_app.command("import")
def import_votes(
    file: Annotated[
        Path,
        typer.Argument(
            help="Open States vote events (.json) or a CSV with "
            "date, chamber, motion, result, official, vote.",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    jurisdiction: Annotated[str, typer.Option(help="Defaults to the organization's state.")] = "",
) -> None:
    """Import roll-call votes; importing the same file again updates them in place."""
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.legislature import services

    actor = command_line(org)
    text = file.read_text(encoding="utf-8-sig")
    importer = (
        services.import_vote_events if file.suffix.lower() == ".json" else services.import_votes_csv
    )
    try:
        summary = importer(actor=actor, file_name=file.name, text=text, jurisdiction=jurisdiction)
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Imported {summary.created} new and {summary.updated} updated roll calls "
        f"({summary.votes} votes)."
    )


@bills_app.command("import")
def import_bills(
    file: Annotated[
        Path,
        typer.Argument(
            help="Open States bill JSON: a bill, a list, or an API "
            "page; actions and votes are read if present.",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    jurisdiction: Annotated[
        str, typer.Option(help="When the file does not say; defaults to the organization's state.")
    ] = "",
) -> None:
    """Create or update bills with their actions and roll calls; our positions are kept."""
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.legislature import services

    actor = command_line(org)
    try:
        summary = services.import_bills(
            actor=actor,
            file_name=file.name,
            text=file.read_text(encoding="utf-8-sig"),
            jurisdiction=jurisdiction,
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Bills: {len(summary.created)} new, {len(summary.updated)} updated; "
        f"{summary.actions} new actions; {summary.votes.created} new and "
        f"{summary.votes.updated} updated roll calls."
    )

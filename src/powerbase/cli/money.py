"""Money from the shell.

powerbase money import FILE --org nutmeg --source actblue|actionnetwork|everyaction|ledger
                         [--entity c4]
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

money_app = typer.Typer(
    help="Money: import donations and the ledger's income.", no_args_is_help=True
)
console = make_console()


class IncomeSource(StrEnum):
    ACTBLUE = "actblue"
    ACTIONNETWORK = "actionnetwork"
    EVERYACTION = "everyaction"
    LEDGER = "ledger"


@money_app.command("import")
def import_income(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV export; docs/money.md lists the columns read from each source.",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    source: Annotated[
        IncomeSource,
        typer.Option(
            metavar="SOURCE",
            help="Who made the file: actblue (ActBlue's contributions export or a Report "
            "Builder export), actionnetwork (Action Network's donations download), "
            "everyaction (EveryAction's contributions export) or ledger (the ledger CSV: date, "
            "amount, source_class, payer, email, reference, note).",
        ),
    ],
    entity: Annotated[
        str | None,
        typer.Option(
            help="Short name of the legal entity whose books the file is (e.g. c3, c4, pac); "
            "default: the organization's first entity."
        ),
    ] = None,
) -> None:
    """Import donations or income lines, all of the file or none of it.

    Donors are matched to people in the base by the rules of a list import (same email, or same
    phone and name). Rows whose receipt or transaction id is already stored are skipped, so
    importing an export twice adds nothing. A bad cell stops the import with its file, row and
    column, and nothing is written.
    """
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.money import queries, services
    from powerbase.money.amounts import format_cents

    actor = command_line(org)
    try:
        books = queries.entity_by_slug(actor, entity) if entity else None
        batch = services.import_income(
            actor=actor,
            file_name=file.name,
            content=file.read_bytes(),
            source=source.value,
            entity=books,
        )
    except PowerbaseError as error:
        fail(error.message)
    table = Table(
        title=f"Imported {file.name} into the books of {books or queries.entities(actor).first()}",
        show_header=False,
    )
    table.add_row("Rows", f"{batch.rows:,}")
    table.add_row("Lines added (gifts and refunds)", f"{batch.lines_added:,}")
    table.add_row("Already imported, skipped", f"{batch.lines_already_there:,}")
    table.add_row("Donors matched to people", f"{batch.people_matched:,}")
    table.add_row("Net amount added", format_cents(batch.net_cents))
    console.print(table)

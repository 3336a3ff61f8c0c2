"""Bargaining for the Common Good from the shell.

powerbase bargaining import-units FILE --org nutmeg
"""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

bargaining_app = typer.Typer(
    help="Bargaining for the Common Good: add affiliates' bargaining units in bulk.",
    no_args_is_help=True,
)
console = make_console()


@bargaining_app.command("import-units")
def import_units(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with the columns affiliate, employer, unit_size, contract_expires and "
            "optionally unit, bargaining_starts, notes (docs/bargaining.md).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
) -> None:
    """Add the bargaining units a CSV lists, all of the file or none of it.

    An unknown affiliate, a size that is not a number, a date that is not a date or a unit
    already there stops the file with its row and column, and nothing is written.
    """
    django_setup()
    from powerbase.bargaining.unitfiles import import_units as import_from_file
    from powerbase.core.exceptions import PowerbaseError

    actor = command_line(org)
    try:
        units = import_from_file(actor=actor, file_name=file.name, content=file.read_bytes())
    except PowerbaseError as error:
        fail(error.message)
    workers = sum(unit.unit_size for unit in units)
    console.print(
        f"Added {len(units)} bargaining unit{'s' if len(units) != 1 else ''} ({workers} workers)."
    )

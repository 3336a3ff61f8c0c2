"""The Democracy School from the shell.

powerbase school nominate FILE --org nutmeg --cohort 3
"""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

school_app = typer.Typer(
    help="Democracy School: nominate participants in bulk.", no_args_is_help=True
)
console = make_console()


@school_app.command("nominate")
def nominate(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with the columns person_id and affiliate (docs/school.md).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    cohort: Annotated[int, typer.Option(help="The cohort's number (in its page's address).")],
) -> None:
    """Nominate everyone the file names to a cohort, all of the file or none of it.

    A person already in the cohort, not a member of the affiliate named, or not in the base
    stops the file with its row and column, and nothing is written.
    """
    django_setup()
    from powerbase.core import access
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.school.models import Cohort
    from powerbase.school.nominations import nominate_from_file

    actor = command_line(org)
    try:
        found = access.get(actor, Cohort, pk=cohort)
        nominated = nominate_from_file(
            actor=actor, cohort=found, file_name=file.name, content=file.read_bytes()
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(f"Nominated {len(nominated)} to {found}.")

"""The strategy table from the shell.

powerbase strategy import-decisions FILE --org nutmeg --body 2
"""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

strategy_app = typer.Typer(
    help="The strategy table: log a body's past decisions in bulk.", no_args_is_help=True
)
console = make_console()


@strategy_app.command("import-decisions")
def import_decisions(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with the columns decided_on and title, and optionally text, outcome, "
            "starts_campaign, ends_campaign, task, owner, due_on (docs/strategy.md).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    body: Annotated[int, typer.Option(help="The body's number (in its page's address).")],
) -> None:
    """Log every decision in the file under a governing body, all of the file or none of it.

    A row with a bad date, an unknown campaign or task owner, or a task without its owner or
    due date stops the file with its row and column, and nothing is written.
    """
    django_setup()
    from powerbase.core import access
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.democracy.models import GoverningBody
    from powerbase.strategy.decision_files import import_decisions as import_file

    actor = command_line(org)
    try:
        found = access.get(actor, GoverningBody, pk=body)
        logged = import_file(
            actor=actor, body=found, file_name=file.name, content=file.read_bytes()
        )
    except PowerbaseError as error:
        fail(error.message)
    tasks = sum(decision.tasks.count() for decision in logged)
    console.print(f"Logged {len(logged)} decisions of {found} with {tasks} tasks.")

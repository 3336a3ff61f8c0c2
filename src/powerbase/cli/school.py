"""The Democracy School from the shell: a cohort's nominations, sessions and skill
assessments in bulk, each from a CSV, all of the file or none of it (docs/school.md).

powerbase school nominate FILE --org nutmeg --cohort 3
powerbase school sessions FILE --org nutmeg --cohort 3
powerbase school skills FILE --org nutmeg --cohort 3
"""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

school_app = typer.Typer(
    help="Democracy School: a cohort's nominations, sessions and skill assessments in bulk.",
    no_args_is_help=True,
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


def _cohort_file(file: Path, org: str, cohort: int, load) -> tuple[list, object]:
    """Find the cohort as the command line of *org* and hand the file to *load*; a refused
    file ends the command with its message (file, row, column) and nothing written."""
    django_setup()
    from powerbase.core import access
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.school.models import Cohort

    actor = command_line(org)
    try:
        found = access.get(actor, Cohort, pk=cohort)
        return load(
            actor=actor, cohort=found, file_name=file.name, content=file.read_bytes()
        ), found
    except PowerbaseError as error:
        fail(error.message)


@school_app.command("sessions")
def sessions(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with the column starts_at (e.g. 2027-03-04 18:30, local time) and "
            "optionally ends_at, module (its number or title) and title.",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    cohort: Annotated[int, typer.Option(help="The cohort's number (in its page's address).")],
) -> None:
    """Schedule a cohort's sessions from a CSV, all of the file or none of it.

    Each session is a training action at the cohort's place, checked in like any action. A
    time that is not a time, an end before the start or a module not in the program stops the
    file with its row and column, and nothing is written.
    """
    from powerbase.school.bulk import sessions_from_file

    scheduled, found = _cohort_file(file, org, cohort, sessions_from_file)
    console.print(
        f"Scheduled {len(scheduled)} session{'s' if len(scheduled) != 1 else ''} of {found}."
    )


@school_app.command("skills")
def skills(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV with the columns person_id, skill (e.g. public speaking) and level "
            "(1 to 4, or beginning, developing, confident, teaches others), and optionally note "
            "and assessed_on (a date).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    cohort: Annotated[int, typer.Option(help="The cohort's number (in its page's address).")],
) -> None:
    """Record skill assessments of a cohort's participants from a CSV, all or none of it.

    Earlier assessments stay (the record of growth); a participant's page shows the latest of
    each skill. Someone not in the cohort, an unknown skill or level, or a date in the future
    stops the file with its row and column, and nothing is written.
    """
    from powerbase.school.bulk import skills_from_file

    assessed, found = _cohort_file(file, org, cohort, skills_from_file)
    console.print(
        f"Recorded {len(assessed)} skill assessment{'s' if len(assessed) != 1 else ''} in {found}."
    )

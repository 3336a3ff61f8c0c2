"""`powerbase export people`: write the people export a user would download from the web.

The file holds exactly what that user may see: the same rows, the same visibility rule (each
email, phone and address by its provider's sharing terms, memberships a lead may name,
demographics only where allowed), the same row cap and the same audit entry, made by
`people.exports` as for the web export. Only the user's own role decides; the command line
adds no rights of its own.
"""

import enum
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import django_setup, fail, find_organization

app = typer.Typer(help="Export data as one user may see it.", no_args_is_help=True)
console = make_console()
err_console = make_console(stderr=True)


class Format(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@app.command("people")
def people(
    org: Annotated[str, typer.Option(help="The organization's short name.")],
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            help="The email of the user whose export this is: the file holds what they may see.",
        ),
    ],
    out: Annotated[Path, typer.Option(help="The file to write.", dir_okay=False)],
    file_format: Annotated[
        Format | None,
        typer.Option("--format", help="csv or xlsx (default: from --out's suffix, else csv)."),
    ] = None,
    query: Annotated[
        str, typer.Option(help="Only people matching this name, email or phone, as on the page.")
    ] = "",
) -> None:
    """Write the people export a user would download from the people page.

    The same rows and the same sharing rules as the web export, as USER sees them; a role that
    may not export on the web may not here either. Audited as that user's export.
    """
    django_setup()
    from powerbase.core import access
    from powerbase.core.exceptions import NotFound, PowerbaseError
    from powerbase.core.models import User
    from powerbase.people import exports, queries

    organization = find_organization(org)
    email = as_user.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        fail(f"There is no user with the email {email}.")
    try:
        actor = access.actor_for(user, organization.slug)
    except NotFound:
        fail(f"{email} has no role in {organization.slug} (or cannot sign in).")
    chosen = file_format or (Format.XLSX if out.suffix.lower() == ".xlsx" else Format.CSV)
    if not out.parent.is_dir():
        fail(f"The folder {out.parent} does not exist.")
    partial = out.with_name(f"{out.name}.partial")
    try:
        count, rows = exports.export_rows(actor, queries.PeopleFilter(query=query))
        exports.write_file(_with_progress(rows, count, err_console), partial, chosen.value)
        partial.replace(out)
    except PowerbaseError as error:
        fail(error.message)
    except OSError as error:
        fail(f"{error.strerror}: {error.filename}")
    finally:
        partial.unlink(missing_ok=True)
    console.print(
        f"Wrote {count:,} people to {out} ({chosen.value}), as {email} sees them.",
        highlight=False,
    )


def _with_progress[T](rows: Iterable[T], total: int, console: Console) -> Iterator[T]:
    """Yield *rows*, drawing a progress bar on a terminal, else a plain line every 10%."""
    if console.is_terminal:
        with Progress(
            TextColumn("Writing people"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("", total=total)
            for row in rows:
                yield row
                bar.advance(task)
        return
    step = max(total // 10, 1)
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % step == 0 or done == total:
            console.print(f"Written {done:,} of {total:,} people", highlight=False)

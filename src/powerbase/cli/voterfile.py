"""`powerbase voterfile`: import a state voter file, list layouts, versions and changes.

powerbase voterfile layouts
powerbase voterfile import ncvoter_Statewide.txt ncvhis_Statewide.txt --org nutmeg --layout nc
powerbase voterfile import ncvoter_Statewide.zip ncvhis_Statewide.zip --org nutmeg --layout nc
powerbase voterfile versions --org nutmeg
powerbase voterfile use 3 --org nutmeg [--accept-large-change]
powerbase voterfile changes --org nutmeg [--version 3] [--limit 20]
powerbase voterfile publish 3 --org nutmeg [--to s3://bucket/voterfile]
"""

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli import jobwatch
from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail, find_organization

app = typer.Typer(
    help="The state voter file: import it, list its versions and what changed.",
    no_args_is_help=True,
)
console = make_console()


@app.command("layouts")
def layouts() -> None:
    """List the layouts a voter file can be imported with, and where each state publishes it."""
    from powerbase.voterfile.layout import available_layouts

    table = Table(title="Voter file layouts")
    for column in ("Name", "Layout", "Source"):
        table.add_column(column)
    for layout in available_layouts():
        source = layout.source.get("page") or layout.source.get("publisher", "")
        table.add_row(layout.name, layout.title, source)
    console.print(table)


@app.command("import")
def import_files(
    files: Annotated[
        list[Path],
        typer.Argument(help="The state's files: registrations and, where separate, vote history."),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization whose voter file this is.")],
    layout: Annotated[str, typer.Option(help="Layout name; see `powerbase voterfile layouts`.")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="field=COLUMN: read a field or district from another column than the "
            "layout says, for any layout (repeatable).",
        ),
    ] = None,
    accept_large_change: Annotated[
        bool,
        typer.Option(
            help="Use the new version even if more voters are gone than the removals gate "
            "allows (10%), or few voter ids are shared with the version in use."
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(
            help="Run the import now and show its progress; --no-wait leaves it to a running "
            "`powerbase worker`."
        ),
    ] = True,
) -> None:
    """Import a voter file as a new version. The version in use stays in use until it is done.

    Files may be NCSBE .zip downloads and .gz files. The new version goes into use only if it
    passes the sanity gates (well-formed rows, shared voter ids, removals); otherwise it is
    kept, held, for inspection: see `powerbase voterfile use`.
    """
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.voterfile import services
    from powerbase.voterfile.layout import LayoutError, parse_mapping
    from powerbase.voterfile.models import VoterFileVersion

    actor = command_line(org)
    try:
        mapping = parse_mapping(map_ or [])
        job = services.start_import(
            actor=actor,
            paths=files,
            layout=layout,
            mapping=mapping,
            accept_large_change=accept_large_change,
        )
    except LayoutError as error:
        fail(str(error))
    except PowerbaseError as error:
        fail(error.message)
    if not wait:
        console.print(
            f"Queued as job {job.pk}. A running `powerbase worker` will import it; "
            f"follow it with `powerbase jobs watch {job.pk}`."
        )
        return
    console.print(f"Importing as job {job.pk}.")
    if not run_worker_and_watch(job.pk):
        raise typer.Exit(1)
    version = VoterFileVersion.objects.filter(job_id=job.pk).first()
    if version is None:
        fail(f"Job {job.pk} finished but made no version; see `powerbase jobs watch {job.pk}`.")
    _print_version(version)
    if version.status == VoterFileVersion.Status.HELD:
        raise typer.Exit(1)


@app.command("use")
def use(
    number: Annotated[int, typer.Argument(help="The version to put in use.")],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    accept_large_change: Annotated[
        bool, typer.Option(help="Use a version that was held because it failed a sanity gate.")
    ] = False,
) -> None:
    """Put an earlier (or a held) version of the voter file back in use.

    Later versions are set aside; links to voters, districts and turnout follow the version in
    use. The switch is in the audit log.
    """
    actor = command_line(org)
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.voterfile import services

    try:
        version = services.use_version(
            actor=actor, number=number, accept_large_change=accept_large_change
        )
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"[bold green]Version {version.number} is now in use[/] "
        f"({version.voter_count:,} registrations)."
    )


@app.command("publish")
def publish(
    number: Annotated[int, typer.Argument(help="The version to publish.")],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    to: Annotated[
        str | None,
        typer.Option(
            help="A folder, s3://bucket/prefix or https://host/prefix (default: "
            "POWERBASE_VOTERFILE_PARQUET)."
        ),
    ] = None,
) -> None:
    """Write a version of the voter file as Parquet files that several app machines read.

    Run it on the machine that imported the version. With POWERBASE_VOTERFILE_PARQUET set,
    imports publish their version themselves and every machine reads it from there.
    """
    actor = command_line(org)
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.voterfile import services

    try:
        location = services.publish_version(actor=actor, number=number, to=to)
    except PowerbaseError as error:
        fail(error.message)
    console.print(f"[bold green]Published version {number}[/] to {location}")


@app.command("versions")
def versions(org: Annotated[str, typer.Option(help="Slug of the organization.")]) -> None:
    """List the versions of an organization's voter file, newest first, marking the one in use."""
    organization = find_organization(org)
    from powerbase.voterfile.models import VoterFileVersion

    table = Table(title=f"Voter file versions of {organization}")
    for column in (
        "Version",
        "Imported",
        "Layout",
        "Registrations",
        "Malformed",
        "New",
        "Removed",
        "Moved",
        "Party changes",
    ):
        table.add_column(
            column, justify="right" if column not in {"Imported", "Layout"} else "left"
        )
    found = VoterFileVersion.objects.filter(organization=organization).order_by("-number")
    in_use = found.current()
    for version in found:
        counts = [
            f"{version.changes[kind]['count']:,}" if kind in version.changes else "-"
            for kind in ("new", "removed", "moved", "party")
        ]
        table.add_row(
            f"{version.number}{_state(version, in_use)}",
            f"{version.created_at:%Y-%m-%d %H:%M}",
            version.layout,
            f"{version.voter_count:,}",
            f"{version.malformed_count:,}",
            *counts,
        )
    if not found:
        console.print(
            f"{organization} has no voter file yet. Import one with "
            f"`powerbase voterfile import FILE... --org {organization.slug} "
            "--layout NAME`."
        )
        return
    console.print(table)


@app.command("changes")
def changes(
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    version: Annotated[
        int | None, typer.Option(help="Version number (default: the one in use).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Examples to show of each change.")] = 5,
) -> None:
    """Show what changed in a version: new registrations, removals, moves, party changes."""
    organization = find_organization(org)
    from powerbase.core.exceptions import NotFound
    from powerbase.voterfile import diff, store
    from powerbase.voterfile.models import VoterFileVersion

    found = VoterFileVersion.objects.filter(organization=organization)
    chosen = found.filter(number=version).first() if version else found.current()
    if chosen is None:
        fail(f"{organization} has no voter file version {version or ''}".rstrip() + ".")
    if not chosen.changes:
        console.print(f"Version {chosen.number} is the first: there is nothing to compare.")
        return
    try:
        with store.reading(chosen) as con:
            summary = diff.summary(con, samples=max(0, limit))
    except NotFound as error:
        fail(error.message)
    console.print(
        f"[bold]Changes in version {chosen.number}[/] (imported {chosen.created_at:%Y-%m-%d %H:%M})"
    )
    for kind in diff.CHANGE_KINDS:
        found_kind = summary[kind]
        table = Table(
            title=f"{diff.CHANGE_LABELS[kind]}: {found_kind['count']:,}", title_justify="left"
        )
        for column in ("Voter id", "Name", "Before", "Now"):
            table.add_column(column)
        for sample in found_kind["samples"]:
            table.add_row(
                sample["voter_id"],
                sample["name"].title(),
                sample["old"] or "-",
                sample["new"] or "-",
            )
        console.print(table)


def run_worker_and_watch(job_id: int) -> bool:
    """Run the waiting jobs in a worker of our own and draw the job's progress bar."""
    worker = subprocess.Popen([sys.executable, "-m", "powerbase", "worker", "--batch", "--quiet"])
    try:
        return jobwatch.watch(job_id, console=console)
    finally:
        worker.wait()


def _state(version, in_use) -> str:
    if in_use is not None and version.pk == in_use.pk:
        return " (in use)"
    if version.status != version.Status.READY:
        return f" ({version.get_status_display().split(':')[0].lower()})"
    return ""


def _print_version(version) -> None:
    from powerbase.voterfile.diff import CHANGE_KINDS, CHANGE_LABELS
    from powerbase.voterfile.gates import failed

    held = version.status == version.Status.HELD
    console.print(
        (
            f"[bold red]Version {version.number} was held, not put in use:[/] "
            if held
            else f"[bold green]Version {version.number} is now in use:[/] "
        )
        + f"{version.voter_count:,} registrations ({version.active_voter_count:,} "
        f"active), {version.vote_count:,} votes in {version.election_count:,} "
        f"elections, in {version.seconds:.1f} s."
    )
    if version.malformed_count:
        console.print(
            f"[yellow]{version.malformed_count:,} malformed rows were left out.[/] The first:"
        )
        for row in version.malformed_examples[:10]:
            console.print(f"  {row['file']}, line {row['line']:,}: the row {row['problem']}.")
    for note in version.notes:
        console.print(note)
    for reason, skipped in version.skipped.items():
        console.print(f"[yellow]{skipped['count']:,} {reason}.[/]")
    for kind in CHANGE_KINDS:
        if kind in version.changes:
            console.print(f"  {CHANGE_LABELS[kind]}: {version.changes[kind]['count']:,}")
    for gate in failed(version.gates):
        console.print(f"[red]Failed check:[/] {gate['sentence']}")
    if held:
        console.print(
            f"The version in use stays in use. To use version {version.number} "
            f"anyway: `powerbase voterfile use {version.number} --org "
            f"{version.organization.slug} --accept-large-change`."
        )

"""`powerbase import people FILE --org SLUG [--affiliate SLUG] [--mapping FILE] [--dry-run]`."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli import jobwatch
from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

import_app = typer.Typer(help="Bring lists into the base.", no_args_is_help=True)
console = make_console()


@import_app.command("people")
def people(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV or XLSX file; the first row names the columns.", exists=True, dir_okay=False
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    affiliate: Annotated[
        str,
        typer.Option(
            help="Slug of the affiliate whose list it is; leave out for the IPO's own list."
        ),
    ] = "",
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="A JSON file mapping column names to fields (as saved from the web page, or "
            "written by hand); without it the mapping is proposed from the header. "
            "custom:<key> fills a field of your own; new:<kind> (text, number, date, yesno) "
            "creates one named after the column, as the web page does.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            help="Check every row and report; write no people "
            "(fields asked for with new: are created)."
        ),
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write the rejected rows and warnings to this CSV file.")
    ] = None,
) -> None:
    """Import a list of people: check every row, then write them all in one transaction.

    People already in the base are matched (same email; same phone and name; same name and
    birth date) and updated, not duplicated. Importing the same file twice changes nothing the
    second time. A bad value in a cell is left out with a warning and the row kept; a row is
    rejected only when nothing in it says who it is about. Placeholders (n/a, none, unknown,
    9999999999, 01/01/1900) count as missing. Undo an import from its page on the web.
    """
    django_setup()
    from powerbase.coalition.models import Affiliate
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.imports import services
    from powerbase.imports.mapping import load_mapping, unmapped_columns
    from powerbase.people.models import CustomField

    actor = command_line(org)
    organization = actor.organization
    owner = None
    if affiliate:
        owner = Affiliate.objects.filter(organization=organization, slug=affiliate).first()
        if owner is None:
            fail(
                f"{organization} has no affiliate '{affiliate}'. The affiliates are: "
                + ", ".join(
                    Affiliate.objects.filter(organization=organization).values_list(
                        "slug", flat=True
                    )
                )
            )
    known_fields = set(
        CustomField.objects.filter(organization=organization).values_list("pk", flat=True)
    )
    try:
        batch = services.upload(
            actor=actor, file_name=file.name, content=file.read_bytes(), affiliate=owner
        )
        wanted = load_mapping(mapping.read_text()) if mapping else batch.mapping
        batch = services.set_mapping(actor=actor, batch=batch, mapping=wanted)
    except (PowerbaseError, ValueError) as error:
        fail(getattr(error, "message", str(error)))
    _print_new_fields(organization, before=known_fields)
    _print_mapping(batch.mapping, unmapped_columns(batch.mapping))
    check = services.start_check(actor=actor, batch=batch, enqueue=False)
    if not _run(check.pk):
        raise typer.Exit(1)
    batch.refresh_from_db()
    _print_counts(batch, "would be" if dry_run else "will be")
    if report:
        _write_report(batch, report)
    if dry_run:
        console.print("Dry run: nothing was written.")
        return
    if batch.new_count + batch.updated_count == 0:
        console.print("Nothing to import.")
        return
    commit = services.start_commit(actor=actor, batch=batch, enqueue=False)
    if not _run(commit.pk):
        raise typer.Exit(1)
    console.print(f"Imported. Import #{batch.pk}; undo it from its page if needed.")


def _run(job_id: int) -> bool:
    return jobwatch.run_here(job_id, console=console)


def _print_new_fields(organization, *, before: set[int]) -> None:
    from powerbase.people.models import CustomField

    created = (
        CustomField.objects.filter(organization=organization)
        .exclude(pk__in=before)
        .order_by("name")
    )
    for field in created:
        console.print(
            f"Created the field '{field.name}' ({field.get_kind_display().lower()}) "
            f"for the columns that asked for it (custom:{field.key} from now on)."
        )


def _print_mapping(mapping: dict, unmapped: list[str]) -> None:
    from powerbase.imports.mapping import FIELDS
    from powerbase.imports.pipeline import CUSTOM_PREFIX

    table = Table(title="Columns", show_header=True)
    table.add_column("Column in the file")
    table.add_column("Field")
    for column, target in mapping.items():
        if not target:
            label = "[dim]not imported[/]"
        elif target.startswith(CUSTOM_PREFIX):
            label = f"your field {target.removeprefix(CUSTOM_PREFIX)}"
        else:
            label = FIELDS[target].label
        table.add_row(column, label)
    console.print(table)
    if unmapped:
        console.print(f"Not imported: {', '.join(unmapped)}. Pass --mapping to change that.")


def _print_counts(batch, verb: str) -> None:
    console.print(
        f"{batch.total_rows} rows: {batch.new_count} new people {verb} added, "
        f"{batch.updated_count} already in the base {verb} updated, "
        f"{batch.unchanged_count} unchanged, {batch.rejected_count} rejected, "
        f"{batch.warning_count} warnings."
    )
    for problem in batch.problems.filter(severity="rejected")[:20]:
        console.print(f"  [red]{problem}[/]")
    if batch.rejected_count > 20:
        console.print(f"  ... and {batch.rejected_count - 20} more (use --report FILE).")


def _write_report(batch, path: Path) -> None:
    from powerbase.imports.exporting import write_csv

    with path.open("w", newline="", encoding="utf-8") as out:
        write_csv(
            (
                (p.row, p.column, p.value, p.reason, p.severity)
                for p in batch.problems.all().iterator()
            ),
            out,
            header=("row", "column", "value", "reason", "severity"),
        )
    console.print(f"Wrote the rejected rows and warnings to {path}.")

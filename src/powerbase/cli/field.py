"""`powerbase field`: universes, cutting turf, and walk and phone lists from the command line.

    powerbase field universes --org nutmeg
    powerbase field cut 3 --org nutmeg --doors 60
    powerbase field walk-list 17 --org nutmeg --out turf17.pdf
    powerbase field phone-list 17 --org nutmeg --out turf17.csv

The command line acts as `access.command_line(org)`; exports are written to the audit log as
made from the command line.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail, find_organization

app = typer.Typer(
    help="The field program: universes, turf, walk and phone lists.", no_args_is_help=True
)
console = make_console()
ORG = Annotated[str, typer.Option(help="Slug of the organization.")]


def _turf(organization, turf_id: int):
    from powerbase.field.models import Turf

    turf = (
        Turf.objects.select_related("universe")
        .filter(organization=organization, pk=turf_id)
        .first()
    )
    if turf is None:
        fail(f"Turf {turf_id} was not found in {organization.slug}.")
    return turf


@app.command("universes")
def universes(org: ORG) -> None:
    """List the organization's universes with their voters, doors and turfs."""
    django_setup()
    from django.db.models import Count

    from powerbase.field.models import Universe

    organization = find_organization(org)
    table = Table(title=f"Universes of {organization.slug}")
    for column in ("Id", "Name", "Voters", "Doors", "Turfs"):
        table.add_column(column)
    for universe in Universe.objects.filter(organization=organization).annotate(
        turf_count=Count("turfs")
    ):
        table.add_row(
            str(universe.pk),
            universe.name,
            f"{universe.voter_count:,}",
            f"{universe.door_count:,}",
            str(universe.turf_count),
        )
    console.print(table)


@app.command("cut")
def cut(
    universe_id: int,
    org: ORG,
    doors: Annotated[
        int,
        typer.Option(help="At most this many doors per turf; a street that fits is never split."),
    ] = 60,
) -> None:
    """Cut a universe into walkable turfs of at most --doors doors (replacing its turfs)."""
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.field import services
    from powerbase.field.models import Universe

    actor = command_line(org)
    organization = actor.organization
    universe = Universe.objects.filter(organization=organization, pk=universe_id).first()
    if universe is None:
        fail(f"Universe {universe_id} was not found in {organization.slug}.")
    try:
        turfs = services.cut_turfs(actor=actor, universe=universe, doors_per_turf=doors)
    except PowerbaseError as error:
        fail(error.message)
    console.print(
        f"Cut '{universe.name}' into {len(turfs)} turfs of "
        f"{sum(turf.door_count for turf in turfs):,} doors."
    )


@app.command("walk-list")
def walk_list(
    turf_id: int, org: ORG, out: Annotated[Path, typer.Option(help="The PDF file to write.")]
) -> None:
    """Write a turf's printable walk list (PDF)."""
    django_setup()
    from powerbase.core import audit
    from powerbase.field import lists, queries

    actor = command_line(org)
    turf = _turf(actor.organization, turf_id)
    out.write_bytes(lists.walk_list_pdf(turf, queries.walk_list(turf)))
    audit.record(actor, "turf.walk_list_exported", turf)
    console.print(f"Wrote the walk list of turf {turf.number} ({turf.door_count} doors) to {out}.")


@app.command("phone-list")
def phone_list(
    turf_id: int, org: ORG, out: Annotated[Path, typer.Option(help="The CSV file to write.")]
) -> None:
    """Write a turf's phone list (CSV: one row per voter with a phone)."""
    django_setup()
    from powerbase.core import audit
    from powerbase.field import lists

    actor = command_line(org)
    turf = _turf(actor.organization, turf_id)
    out.write_text(lists.phone_list_csv(turf))
    audit.record(actor, "turf.phone_list_exported", turf)
    console.print(f"Wrote the phone list of turf {turf.number} to {out}.")

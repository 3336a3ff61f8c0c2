"""District boundaries from the shell, for the power map's drawing.

powerbase districts shapes tl_2024_09_sldl.zip --org nutmeg
powerbase districts shapes senate.geojson --org nutmeg --kind state_senate
"""

from pathlib import Path
from typing import Annotated

import typer

from powerbase.cli.consoles import make_console
from powerbase.cli.setup import command_line, django_setup, fail

app = typer.Typer(
    help="District boundaries: load them to draw the power map.", no_args_is_help=True
)
console = make_console()


@app.command("shapes")
def shapes(
    file: Annotated[
        Path,
        typer.Argument(
            help="GeoJSON (.geojson) or a zipped ESRI shapefile (.zip with .shp, .dbf and .prj), "
            "e.g. the Census Bureau's TIGER/Line state legislative or congressional "
            "districts.",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="Slug of the organization.")],
    kind: Annotated[
        str | None,
        typer.Option(
            help="state_house, state_senate or congressional. Found from TIGER's fields (SLDLST, "
            "SLDUST, CDnnnFP) when left out."
        ),
    ] = None,
) -> None:
    """Load district boundaries; they replace the boundaries of the same kind.

    Districts are matched to the voter file's by number ('007' is district 7). Coordinates
    must be longitude/latitude, as TIGER/Line ships them. Shapes are simplified for drawing.
    """
    django_setup()
    from powerbase.core.exceptions import PowerbaseError
    from powerbase.power import services

    actor = command_line(org)
    organization = actor.organization
    try:
        found_kind, count = services.load_shapes(
            actor=actor, file_name=file.name, content=file.read_bytes(), kind=kind
        )
    except PowerbaseError as error:
        fail(f"{error.message} Nothing was loaded.")
    console.print(
        f"Loaded {count:,} {found_kind} district boundar"
        f"{'y' if count == 1 else 'ies'} from {file.name} into {organization}."
    )

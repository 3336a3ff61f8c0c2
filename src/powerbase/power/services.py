"""Write operations of the power app: importing census tables and district boundaries."""

from django.db import transaction

from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import RowError
from powerbase.imports.services import read_named_rows
from powerbase.power import shapes as shape_reader
from powerbase.power.map import DISTRICT_KINDS
from powerbase.power.models import CensusCount, DistrictShape

CENSUS_COLUMNS = ("district_kind", "district", "category", "group", "count")
MAX_CENSUS_BYTES = 10 * 1024 * 1024
MAX_COUNT = 2_000_000_000  # fits the column; no district is larger


def import_census(*, actor: Actor, file_name: str, content: bytes) -> int:
    """Import census counts by district from CSV: district_kind, district, category, group,
    count. A district's category in the file replaces what was there; a bad row stops the
    import with its file, row and column, and nothing is written. Returns the rows imported.
    """
    access.require(actor, "voterfile.import")
    rows = _read_census(file_name, content)
    with transaction.atomic():
        replaced = {(row.district_kind, row.district_code, row.category) for row in rows}
        for kind, code, category in replaced:
            CensusCount.objects.filter(
                organization=actor.organization,
                district_kind=kind,
                district_code=code,
                category=category,
            ).delete()
        for row in rows:
            row.organization = actor.organization
            row.source = file_name[:200]
        CensusCount.objects.bulk_create(rows, batch_size=1000)
        audit.record(actor, "census.imported", None, changes={"file": file_name, "rows": len(rows)})
    return len(rows)


def _read_census(file_name: str, content: bytes) -> list[CensusCount]:
    return _census_rows(
        file_name,
        read_named_rows(
            content, file_name=file_name, required=CENSUS_COLUMNS, max_bytes=MAX_CENSUS_BYTES
        ),
    )


def _census_rows(file_name: str, named) -> list[CensusCount]:
    rows, seen = [], set()
    for number, values in named:
        for name, value in values.items():
            if not value:
                raise RowError(file=file_name, row=number, column=name, problem="is empty.")
        if values["district_kind"] not in DISTRICT_KINDS:
            raise RowError(
                file=file_name,
                row=number,
                column="district_kind",
                problem=f"'{values['district_kind']}' is not a kind of district; "
                f"use one of {', '.join(DISTRICT_KINDS)}.",
            )
        count = values["count"].replace(",", "")
        if not count.isdigit() or int(count) > MAX_COUNT:
            raise RowError(
                file=file_name,
                row=number,
                column="count",
                problem=f"'{values['count']}' is not a whole number of people (at most "
                f"{MAX_COUNT:,}).",
            )
        key = (
            values["district_kind"],
            values["district"],
            values["category"].lower(),
            values["group"],
        )
        if key in seen:
            raise RowError(
                file=file_name,
                row=number,
                column="group",
                problem=f"'{values['group']}' appears twice for this district and category.",
            )
        seen.add(key)
        rows.append(
            CensusCount(
                district_kind=key[0],
                district_code=key[1][:100],
                category=key[2][:60],
                group=key[3][:100],
                count=int(count),
            )
        )
    return rows


def load_shapes(
    *, actor: Actor, file_name: str, content: bytes, kind: str | None = None
) -> tuple[str, int]:
    """Load district boundaries from GeoJSON or a zipped shapefile (TIGER/Line or alike).

    The file's districts replace every boundary of their kind; *kind* None finds it from the
    file's fields. Returns (kind, districts loaded). A bad file raises InvalidInput and
    nothing is written.
    """
    access.require(actor, "voterfile.import")
    organization = actor.organization
    kind, shapes = shape_reader.read_shapes(file_name, content, kind)
    rows = {}
    for shape in shapes:  # a district drawn in several records: one row, all its rings
        row = rows.setdefault(shape.code, shape)
        if row is not shape:
            row.rings += shape.rings
    with transaction.atomic():
        DistrictShape.objects.filter(organization=organization, district_kind=kind).delete()
        DistrictShape.objects.bulk_create(
            [_shape_row(organization, kind, file_name, shape) for shape in rows.values()],
            batch_size=200,
        )
        audit.record(
            actor,
            "district_shapes.loaded",
            None,
            organization=organization,
            changes={"file": file_name, "kind": kind, "districts": len(rows)},
        )
    return kind, len(rows)


def _shape_row(organization, kind: str, file_name: str, shape) -> DistrictShape:
    west, south, east, north = shape.bounds()
    return DistrictShape(
        organization=organization,
        district_kind=kind,
        district_code=shape.code[:100],
        name=shape.name,
        geoid=shape.geoid,
        rings=[[list(point) for point in ring] for ring in shape.rings],
        west=west,
        south=south,
        east=east,
        north=north,
        source=file_name[:200],
    )

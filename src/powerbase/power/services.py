"""Write operations of the power app: importing census tables by district."""


from django.db import transaction

from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import RowError
from powerbase.imports.services import read_named_rows
from powerbase.power.map import DISTRICT_KINDS
from powerbase.power.models import CensusCount

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
            CensusCount.objects.filter(organization=actor.organization, district_kind=kind,
                                       district_code=code, category=category).delete()
        for row in rows:
            row.organization = actor.organization
            row.source = file_name[:200]
        CensusCount.objects.bulk_create(rows, batch_size=1000)
        audit.record(actor, "census.imported", None,
                     changes={"file": file_name, "rows": len(rows)})
    return len(rows)


def _read_census(file_name: str, content: bytes) -> list[CensusCount]:
    return _census_rows(file_name, read_named_rows(
        content, file_name=file_name, required=CENSUS_COLUMNS, max_bytes=MAX_CENSUS_BYTES))


def _census_rows(file_name: str, named) -> list[CensusCount]:
    rows, seen = [], set()
    for number, values in named:
        for name, value in values.items():
            if not value:
                raise RowError(file=file_name, row=number, column=name, problem="is empty.")
        if values["district_kind"] not in DISTRICT_KINDS:
            raise RowError(file=file_name, row=number, column="district_kind",
                           problem=f"'{values['district_kind']}' is not a kind of district; "
                                   f"use one of {', '.join(DISTRICT_KINDS)}.")
        count = values["count"].replace(",", "")
        if not count.isdigit() or int(count) > MAX_COUNT:
            raise RowError(file=file_name, row=number, column="count",
                           problem=f"'{values['count']}' is not a whole number of people (at most "
                                   f"{MAX_COUNT:,}).")
        key = (values["district_kind"], values["district"], values["category"].lower(),
               values["group"])
        if key in seen:
            raise RowError(file=file_name, row=number, column="group",
                           problem=f"'{values['group']}' appears twice for this district "
                                   "and category.")
        seen.add(key)
        rows.append(CensusCount(district_kind=key[0], district_code=key[1][:100],
                                category=key[2][:60], group=key[3][:100], count=int(count)))
    return rows

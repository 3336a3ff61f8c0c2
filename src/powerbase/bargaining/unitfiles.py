"""Bargaining units in bulk: a CSV of each affiliate's units and when their contracts expire.

Columns (a header row, any order, names in any case, spaces or underscores):
`affiliate` (its name or short name, as on the Affiliates page), `employer`, `unit_size`,
`contract_expires` (a date), and optionally `unit` (the unit's name), `bargaining_starts` (a
date) and `notes`. The file goes in whole or not at all; a bad row stops it with the file, row
and column.
"""

import csv
import io
from datetime import date

from django.db import transaction

from powerbase.bargaining import services
from powerbase.bargaining.models import BargainingUnit
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import parse_date

REQUIRED = ("affiliate", "employer", "unit_size", "contract_expires")
OPTIONAL = ("unit", "bargaining_starts", "notes")
MOST_ROWS = 5000


def import_units(*, actor: Actor, file_name: str, content: bytes) -> list[BargainingUnit]:
    """Add every unit the CSV names; return them. Nothing is written if any row is wrong."""
    access.require(actor, services.MANAGE)
    rows = _rows(file_name, content)
    affiliates: dict[str, Affiliate] = {}
    for affiliate in access.scoped(actor, Affiliate.objects.all()):
        affiliates[affiliate.name.casefold()] = affiliate
        affiliates[affiliate.slug.casefold()] = affiliate
    wanted = [(number, _parse(file_name, number, row, affiliates)) for number, row in rows]
    created = []
    with transaction.atomic():
        for number, values in wanted:
            try:
                created.append(services.create_unit(actor=actor, **values))
            except (InvalidInput, Conflict) as error:
                column = _COLUMN_OF_FIELD.get(getattr(error, "field", None) or "", "employer")
                raise RowError(
                    file=file_name, row=number, column=column, problem=error.message
                ) from None
    return created


_COLUMN_OF_FIELD = {
    "employer": "employer",
    "unit_size": "unit_size",
    "bargaining_starts_on": "bargaining_starts",
}


def _parse(file_name: str, number: int, row: dict[str, str], affiliates: dict) -> dict:
    def bad(column: str, problem: str) -> RowError:
        return RowError(file=file_name, row=number, column=column, problem=problem)

    affiliate = affiliates.get(row["affiliate"].casefold())
    if affiliate is None:
        raise bad("affiliate", f"'{row['affiliate']}' is not an affiliate you may add units for")
    if not row["employer"]:
        raise bad("employer", "the employer is missing")
    size = row["unit_size"].replace(",", "")
    if not size.isdigit() or int(size) < 1:
        raise bad("unit_size", f"'{row['unit_size']}' is not a number of workers (e.g. 240)")
    return {
        "affiliate": affiliate,
        "employer": row["employer"],
        "name": row["unit"],
        "unit_size": int(size),
        "contract_expires_on": _date(row, "contract_expires", bad),
        "bargaining_starts_on": _date(row, "bargaining_starts", bad)
        if row["bargaining_starts"]
        else None,
        "notes": row["notes"],
    }


def _date(row: dict[str, str], column: str, bad) -> date:
    if not row[column]:
        raise bad(column, "the date is missing")
    try:
        return parse_date(row[column])
    except InvalidValue as error:
        raise bad(column, str(error).rstrip(".")) from None


def _rows(file_name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not UTF-8 text: save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = {"_".join(name.strip().casefold().split()): name for name in reader.fieldnames or []}
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InvalidInput(
            f"{file_name} has no column {', '.join(repr(m) for m in missing)}: the header row "
            f"needs {', '.join(REQUIRED)} (and may have {', '.join(OPTIONAL)})."
        )
    rows = [
        (
            number,
            {
                column: (raw.get(header[column]) or "").strip() if column in header else ""
                for column in REQUIRED + OPTIONAL
            },
        )
        for number, raw in enumerate(reader, start=2)
    ]
    if not rows:
        raise InvalidInput(f"{file_name} has a header row and no units.")
    if len(rows) > MOST_ROWS:
        raise InvalidInput(f"{file_name} has {len(rows)} rows; at most {MOST_ROWS} at a time.")
    return rows

"""Nominations in bulk: a CSV of who each affiliate puts forward for a cohort.

Columns (a header row, any order, names in any case): `person_id` (the #number on a person's
page) and `affiliate` (the nominating affiliate's name, as on the Affiliates page). The file
goes in whole or not at all; a bad row stops it with the file, row and column.
"""

import csv
import io

from django.db import transaction

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.people.models import Person
from powerbase.school import services
from powerbase.school.models import Cohort, Participant

COLUMNS = ("person_id", "affiliate")
MOST_ROWS = 2000


def nominate_from_file(
    *, actor: Actor, cohort: Cohort, file_name: str, content: bytes
) -> list[Participant]:
    """Nominate everyone the CSV names to *cohort*; return the new participants."""
    access.require(actor, services.NOMINATE, cohort)
    rows = _rows(file_name, content)
    affiliates = {
        affiliate.name.casefold(): affiliate
        for affiliate in access.scoped(actor, Affiliate.objects.all())
    }
    ids = [int(row["person_id"]) for _, row in rows if row["person_id"].isdigit()]
    people = {p.pk: p for p in access.scoped(actor, Person.objects.unmerged().filter(pk__in=ids))}
    wanted = []
    for number, row in rows:
        person_id, affiliate_name = row["person_id"], row["affiliate"]
        if not person_id.isdigit() or int(person_id) not in people:
            raise RowError(
                file=file_name,
                row=number,
                column="person_id",
                problem=f"'{person_id}' is not the number of a person in the base",
            )
        affiliate = affiliates.get(affiliate_name.casefold())
        if affiliate is None:
            raise RowError(
                file=file_name,
                row=number,
                column="affiliate",
                problem=f"'{affiliate_name}' is not an affiliate you may nominate for",
            )
        wanted.append((number, people[int(person_id)], affiliate))
    nominated = []
    with transaction.atomic():
        for number, person, affiliate in wanted:
            try:
                nominated.append(
                    services.nominate(
                        actor=actor, cohort=cohort, person=person, affiliate=affiliate
                    )
                )
            except (InvalidInput, Conflict) as error:
                raise RowError(
                    file=file_name, row=number, column="person_id", problem=error.message
                ) from None
    return nominated


def _rows(file_name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name} is not UTF-8 text: save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().casefold(): name for name in reader.fieldnames or []}
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InvalidInput(
            f"{file_name} has no column {', '.join(repr(m) for m in missing)}: the header row "
            f"needs {', '.join(COLUMNS)}."
        )
    rows = [
        (number, {column: (raw.get(header[column]) or "").strip() for column in COLUMNS})
        for number, raw in enumerate(reader, start=2)
    ]
    if len(rows) > MOST_ROWS:
        raise InvalidInput(f"{file_name} has {len(rows)} rows; at most {MOST_ROWS} at a time.")
    return rows

"""Nominations in bulk: a CSV of who each affiliate puts forward for a cohort.

Columns (a header row, any order, names in any case): `person_id` (the #number on a person's
page) and `affiliate` (the nominating affiliate's name, as on the Affiliates page). The file
goes in whole or not at all; a bad row stops it with the file, row and column.
"""

from django.db import transaction

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput, RowError
from powerbase.people.models import Person
from powerbase.school import services
from powerbase.school.bulk import read_rows
from powerbase.school.models import Cohort, Participant

COLUMNS = ("person_id", "affiliate")


def nominate_from_file(
    *, actor: Actor, cohort: Cohort, file_name: str, content: bytes
) -> list[Participant]:
    """Nominate everyone the CSV names to *cohort*; return the new participants."""
    access.require(actor, services.NOMINATE, cohort)
    rows = read_rows(file_name, content, COLUMNS)
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

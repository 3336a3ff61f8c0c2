"""Export a filtered list of people to CSV or XLSX: allowed by role, audited, shared terms kept.

Each row shows only what the exporter may see of that person, by the one rule in
`coalition.visibility`: each email, phone and address by the terms of the affiliate that
provided it, memberships an affiliate lead may name, demographics only for roles allowed
sensitive fields and where shared. Cells that start like a spreadsheet formula are escaped by
the writers in `imports.exporting`.

Every export is one audit entry with its row count and, per affiliate, how many of that
affiliate's members it held (`members_of:<affiliate id>`), which is what lets an affiliate see
who exported its members. Above `PEOPLE_EXPORT_ROW_CAP` rows an export needs a role that may do
full exports. Above `EXPORT_INLINE_LIMIT` rows the file is written by a background job
(`start_job`, `export_job`; see core.exports) with the same rows, as the same person.
"""

import io
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit, exports
from powerbase.core.access import Actor
from powerbase.core.exceptions import LimitReached
from powerbase.core.jobs import Progress
from powerbase.core.models import Job
from powerbase.imports.exporting import csv_chunks, write_csv, write_xlsx
from powerbase.people import queries, services
from powerbase.people.models import EmailAddress, Person, PersonTag, PhoneNumber, PostalAddress

HEADER = [
    "id",
    "given_name",
    "middle_name",
    "family_name",
    "suffix",
    "preferred_name",
    "birth_date",
    "status",
    "affiliates",
    "emails",
    "phones",
    "addresses",
    "tags",
    "languages",
    "race_ethnicity",
    "race_ethnicity_detail",
    "gender_identity",
    "pronouns",
]


def export_rows(actor: Actor, wanted: queries.PeopleFilter) -> tuple[int, Iterator[list]]:
    """Return how many people match and an iterator over their export rows; audit the export."""
    found = _found(actor, wanted)
    count = _allowed_count(actor, found)
    audit.record(
        actor,
        "people.exported",
        None,
        changes={
            "filters": services.loggable_filters(wanted),
            "rows": count,
            **audit.members_by_affiliate(found.order_by().values("pk")),
        },
    )
    return count, _rows(actor, found)


def start_job(actor: Actor, wanted: queries.PeopleFilter, file_format: str) -> Job | None:
    """Start a background job for an export too big to send now; None when it is not."""
    count = _allowed_count(actor, _found(actor, wanted))
    if not exports.runs_as_job(count):
        return None
    return exports.start(
        actor=actor,
        kind="people.export",
        params={"filters": wanted.as_params(), "format": file_format},
        rows=count,
        file_name=file_name(actor, file_format),
    )


def file_name(actor: Actor, file_format: str) -> str:
    return f"{actor.organization.slug}-people-{timezone.localdate().isoformat()}.{file_format}"


def export_job(job: Job, progress: Progress) -> dict:
    """Write a people export to its private file, as the person who asked (a job handler)."""
    actor = exports.acting_as(job)
    count, rows = export_rows(actor, queries.PeopleFilter(**job.params["filters"]))
    with exports.target(job) as path:
        write_file(exports.counted(rows, progress, total=count), path, job.params["format"])
    return exports.finished(job, count)


def write_file(rows: Iterable[list], path: Path, file_format: str) -> None:
    """Write export *rows* (from `export_rows`) to *path* as CSV or XLSX."""
    if file_format == "xlsx":
        write_xlsx(rows, str(path), header=HEADER, sheet_name="People")
    else:
        with path.open("w", newline="", encoding="utf-8") as out:
            write_csv(rows, out, header=HEADER)


def _found(actor: Actor, wanted: queries.PeopleFilter) -> QuerySet[Person]:
    access.require(actor, "people.export")
    # No prefetching: Django builds a queryset per person and relation to fill a prefetch
    # cache, most of an export's time; `_rows` reads each batch's facts in one query each.
    return queries.search(actor, wanted).prefetch_related(None).order_by("id")


# People read at a time, each batch's facts read in one query per kind.
BATCH = 2000
# Each kind of contact fact: its model and the column the export shows.
CONTACT_FACTS = ((EmailAddress, "address"), (PhoneNumber, "e164"), (PostalAddress, None))


def _rows(actor: Actor, found: QuerySet[Person]) -> Iterator[list]:
    """Yield the export row of each of *found*, a batch of people at a time.

    Facts are read as (text, the affiliate that provided it) pairs, not models with their
    sources: what the visibility rule tests is the provider.
    """
    affiliates = {a.pk: a for a in Affiliate.objects.filter(organization=actor.organization)}
    for batch in itertools.batched(found.iterator(chunk_size=BATCH), BATCH):
        ids = [person.pk for person in batch]
        memberships: dict[int, list[AffiliateMembership]] = {}
        for membership in AffiliateMembership.objects.filter(person_id__in=ids).order_by(
            "affiliate__name", "pk"
        ):
            membership.affiliate = affiliates[membership.affiliate_id]
            memberships.setdefault(membership.person_id, []).append(membership)
        facts = [_facts(model, column, ids) for model, column in CONTACT_FACTS]
        tags = _grouped(
            PersonTag.objects.filter(person_id__in=ids)
            .order_by("id")
            .values_list("person_id", "tag__name")
        )
        for person in batch:
            yield _row(
                actor,
                person,
                memberships.get(person.pk, []),
                [by_person.get(person.pk, []) for by_person in facts],
                tags.get(person.pk, []),
            )


def _facts(model, column: str | None, ids: list[int]) -> dict[int, list]:
    """Return {person id: [(text, provider affiliate id), ...]} in the model's order; an
    address's text is the model's own rendering."""
    rows = model.objects.filter(person_id__in=ids)
    if column is not None:
        return _grouped(rows.values_list("person_id", column, "source__affiliate_id"))
    provided = rows.annotate(provider=F("source__affiliate_id"))
    return _grouped((a.person_id, str(a), a.provider) for a in provided)


def _grouped(rows: Iterable[tuple]) -> dict[int, list]:
    """Group (person id, *values) rows by person, keeping their order."""
    grouped: dict[int, list] = {}
    for person_id, *values in rows:
        grouped.setdefault(person_id, []).append(values[0] if len(values) == 1 else tuple(values))
    return grouped


def _allowed_count(actor: Actor, found: QuerySet[Person]) -> int:
    """Return how many people *found* holds; refuse (audited) past the role's cap."""
    count = found.count()
    cap = settings.PEOPLE_EXPORT_ROW_CAP
    if count > cap and not actor.can("people.export_all"):
        audit.record(
            actor, "access.denied", None, changes={"permission": "people.export_all", "rows": count}
        )
        raise LimitReached(
            f"This export would hold {count:,} people; your role ({actor.role_label}) may "
            f"export at most {cap:,} at a time. Narrow the search (an affiliate, a tag), or "
            "ask a data director for a full export."
        )
    return count


def csv_stream(actor: Actor, wanted: queries.PeopleFilter) -> Iterator[str]:
    _, rows = export_rows(actor, wanted)
    return csv_chunks(rows, header=HEADER)


def xlsx_bytes(actor: Actor, wanted: queries.PeopleFilter) -> bytes:
    _, rows = export_rows(actor, wanted)
    buffer = io.BytesIO()
    write_xlsx(rows, buffer, header=HEADER, sheet_name="People")
    return buffer.getvalue()


def _row(
    actor: Actor, person: Person, memberships: list, facts: list[list], tags: list[str]
) -> list:
    """One person's row: each fact passed through the one visibility rule."""
    seen = access.person_visibility(actor, person, memberships=memberships)
    demographics = seen.demographics
    emails, phones, addresses = facts
    return [
        person.pk,
        person.given_name,
        person.middle_name,
        person.family_name,
        person.suffix,
        person.preferred_name,
        person.birth_date,
        person.get_status_display(),
        "; ".join(m.affiliate.name for m in memberships if seen.shows_membership(m)),
        "; ".join(text for text, by in emails if seen.shows_provided_by(by)),
        "; ".join(text for text, by in phones if seen.shows_provided_by(by)),
        " | ".join(text for text, by in addresses if seen.shows_provided_by(by)),
        "; ".join(tags),
        "; ".join(person.languages),
        "; ".join(person.race_ethnicity) if demographics else "",
        person.race_ethnicity_detail if demographics else "",
        person.gender_identity if demographics else "",
        person.pronouns if demographics else "",
    ]

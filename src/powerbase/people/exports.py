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
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from powerbase.core import access, audit, exports
from powerbase.core.access import Actor
from powerbase.core.exceptions import LimitReached
from powerbase.core.jobs import Progress
from powerbase.core.models import Job
from powerbase.imports.exporting import csv_chunks, write_csv, write_xlsx
from powerbase.people import queries, services
from powerbase.people.models import EmailAddress, Person, PhoneNumber, PostalAddress

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
    return count, (_row(actor, person) for person in found.iterator(chunk_size=2000))


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
        rows = exports.counted(rows, progress, total=count)
        if job.params["format"] == "xlsx":
            write_xlsx(rows, str(path), header=HEADER, sheet_name="People")
        else:
            with path.open("w", newline="", encoding="utf-8") as out:
                write_csv(rows, out, header=HEADER)
    return exports.finished(job, count)


def _found(actor: Actor, wanted: queries.PeopleFilter) -> QuerySet[Person]:
    access.require(actor, "people.export")
    return (
        queries.search(actor, wanted)
        .prefetch_related(
            *(
                Prefetch(name, queryset=model.objects.select_related("source"))
                for name, model in (
                    ("emails", EmailAddress),
                    ("phones", PhoneNumber),
                    ("addresses", PostalAddress),
                )
            ),
            "tags__tag",
        )
        .order_by("id")
    )


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


def _row(actor: Actor, person: Person) -> list:
    seen = access.person_visibility(actor, person)
    demographics = seen.demographics
    return [
        person.pk,
        person.given_name,
        person.middle_name,
        person.family_name,
        person.suffix,
        person.preferred_name,
        person.birth_date,
        person.get_status_display(),
        "; ".join(
            m.affiliate.name for m in person.affiliate_memberships.all() if seen.shows_membership(m)
        ),
        "; ".join(e.address for e in person.emails.all() if seen.shows_contact(e)),
        "; ".join(p.e164 for p in person.phones.all() if seen.shows_contact(p)),
        " | ".join(str(a) for a in person.addresses.all() if seen.shows_contact(a)),
        "; ".join(t.tag.name for t in person.tags.all()),
        "; ".join(person.languages),
        "; ".join(person.race_ethnicity) if demographics else "",
        person.race_ethnicity_detail if demographics else "",
        person.gender_identity if demographics else "",
        person.pronouns if demographics else "",
    ]

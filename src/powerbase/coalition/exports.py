"""The who-looked log of an affiliate's members as a CSV file: sent at once when short, else
written by a background job (core.exports) for the lead to download.

Either way the file holds the same lines as the page (`queries.member_access_log`), read as the
person who asked, and the export is audited as `affiliate.access_log_exported`.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from powerbase.coalition import queries
from powerbase.coalition.models import Affiliate
from powerbase.core import audit, exports
from powerbase.core.access import Actor
from powerbase.core.jobs import Progress
from powerbase.core.models import AuditEntry, Job
from powerbase.imports.exporting import csv_chunks, write_csv

HEADER = ["when", "who", "kind", "action", "what", "address"]


def who_looked_csv(actor: Actor, affiliate_id: int) -> tuple[Affiliate, Iterator[str] | Job]:
    """Return the affiliate and either its log's CSV text in chunks, or the job writing it."""
    affiliate, entries = queries.member_access_log(actor, affiliate_id)
    count = entries.count()
    if exports.runs_as_job(count):
        return affiliate, exports.start(
            actor=actor,
            kind="coalition.who_looked_export",
            params={"affiliate_id": affiliate.pk},
            rows=count,
            file_name=file_name(affiliate),
        )
    audit.record(actor, "affiliate.access_log_exported", affiliate)
    return affiliate, csv_chunks(_rows(entries, affiliate), header=HEADER)


def file_name(affiliate: Affiliate) -> str:
    return f"{affiliate.slug}-who-looked.csv"


def who_looked_job(job: Job, progress: Progress) -> dict:
    """Write the log to its private file, as the person who asked (a job handler)."""
    actor = exports.acting_as(job)
    affiliate, entries = queries.member_access_log(actor, job.params["affiliate_id"])
    count = entries.count()
    audit.record(actor, "affiliate.access_log_exported", affiliate, changes={"rows": count})
    with exports.target(job) as path, path.open("w", newline="", encoding="utf-8") as out:
        write_csv(
            exports.counted(_rows(entries, affiliate), progress, total=count), out, header=HEADER
        )
    return exports.finished(job, count)


def _rows(entries: QuerySet[AuditEntry], affiliate: Affiliate) -> Iterator[list]:
    for entry in entries.iterator(chunk_size=2000):
        line = queries.describe_look(entry, affiliate)
        yield [
            line["when"].isoformat(),
            line["who"],
            line["kind"],
            line["action"],
            line["what"],
            line["address"],
        ]

"""An import's problems (rejected rows and warnings) as a CSV file: sent at once when short,
else written by a background job (core.exports) for the person who asked to download.

A 50,000-row list with a warning on every row has 50,000 lines of problems; both ways write
the same lines, read as the person who asked, and audit `import.report_exported`.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from powerbase.core import audit, exports
from powerbase.core.access import Actor
from powerbase.core.jobs import Progress
from powerbase.core.models import Job
from powerbase.imports import queries
from powerbase.imports.exporting import csv_chunks, write_csv
from powerbase.imports.models import ImportBatch, ImportProblem

HEADER = ("row", "column", "value", "reason", "severity")


def problems_csv(actor: Actor, batch_id: int) -> tuple[ImportBatch, Iterator[str] | Job]:
    """Return the batch and either its problems' CSV text in chunks, or the job writing it."""
    batch = queries.batch(actor, batch_id)
    problems = queries.problems(batch)
    count = problems.count()
    if exports.runs_as_job(count):
        return batch, exports.start(
            actor=actor,
            kind="imports.problems_export",
            params={"batch_id": batch.pk},
            rows=count,
            file_name=file_name(batch),
        )
    audit.record(actor, "import.report_exported", batch)
    return batch, csv_chunks(_rows(problems), header=HEADER)


def file_name(batch: ImportBatch) -> str:
    return f"{batch.file_name.rsplit('.', 1)[0]}-problems.csv"


def problems_job(job: Job, progress: Progress) -> dict:
    """Write a batch's problems to their private file, as the person who asked (a job handler)."""
    actor = exports.acting_as(job)
    batch = queries.batch(actor, job.params["batch_id"])
    problems = queries.problems(batch)
    count = problems.count()
    audit.record(actor, "import.report_exported", batch, changes={"rows": count})
    with exports.target(job) as path, path.open("w", newline="", encoding="utf-8") as out:
        write_csv(exports.counted(_rows(problems), progress, total=count), out, header=HEADER)
    return exports.finished(job, count)


def _rows(problems: QuerySet[ImportProblem]) -> Iterator[tuple]:
    return (
        (p.row, p.column, p.value, p.reason, p.get_severity_display())
        for p in problems.iterator(chunk_size=2000)
    )

"""Exports too big to wait for: a background job writes the file, and the person who asked
downloads it when it is ready.

An export of more than settings.EXPORT_INLINE_LIMIT rows would hold the request open for as
long as it takes to write (a 48,500-person export took 50 s). The app's view asks instead:

    if exports.runs_as_job(count):
        job = exports.start(actor=actor, kind="people.export", params={...}, rows=count,
                            file_name="nutmeg-people-2026-12-07.csv")
        return redirect("core:export", org=actor.organization.slug, export_id=job.pk)

and the job's handler (a kind in `job_kinds.EXPORT_KINDS`) works out the rows again as the
same person (`acting_as`: their role and affiliates as they are when it runs, so the
visibility rule decides the file exactly as it decides the inline export) and writes them to
`target(job)`.

The file lives under the data directory in a folder per organization, never under static
files, and is served only through `download`: to the user who started the job and nobody
else, whatever their role. Requests and downloads are audited. `purge` (a chore of
core.jobs.HOUSEKEEPING) deletes each file settings.EXPORT_RETENTION after its job finished.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.core.job_kinds import EXPORT_KINDS
from powerbase.core.models import Job, Organization

# The result key that says a finished export's file was deleted after the retention period.
PURGED = "purged"
# A file this young with no job may be one a worker is still writing.
STRAY_GRACE_SECONDS = 3600


def runs_as_job(rows: int) -> bool:
    """True when an export of *rows* rows is too big to write while the browser waits."""
    return rows > settings.EXPORT_INLINE_LIMIT


def start(*, actor: Actor, kind: str, params: dict, rows: int, file_name: str) -> Job:
    """Queue an export job of *kind* for *actor* and audit the request."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"{kind!r} is not an export: add it to core.job_kinds.EXPORT_KINDS.")
    if actor.user is None:
        # Only the person who started an export may download it; the command line has no one.
        raise InvalidInput("An export job is started by a signed-in person, who downloads it.")
    job = jobs.start(
        kind=kind,
        started_by=actor,
        organization=actor.organization,
        params={**params, "file_name": file_name, "rows": rows},
    )
    audit.record(
        actor, "export.requested", job, changes={"kind": kind, "rows": rows, "file": file_name}
    )
    return job


def acting_as(job: Job) -> Actor:
    """Return the person who asked for *job*'s export, with their role as it is now.

    Someone who lost their role since asking gets nothing (NotFound fails the job).
    """
    if job.started_by is None or job.organization is None:
        raise NotFound("The person who asked for this export")
    return access.actor_for(job.started_by, job.organization.slug)


def directory(organization: Organization) -> Path:
    """Return the private folder of *organization*'s export files, made if missing."""
    folder = Path(settings.DATA_DIR) / "exports" / str(organization.pk)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def path_of(job: Job) -> Path:
    assert job.organization is not None, "an export belongs to an organization"
    suffix = Path(job.params.get("file_name", "")).suffix or ".csv"
    return directory(job.organization) / f"{job.pk}{suffix}"


@contextmanager
def target(job: Job) -> Iterator[Path]:
    """Yield the path to write *job*'s file to; it takes the file's place only when complete.

    A job run again after its worker died writes the whole file again, and a download never
    sees half a file.
    """
    final = path_of(job)
    partial = final.with_name(f"{final.name}.partial")
    try:
        yield partial
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)


def counted[T](rows: Iterable[T], progress: jobs.Progress, total: int) -> Iterator[T]:
    """Yield *rows*, reporting each one written to the job's progress bar."""
    progress.update(0, total=total, message="Writing the file")
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        progress.update(done)
    progress.update(done, force=True)


def finished(job: Job, rows: int) -> dict:
    """Return what the job's row keeps of its finished file."""
    return {"rows": rows, "bytes": path_of(job).stat().st_size, "file": job.params["file_name"]}


def mine(actor: Actor) -> QuerySet[Job]:
    """Return the exports *actor* asked for, newest first.

    Not `access.jobs`: an export file is its starter's alone, so not even a role that follows
    everyone's jobs sees another person's, and an affiliate lead (who follows no jobs) sees
    their own.
    """
    if actor.user is None:
        return Job.objects.none()
    return Job.objects.filter(
        organization=actor.organization, started_by=actor.user, kind__in=EXPORT_KINDS
    )


def get(actor: Actor, export_id: int) -> Job:
    """Return one of *actor*'s exports; NotFound (audited) for anyone else's."""
    job = mine(actor).filter(pk=export_id).first()
    if job is None:
        if Job.objects.filter(pk=export_id, kind__in=EXPORT_KINDS).exists():
            audit.record(
                actor,
                "access.denied",
                None,
                changes={"object_type": "core.Job", "lookup": f"export {export_id}"},
            )
        raise NotFound("That export")
    return job


def is_ready(job: Job) -> bool:
    return job.status == Job.Status.SUCCEEDED and not job.result.get(PURGED)


def download(actor: Actor, export_id: int) -> tuple[Path, str]:
    """Return the file of one of *actor*'s finished exports and its name; audit the download."""
    job = get(actor, export_id)
    path = path_of(job)
    if not is_ready(job) or not path.exists():
        raise NotFound("That export's file")
    audit.record(
        actor,
        "export.downloaded",
        job,
        changes={"kind": job.kind, "rows": job.result.get("rows"), "file": job.result.get("file")},
    )
    return path, job.params["file_name"]


def purge() -> dict[str, int]:
    """Delete export files past settings.EXPORT_RETENTION; return how many went.

    A finished job's file goes once it is that old (its row says so); a file no job can
    claim (a dead worker's partial file) goes once it is an hour old.
    """
    cutoff = timezone.now() - settings.EXPORT_RETENTION
    expired = Job.objects.filter(kind__in=EXPORT_KINDS, finished_at__lt=cutoff)
    counts = {"exports": 0, "stray files": 0}
    for job in expired.select_related("organization").iterator():
        if job.result.get(PURGED):
            continue
        path_of(job).unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(result={**job.result, PURGED: True})
        counts["exports"] += 1
    counts["stray files"] = _remove_strays()
    return counts


def _remove_strays() -> int:
    root = Path(settings.DATA_DIR) / "exports"
    if not root.exists():
        return 0
    live = {
        f"{pk}{Path(params.get('file_name', '')).suffix or '.csv'}"
        for pk, params, result in Job.objects.filter(kind__in=EXPORT_KINDS).values_list(
            "pk", "params", "result"
        )
        if not result.get(PURGED)
    }
    too_young = time.time() - STRAY_GRACE_SECONDS
    removed = 0
    for path in root.glob("*/*"):
        if path.name not in live and path.stat().st_mtime < too_young:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

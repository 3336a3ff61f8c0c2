"""Uploaded income files left behind: deleted after a day, their import marked failed.

A web upload waits in DATA_DIR/uploads/money/<org>/ until its job (`money.import`) has read it,
and the job deletes it then, refused or imported. A worker killed mid-import leaves the file
behind and the job running or queued; `purge` (run by every worker when it starts and every
five minutes, core.jobs.HOUSEKEEPING, and by `powerbase uploads purge`) deletes such a file
once it is a day old and marks its job failed with the reason, so nothing waits forever and no
list of donors stays on the server. The import itself wrote nothing: it is one transaction.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from powerbase.core.models import Job

KIND = "money.import"
# An upload this old is no longer going to be imported by the job that was to read it.
MONEY_UPLOAD_RETENTION = timedelta(days=1)
ABANDONED = (
    "This import did not finish: the worker running it stopped (it was killed or its machine "
    "restarted) and the uploaded file was deleted after a day. Nothing from it was imported; "
    "upload the file again."
)


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "money"


def purge() -> dict[str, int]:
    """Delete money uploads older than a day that no live import will read; mark their jobs
    failed. Return how many files and jobs."""
    cutoff = timezone.now() - MONEY_UPLOAD_RETENTION
    counts = {"money uploads": 0, "money imports marked failed": 0}
    named: set[str] = set()
    for job in Job.objects.filter(kind=KIND).exclude(status=Job.Status.SUCCEEDED).iterator():
        path = job.params.get("path", "")
        # A running job's worker is alive (core.jobs.fail_abandoned fails it when it is not).
        if job.created_at >= cutoff or job.status == Job.Status.RUNNING:
            named.add(path)
            continue
        if path and Path(path).exists():
            Path(path).unlink(missing_ok=True)
            counts["money uploads"] += 1
        if _mark_failed(job):
            counts["money imports marked failed"] += 1
    counts["money uploads"] += _remove_strays(named)
    return counts


def _mark_failed(job: Job) -> bool:
    """Fail an import still queued after a day, and say why on one a dead worker left failed
    (its message says to start it again, which the deleted file no longer allows). An import
    refused for its content keeps its own reason."""
    abandoned_by_worker = job.status == Job.Status.FAILED and "worker" in job.error
    if job.status != Job.Status.QUEUED and not abandoned_by_worker:
        return False
    return bool(
        Job.objects.filter(pk=job.pk, status=job.status)
        .exclude(error=ABANDONED)
        .update(
            status=Job.Status.FAILED,
            finished_at=job.finished_at or timezone.now(),
            message="Failed",
            error=ABANDONED,
        )
    )


def _remove_strays(named: set[str]) -> int:
    """Files under uploads/money/ no import of the last day names, a day old."""
    root, removed = uploads_dir(), 0
    if not root.is_dir():
        return 0
    age = MONEY_UPLOAD_RETENTION.total_seconds()
    for path in root.glob("*/*"):
        if path.is_file() and str(path) not in named and time.time() - path.stat().st_mtime > age:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

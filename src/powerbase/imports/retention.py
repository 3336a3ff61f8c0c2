"""How long uploaded files stay on the server: no longer than they are needed.

An uploaded list holds a whole roster in plain text, so it is deleted as soon as it has done its
work: when its import commits, when the check refuses the file, when an import is undone. What
is left behind (a list uploaded and never imported, a file whose job's worker was killed) is
deleted by `purge`, which every worker runs when it starts and then every five minutes (see
core.jobs.HOUSEKEEPING), and which `powerbase uploads purge` runs by hand:

- a finished batch (imported or undone): its file and its saved check, now;
- any other batch (uploaded, checked, failed: a failed import can be started again) once it
  is older than settings.UPLOAD_RETENTION: its file and saved check;
- a file under imports/ or uploads/voterfile/ that no batch or waiting job names, an hour old.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from powerbase.core.models import Job
from powerbase.imports.models import ImportBatch

# A file this young may belong to an upload whose row is not committed yet.
ORPHAN_GRACE_SECONDS = 3600

FINISHED = (ImportBatch.Status.COMMITTED, ImportBatch.Status.UNDONE)


def imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def forget_file(batch: ImportBatch) -> None:
    """Delete a batch's uploaded file and its saved check."""
    path = imports_dir() / batch.stored_name
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".plan").unlink(missing_ok=True)


def purge() -> dict[str, int]:
    """Delete uploaded files no longer needed; return how many of each kind went."""
    cutoff = timezone.now() - settings.UPLOAD_RETENTION
    counts = {"finished imports": 0, "abandoned imports": 0, "stray files": 0}
    known: set[str] = set()
    for batch in ImportBatch.objects.only("stored_name", "status", "created_at").iterator():
        known.add(batch.stored_name)
        expired = batch.created_at < cutoff
        if (batch.status in FINISHED or expired) and _exists(batch):
            forget_file(batch)
            counts["finished imports" if batch.status in FINISHED else "abandoned imports"] += 1
    counts["stray files"] = _remove_strays(known) + _remove_voterfile_strays()
    return counts


def _exists(batch: ImportBatch) -> bool:
    path = imports_dir() / batch.stored_name
    return path.exists() or path.with_name(path.name + ".plan").exists()


def _old(path: Path) -> bool:
    return time.time() - path.stat().st_mtime > ORPHAN_GRACE_SECONDS


def _remove_strays(known: set[str]) -> int:
    root, removed = imports_dir(), 0
    if not root.is_dir():
        return 0
    for path in root.glob("*/*"):
        name = str(path.relative_to(root)).removesuffix(".plan")
        if path.is_file() and name not in known and _old(path):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _remove_voterfile_strays() -> int:
    """Voter files uploaded through the web are deleted when their import ends; a killed worker
    leaves them. Remove the folders no waiting or running job will read."""
    root, removed = Path(settings.DATA_DIR) / "uploads" / "voterfile", 0
    if not root.is_dir():
        return 0
    in_use = {
        str(Path(path).parent)
        for params in Job.objects.filter(
            kind="voterfile.import",
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).values_list("params", flat=True)
        for path in params.get("paths", [])
    }
    for folder in root.glob("*/*"):
        if folder.is_dir() and str(folder) not in in_use and _old(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed

"""Read queries for imports, always through `access`."""

from django.db.models import QuerySet

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.imports.models import ImportBatch, ImportProblem


def batches(actor: Actor) -> QuerySet[ImportBatch]:
    """Return the imports the actor may see: all, or an affiliate lead's affiliates' own."""
    access.require(actor, "imports.view")
    return access.scoped(actor, ImportBatch.objects.select_related("affiliate", "uploaded_by"))


def batch(actor: Actor, batch_id: int) -> ImportBatch:
    return access.get(actor, batches(actor).select_related("check_job", "commit_job"), pk=batch_id)


def problems(batch: ImportBatch, severity: str | None = None) -> QuerySet[ImportProblem]:
    found = batch.problems.all()
    return found.filter(severity=severity) if severity else found

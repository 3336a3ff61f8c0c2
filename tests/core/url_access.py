"""Core's objects for the URL-permission test beyond those every app shares (a job, a member)."""

from powerbase.core import exports, jobs
from powerbase.core.models import Role
from tests.conftest import act


def world(*, nutmeg, users_by_role, tenant_union, maria) -> dict:
    """A finished people export the data director asked for: theirs alone to open."""
    job = exports.start(
        actor=act(users_by_role[Role.DATA], nutmeg),
        kind="people.export",
        params={"filters": {}, "format": "csv"},
        rows=1,
        file_name="nutmeg-people.csv",
    )
    jobs.execute(job.pk)
    return {"export_id": job.pk}

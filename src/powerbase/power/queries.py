"""Read queries for dashboards: figures drawn from every domain, through their own queries."""

from dataclasses import dataclass

from powerbase.coalition import queries as coalition_queries
from powerbase.core import queries as core_queries
from powerbase.core.access import Actor
from powerbase.core.models import Job, Organization


@dataclass(frozen=True)
class Dashboard:
    users: int
    affiliates: int | None
    unfinished_jobs: int
    recent_jobs: list[Job]
    child_organizations: list[Organization]


def dashboard(actor: Actor) -> Dashboard:
    """Return the figures on an organization's front page, as far as the actor may see."""
    return Dashboard(
        users=core_queries.member_count(actor),
        affiliates=(coalition_queries.affiliates(actor).count()
                    if actor.can("affiliates.view") else None),
        unfinished_jobs=core_queries.job_counts(actor)["unfinished"],
        recent_jobs=list(core_queries.recent_jobs(actor, limit=5)),
        child_organizations=list(actor.organization.children.order_by("name")),
    )

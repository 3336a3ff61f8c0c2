"""Read queries for organizations, roles, the audit log and jobs, always through `access`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import AuditEntry, Job, Membership


def memberships(actor: Actor) -> QuerySet[Membership]:
    """Return the roles held in the actor's organization, for the users page."""
    access.require(actor, "members.view")
    return access.scoped(actor, Membership.objects.select_related("user")).prefetch_related(
        "affiliate_grants__affiliate"
    )


@dataclass(frozen=True)
class AuditFilter:
    """What a reader of the audit log narrowed it to; empty fields do not filter."""

    action: str = ""
    actor: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None


def audit_entries(actor: Actor, wanted: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """Return the organization's audit entries, newest first, narrowed by *wanted*.

    Sign-in events carry no organization; an organization's log shows those of its own users
    (and failed tries at their email addresses), since they say who got in and who tried.
    """
    access.require(actor, "audit.view")
    member_ids = Membership.objects.filter(organization=actor.organization).values("user_id")
    member_emails = Membership.objects.filter(organization=actor.organization).values("user__email")
    entries = AuditEntry.objects.filter(
        Q(organization=actor.organization)
        | Q(organization__isnull=True, action__startswith="login", actor_id__in=member_ids)
        | Q(
            organization__isnull=True,
            action__startswith="login",
            actor__isnull=True,
            actor_label__in=member_emails,
        )
    )
    if wanted.action:
        entries = entries.filter(action__startswith=wanted.action)
    if wanted.actor:
        entries = entries.filter(actor_label__icontains=wanted.actor)
    if wanted.object_type:
        entries = entries.filter(object_type=wanted.object_type)
    if wanted.since:
        entries = entries.filter(created_at__gte=_start_of(wanted.since))
    if wanted.until:
        day_after = _start_of(wanted.until) + timedelta(days=1)
        entries = entries.filter(created_at__lt=day_after)
    return entries.order_by("-created_at", "-id")


def audit_actions(actor: Actor) -> list[str]:
    """Return the distinct action names in the organization's log, for the filter menu."""
    return sorted(set(audit_entries(actor).values_list("action", flat=True).distinct()))


def demo_loading() -> Job | None:
    """Return the demo's first load while it waits or runs (`powerbase demo`), else None."""
    waiting = [Job.Status.QUEUED, Job.Status.RUNNING]
    return Job.objects.filter(kind="demo.load", organization=None, status__in=waiting).first()


def recent_jobs(actor: Actor, limit: int = 20) -> QuerySet[Job]:
    return access.jobs(actor).select_related("started_by")[:limit]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def job_counts(actor: Actor) -> dict[str, int]:
    """Return how many of the actor's visible jobs are waiting or running."""
    unfinished = access.jobs(actor).exclude(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED])
    return {"unfinished": unfinished.count()}


def member_count(actor: Actor) -> int:
    """Return how many people hold a role in the actor's organization."""
    return Membership.objects.filter(organization=actor.organization).count()

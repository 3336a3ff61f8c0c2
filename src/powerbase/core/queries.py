"""Read queries for organizations, roles, the audit log and jobs, always through `access`."""

import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import overload

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


class AuditLog:
    """An organization's audit entries, newest first, narrowed: counted and sliced (by
    Django's `Paginator`) like a queryset.

    It has two sources, the organization's own entries and its users' sign-in events, each
    read in order from the `audit_by_time` index (`(organization, created_at, id)`, read
    backwards). A slice finds its ids first, then reads its entries by id. One query with
    `OR` read and sorted the whole log (42,000 entries in the full demo) for every page.
    """

    # A slice ending this far in merges the two sources' newest ids here, reading no further
    # than it ends; a slice deeper in lets the database merge them (`UNION ALL`), which
    # PostgreSQL does by sorting every id of the log (25-40 ms for 42,000, index only).
    MERGED_HERE_UP_TO = 2000

    def __init__(self, own: QuerySet[AuditEntry], sign_ins: QuerySet[AuditEntry]):
        self.own, self.sign_ins = own, sign_ins

    def count(self) -> int:
        """Return how many entries there are, each source counted from its index."""
        return self.own.count() + self.sign_ins.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[AuditEntry]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, wanted: int) -> AuditEntry: ...

    @overload
    def __getitem__(self, wanted: slice) -> list[AuditEntry]: ...

    def __getitem__(self, wanted: int | slice) -> AuditEntry | list[AuditEntry]:
        """Return the entry at *wanted*, or the entries of *wanted* (a slice), newest first."""
        if isinstance(wanted, int):
            return self[wanted : wanted + 1][0]
        start, stop = wanted.start or 0, wanted.stop
        own, sign_ins = (
            source.order_by("-created_at", "-id").values_list("created_at", "id")
            for source in (self.own, self.sign_ins)
        )
        if stop is not None and stop <= self.MERGED_HERE_UP_TO:
            merged = heapq.merge(own[:stop], sign_ins[:stop], reverse=True)
            newest = list(itertools.islice(merged, start, stop))
        else:
            both = own.order_by().union(sign_ins.order_by(), all=True)
            newest = list(both.order_by("-created_at", "-id")[start:stop])
        ids = [entry_id for _created_at, entry_id in newest]
        entries = (self.own | self.sign_ins).in_bulk(ids)
        return [entries[entry_id] for entry_id in ids]


def audit_entries(actor: Actor, wanted: AuditFilter = AuditFilter()) -> AuditLog:
    """Return the organization's audit entries, newest first, narrowed by *wanted*.

    Sign-in events carry no organization; an organization's log shows those of its own users
    (and failed tries at their email addresses), since they say who got in and who tried.
    """
    own, sign_ins = _audit_sources(actor)
    narrowed = _narrowed_by(wanted)
    return AuditLog(own.filter(narrowed), sign_ins.filter(narrowed))


def audit_actions(actor: Actor) -> list[str]:
    """Return the distinct action names in the organization's log, for the filter menu."""
    own, sign_ins = _audit_sources(actor)
    # Each source from the `audit_actions` index (without the model's ordering, which would
    # make every entry distinct), in one query.
    actions = own.values_list("action", flat=True).distinct()
    return list(
        actions.union(sign_ins.values_list("action", flat=True).distinct()).order_by("action")
    )


def _audit_sources(actor: Actor) -> tuple[QuerySet[AuditEntry], QuerySet[AuditEntry]]:
    """Return the organization's own entries and its users' sign-in events, unordered."""
    access.require(actor, "audit.view")
    members = Membership.objects.filter(organization=actor.organization)
    own = access.scoped(actor, AuditEntry.objects.all())
    sign_ins = AuditEntry.objects.filter(
        Q(actor_id__in=members.values("user_id"))
        | Q(actor__isnull=True, actor_label__in=members.values("user__email")),
        organization__isnull=True,
        action__startswith="login",
    )
    return own.order_by(), sign_ins.order_by()


def _narrowed_by(wanted: AuditFilter) -> Q:
    narrowed = Q()
    if wanted.action:
        narrowed &= Q(action__startswith=wanted.action)
    if wanted.actor:
        narrowed &= Q(actor_label__icontains=wanted.actor)
    if wanted.object_type:
        narrowed &= Q(object_type=wanted.object_type)
    if wanted.since:
        narrowed &= Q(created_at__gte=_start_of(wanted.since))
    if wanted.until:
        narrowed &= Q(created_at__lt=_start_of(wanted.until) + timedelta(days=1))
    return narrowed


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

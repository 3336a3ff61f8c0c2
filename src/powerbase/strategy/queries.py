"""Reads of the strategy table: bodies with their seats and meetings, the decision log with
commitments and tasks, a user's own tasks, and the decisions behind a campaign or a demand.

Open tasks are shown to those who run the organization's democracy and to the body's own seat
holders (a user whose sign-in address is the email of a person holding a seat); anyone else
who may read the decision log sees the decisions and what they commit, not the task list.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from powerbase.actions.models import Campaign
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import NotFound
from powerbase.core.models import Membership, User
from powerbase.democracy.models import (
    Assembly,
    Decision,
    Endorsement,
    GoverningBody,
    Seat,
    Vote,
)
from powerbase.legislature.models import Demand, PlatformVersion
from powerbase.money.models import BudgetLine
from powerbase.strategy.models import Commitment, Task

VIEW, RECORD = "democracy.view", "democracy.manage"
# Shown first on the strategy page: the bodies the issue names, in the order power flows.
KIND_ORDER: list[str] = [
    GoverningBody.Kind.STRATEGY_TABLE.value,
    GoverningBody.Kind.STEERING_COMMITTEE.value,
    GoverningBody.Kind.AFFILIATE_COUNCIL.value,
    GoverningBody.Kind.OTHER.value,
]


def bodies(actor: Actor) -> list[GoverningBody]:
    """Every body the actor may see, strategy table first, each with its decisions counted."""
    access.require(actor, VIEW)
    found = access.scoped(
        actor,
        GoverningBody.objects.annotate(
            decision_count=Count("decisions", distinct=True),
            seat_count=Count("seats", distinct=True),
        ),
    )
    return sorted(found, key=lambda body: (KIND_ORDER.index(body.kind), body.name))


def body(actor: Actor, body_id: int) -> GoverningBody:
    access.require(actor, VIEW)
    return access.get(
        actor,
        GoverningBody.objects.prefetch_related(
            Prefetch(
                "seats",
                queryset=access.scoped(actor, Seat.objects.select_related("holder", "affiliate")),
            )
        ),
        pk=body_id,
    )


def seat(actor: Actor, seat_id: int) -> Seat:
    access.require(actor, VIEW)
    return access.get(actor, Seat.objects.select_related("body"), pk=seat_id)


def meetings(actor: Actor, body: GoverningBody) -> QuerySet[Assembly]:
    """The body's meetings, the latest first."""
    return access.scoped(actor, Assembly.objects.filter(body=body).order_by("-starts_at"))


def _with_record(actor: Actor, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Decisions with what a log entry shows: body, vote, meeting, commitments and tasks."""
    return decisions.select_related("body", "vote", "assembly").prefetch_related(
        Prefetch(
            "commitments",
            queryset=access.scoped(
                actor,
                Commitment.objects.select_related(
                    "campaign", "budget_line__budget", "endorsement", "platform_version__platform"
                ),
            ),
        ),
        Prefetch("tasks", queryset=access.scoped(actor, Task.objects.select_related("owner"))),
    )


def decision_log(actor: Actor, body: GoverningBody) -> QuerySet[Decision]:
    """The body's decisions, the latest first."""
    access.require(actor, VIEW)
    return _with_record(actor, access.scoped(actor, Decision.objects.filter(body=body)))


def decision(actor: Actor, decision_id: int) -> Decision:
    access.require(actor, VIEW)
    return access.get(actor, _with_record(actor, Decision.objects.all()), pk=decision_id)


def may_open(actor: Actor, decision: Decision | None) -> bool:
    """True when *actor* may open *decision*'s page: the check of `decision`, asked without
    the audited refusal, so another app's page links a decision only for those it opens for."""
    if decision is None or not actor.can(VIEW):
        return False
    return access.scoped(actor, Decision.objects.filter(pk=decision.pk)).exists()


def sees_tasks(actor: Actor, body: GoverningBody | None) -> bool:
    """True for those who record decisions, and for the body's own seat holders."""
    if actor.can(RECORD):
        return True
    if body is None or actor.user is None:
        return False
    return (
        access.scoped(actor, Seat.objects.filter(body=body))
        .filter(holder__emails__address=actor.user.email.lower())
        .exists()
    )


def open_tasks(actor: Actor, body: GoverningBody) -> list[Task]:
    """The body's tasks not yet done, overdue first (earliest due first), for those who may
    see them; nobody else gets any."""
    if not sees_tasks(actor, body):
        return []
    return list(
        access.scoped(
            actor,
            Task.objects.filter(decision__body=body, done_at__isnull=True).select_related(
                "owner", "decision__body"
            ),
        ).order_by("due_on", "id")
    )


@dataclass(frozen=True)
class MyTasks:
    open: list[Task]
    overdue: int


def my_tasks(actor: Actor) -> MyTasks:
    """The signed-in user's own open tasks in this organization, earliest due first.

    A task is its owner's whatever their role, an affiliate lead's or a viewer's too: it is
    found by owner and organization, not through the role's reach.
    """
    if actor.user is None:
        return MyTasks(open=[], overdue=0)
    tasks = list(
        Task.objects.filter(organization=actor.organization, owner=actor.user, done_at__isnull=True)
        .select_related("decision__body")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    return MyTasks(open=tasks, overdue=sum(1 for task in tasks if task.due_on < today))


def task_to_complete(actor: Actor, task_id: int) -> Task:
    """The task *actor* may mark done: their own, or any the actor may record decisions for."""
    if actor.can(RECORD):
        return access.get(actor, Task, pk=task_id)
    own = my_tasks(actor).open
    for task in own:
        if task.pk == task_id:
            return task
    raise NotFound("Task")


# What a decision form offers ------------------------------------------------------------------


def owners(actor: Actor) -> QuerySet[User]:
    """The users who may be given a task: those holding a role in the organization."""
    holders = access.scoped(actor, Membership.objects.all()).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("name", "email")


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    return access.scoped(actor, Campaign.objects.all())


def budget_lines(actor: Actor) -> QuerySet[BudgetLine]:
    return access.scoped(actor, BudgetLine.objects.select_related("budget")).order_by(
        "-budget__year", "budget__name", "category"
    )


def endorsements(actor: Actor) -> QuerySet[Endorsement]:
    return access.scoped(actor, Endorsement.objects.all()).order_by("-id")


def platform_versions(actor: Actor) -> QuerySet[PlatformVersion]:
    return access.scoped(actor, PlatformVersion.objects.select_related("platform"))


def votes_to_file(actor: Actor) -> QuerySet[Vote]:
    """Published votes whose decision no body has filed yet."""
    return access.scoped(
        actor,
        Vote.objects.filter(status=Vote.Status.PUBLISHED, decision__body__isnull=True),
    ).order_by("-created_at")


# The decisions behind a campaign or a demand -------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """One decision behind something, and what it did to it ("Starts the campaign")."""

    decision: Decision
    did: str


def decided_by(actor: Actor, subject) -> list[Authority]:
    """The decisions that started, ended or funded a campaign, or adopted a demand's (or a
    platform version's) version, the earliest first. Nothing for a role that may not read the
    decision log."""
    if not actor.can(VIEW):
        return []
    if isinstance(subject, Demand):
        subject = subject.plank.version
    if isinstance(subject, Campaign):
        found = Q(campaign=subject) | Q(budget_line__budget__campaign=subject)
    elif isinstance(subject, PlatformVersion):
        found = Q(platform_version=subject)
    else:
        return []
    commitments = access.scoped(actor, Commitment.objects.filter(found)).select_related(
        "decision__body", "budget_line__budget"
    )
    authorities = [
        Authority(decision=c.decision, did=_what_it_did(c)) for c in commitments.order_by("id")
    ]
    if isinstance(subject, PlatformVersion) and subject.decision_id is not None:
        listed = {a.decision.pk for a in authorities}
        adopted = access.scoped(actor, Decision.objects.filter(pk=subject.decision_id)).first()
        if adopted is not None and adopted.pk not in listed:
            authorities.append(Authority(decision=adopted, did="Adopted"))
    return sorted(authorities, key=lambda a: (a.decision.decided_on, a.decision.pk))


def _what_it_did(commitment: Commitment) -> str:
    if commitment.kind == Commitment.Kind.CAMPAIGN_STARTED:
        return "Started"
    if commitment.kind == Commitment.Kind.CAMPAIGN_ENDED:
        return "Ended"
    if commitment.kind == Commitment.Kind.BUDGET_LINE:
        return f"Funded ({commitment.budget_line})"
    return "Adopted"

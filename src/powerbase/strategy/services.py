"""Write operations of the strategy table: seat terms, a body's meetings, the decision log with
its commitments and tasks, and marking a task done. Each checks access, runs in one
transaction and is audited.

Recording decisions is the work of those who run the organization's democracy (the
`democracy.manage` permission: owners, admins, organizers); a task's owner may mark their
own task done whatever their role.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from powerbase.actions.models import Campaign
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Membership, User
from powerbase.democracy import services as democracy
from powerbase.democracy.models import (
    Assembly,
    Decision,
    Electorate,
    Endorsement,
    GoverningBody,
    Seat,
    Vote,
)
from powerbase.legislature.models import PlatformVersion
from powerbase.money.models import BudgetLine
from powerbase.strategy.models import Commitment, Task

RECORD = "democracy.manage"
# The outcomes a body records by hand; elections and endorsements come from a counted vote.
HAND_OUTCOMES = (Decision.Outcome.ADOPTED, Decision.Outcome.REJECTED, Decision.Outcome.RECORDED)
# Which field of a commitment holds its target, by kind, and the model it must be.
TARGETS: dict[str, tuple[str, type[models.Model]]] = {
    Commitment.Kind.CAMPAIGN_STARTED: ("campaign", Campaign),
    Commitment.Kind.CAMPAIGN_ENDED: ("campaign", Campaign),
    Commitment.Kind.BUDGET_LINE: ("budget_line", BudgetLine),
    Commitment.Kind.ENDORSEMENT: ("endorsement", Endorsement),
    Commitment.Kind.PLATFORM_VERSION: ("platform_version", PlatformVersion),
}


@dataclass(frozen=True)
class CommitmentSpec:
    """What a decision commits: a kind of `Commitment.Kind` and the thing itself."""

    kind: str
    target: models.Model


@dataclass(frozen=True)
class TaskSpec:
    """Work a decision gives *owner*, due by *due_on*."""

    title: str
    owner: User | None
    due_on: datetime.date | None
    # Which row of a form it came from, so a refusal names the row the user filled in.
    row: int = 0


# Seats and meetings ------------------------------------------------------------------------


def set_seat_term(
    *,
    actor: Actor,
    seat: Seat,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> Seat:
    """Set when the current holder's term in *seat* began and ends."""
    access.require(actor, RECORD, seat)
    access.require_same_organization(actor, seat)
    if starts_on and ends_on and ends_on <= starts_on:
        raise InvalidInput(
            f"A term must end after it starts: {ends_on:%d %b %Y} is not after "
            f"{starts_on:%d %b %Y}.",
            field="ends_on",
        )
    with transaction.atomic():
        before = [str(seat.term_starts or ""), str(seat.term_ends or "")]
        seat.term_starts, seat.term_ends = starts_on, ends_on
        seat.save(update_fields=["term_starts", "term_ends"])
        audit.record(
            actor,
            "seat.term_set",
            seat,
            changes={"term": [before, [str(starts_on or ""), str(ends_on or "")]]},
        )
    return seat


def schedule_meeting(
    *,
    actor: Actor,
    body: GoverningBody,
    title: str,
    starts_at: datetime.datetime,
    location: str = "",
) -> Assembly:
    """Call a meeting of *body*: an assembly whose electorate is the body's seat holders, so
    its agenda, attendance, quorum, votes and minutes work as any assembly's do."""
    access.require(actor, RECORD, body)
    access.require_same_organization(actor, body)
    with transaction.atomic():
        meeting = democracy.create_assembly(
            actor=actor,
            title=title,
            starts_at=starts_at,
            electorate=_seat_holders(actor, body),
            quorum=democracy.QuorumRule(),
            location=location,
        )
        meeting.body = body
        meeting.save(update_fields=["body"])
        audit.record(actor, "meeting.scheduled", meeting, changes={"body": [None, body.name]})
    return meeting


def _seat_holders(actor: Actor, body: GoverningBody) -> Electorate:
    """The electorate "this body's seat holders", made the first time the body meets."""
    existing = access.scoped(
        actor,
        Electorate.objects.filter(kind=Electorate.Kind.GOVERNING_BODY, governing_body=body),
    ).first()
    return existing or democracy.create_electorate(
        actor=actor,
        name=f"{body.name}: seat holders",
        kind=Electorate.Kind.GOVERNING_BODY,
        governing_body=body,
    )


# The decision log --------------------------------------------------------------------------


def record_decision(
    *,
    actor: Actor,
    body: GoverningBody,
    title: str = "",
    text: str = "",
    outcome: str = Decision.Outcome.ADOPTED,
    decided_on: datetime.date | None = None,
    meeting: Assembly | None = None,
    vote: Vote | None = None,
    commitments: Sequence[CommitmentSpec] = (),
    tasks: Sequence[TaskSpec] = (),
) -> Decision:
    """Enter a decision of *body* in the log, with what it commits and the tasks it gives.

    A decision taken by ballot already exists once the vote's results are published: naming
    that *vote* files its decision under *body* (with *text*, if given) instead of making a
    second one. Everything is written together or not at all.
    """
    access.require(actor, RECORD, body)
    access.require_same_organization(actor, body, meeting, vote)
    if meeting is not None and meeting.body_id != body.pk:
        raise InvalidInput(f"{meeting} is not a meeting of {body}.", field="meeting")
    with transaction.atomic():
        if vote is not None:
            decision = _file_voted_decision(actor, body, vote, text)
        else:
            decision = _new_decision(actor, body, title, text, outcome, decided_on, meeting)
        audit.record(
            actor,
            "decision.logged",
            decision,
            changes={"body": [None, body.name], "title": [None, decision.title]},
        )
        for spec in commitments:
            add_commitment(actor=actor, decision=decision, kind=spec.kind, target=spec.target)
        for number, task in enumerate(tasks, start=1):
            _add_task(actor, decision, task, task.row or number)
    return decision


def _new_decision(
    actor: Actor,
    body: GoverningBody,
    title: str,
    text: str,
    outcome: str,
    decided_on: datetime.date | None,
    meeting: Assembly | None,
) -> Decision:
    if not title.strip():
        raise InvalidInput("Say what was decided, in a line.", field="title")
    if outcome not in HAND_OUTCOMES:
        raise InvalidInput(
            f"'{outcome}' is not an outcome a body records by hand; choose one of: "
            f"{', '.join(HAND_OUTCOMES)}.",
            field="outcome",
        )
    return Decision.objects.create(
        organization=actor.organization,
        body=body,
        title=title.strip(),
        text=text.strip(),
        outcome=outcome,
        assembly=meeting,
        decided_on=decided_on or timezone.localdate(),
    )


def _file_voted_decision(actor: Actor, body: GoverningBody, vote: Vote, text: str) -> Decision:
    decision = access.scoped(actor, Decision.objects.select_for_update().filter(vote=vote)).first()
    if decision is None:
        raise InvalidInput(
            f"'{vote}' has no decision yet: publish its results first, then file the "
            "decision they made.",
            field="vote",
        )
    if decision.body_id not in (None, body.pk):
        raise Conflict(f"The decision of '{vote}' is already filed under {decision.body}.")
    decision.body = body
    decision.text = text.strip() or decision.text
    decision.save(update_fields=["body", "text"])
    return decision


def add_commitment(
    *, actor: Actor, decision: Decision, kind: str, target: models.Model
) -> Commitment:
    """Record that *decision* commits the organization to *target* (a campaign, ...)."""
    access.require(actor, RECORD, decision)
    if kind not in TARGETS:
        raise InvalidInput(
            f"'{kind}' is not something a decision commits; choose one of: {', '.join(TARGETS)}.",
            field="kind",
        )
    field, model = TARGETS[kind]
    if not isinstance(target, model):
        raise InvalidInput(
            f"{Commitment.Kind(kind).label} needs a {model._meta.verbose_name}, not "
            f"{type(target)._meta.verbose_name} '{target}'.",
            field=field,
        )
    access.require_same_organization(actor, decision, target)  # type: ignore[arg-type]
    with transaction.atomic():
        lookup: dict[str, Any] = {"organization": actor.organization, "kind": kind, field: target}
        commitment, created = decision.commitments.get_or_create(**lookup)
        if created:
            audit.record(
                actor,
                "commitment.recorded",
                commitment,
                changes={"decision": [None, decision.title], kind: [None, str(target)]},
            )
    return commitment


# Tasks -------------------------------------------------------------------------------------


def add_task(
    *,
    actor: Actor,
    decision: Decision,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
) -> Task:
    """Give *owner* (a user of the organization) work from *decision*, due by *due_on*."""
    access.require(actor, RECORD, decision)
    access.require_same_organization(actor, decision)
    with transaction.atomic():
        return _add_task(actor, decision, TaskSpec(title=title, owner=owner, due_on=due_on))


def _add_task(actor: Actor, decision: Decision, spec: TaskSpec, number: int | None = None) -> Task:
    """*number* says which of a decision's several tasks a refusal is about: "Task 2: ...",
    at the form field task_2_<field>."""
    label, prefix = (f"Task {number}: ", f"task_{number}_") if number else ("", "")

    def refuse(problem: str, field: str) -> InvalidInput:
        message = label + problem
        return InvalidInput(message[0].upper() + message[1:], field=prefix + field)

    if not spec.title.strip():
        raise refuse("say what is to be done.", "title")
    if spec.owner is None:
        raise refuse(f"choose who will do '{spec.title}'.", "owner")
    if not access.scoped(actor, Membership.objects.filter(user=spec.owner)).exists():
        raise refuse(
            f"{spec.owner.email} holds no role in {actor.organization}; a task's owner must "
            "be one of its users.",
            "owner",
        )
    if spec.due_on is None:
        raise refuse(f"give a due date for '{spec.title}'.", "due_on")
    task = Task.objects.create(
        organization=actor.organization,
        decision=decision,
        title=spec.title.strip(),
        owner=spec.owner,
        due_on=spec.due_on,
    )
    audit.record(
        actor,
        "task.assigned",
        task,
        changes={
            "title": [None, task.title],
            "owner": [None, spec.owner.email],
            "due_on": [None, str(spec.due_on)],
        },
    )
    return task


def complete_task(*, actor: Actor, task: Task) -> Task:
    """Mark *task* done: by its owner, or by anyone who records the body's decisions."""
    access.require_same_organization(actor, task)
    if task.owner_id is None or actor.user is None or task.owner_id != actor.user.pk:
        access.require(actor, RECORD, task)
    with transaction.atomic():
        # Locked through its decision: the owner may be a role that reads no decisions.
        current = task.decision.tasks.select_for_update().get(pk=task.pk)
        if current.done_at is not None:
            return current
        current.done_at = timezone.now()
        current.done_by = actor.user
        current.save(update_fields=["done_at", "done_by"])
        audit.record(actor, "task.done", current, changes={"done": [False, True]})
    return current

"""The strategy-table objects the permission test's URLs point at: a strategy table with a
seat, a decision logged by it (no vote, so an affiliate lead sees none of it), and a task of
that decision given to Nutmeg's organizer.

Made straight in the tables, as democracy's are: every role's request builds this world.
"""

import datetime

from powerbase.core.models import Role
from powerbase.democracy.models import Decision, GoverningBody, Seat
from powerbase.strategy.models import Task


def world(*, nutmeg, users_by_role, maria, **_) -> dict:
    org = {"organization": nutmeg}
    body = GoverningBody.objects.create(
        **org, name="Strategy table", kind=GoverningBody.Kind.STRATEGY_TABLE
    )
    seat = Seat.objects.create(**org, body=body, title="Tenants' seat", holder=maria)
    decision = Decision.objects.create(
        **org, body=body, title="Launch Homes for All", outcome=Decision.Outcome.ADOPTED
    )
    task = Task.objects.create(
        **org,
        decision=decision,
        title="Book the hall",
        owner=users_by_role[Role.ORGANIZER],
        due_on=datetime.date(2026, 3, 1),
    )
    return {
        "body_id": body.pk,
        "seat_id": seat.pk,
        "decision_id": decision.pk,
        "task_id": task.pk,
    }

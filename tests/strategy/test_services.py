"""Recording a body's decisions: commitments and tasks go in together or not at all, a voted
decision is filed rather than made twice, and only those who run democracy record."""

import datetime

import pytest
from django.utils import timezone

from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.democracy.models import Decision
from powerbase.strategy import queries, services
from powerbase.strategy.models import Commitment, Task
from powerbase.strategy.services import CommitmentSpec, TaskSpec
from tests.conftest import act

DUE = datetime.date(2026, 4, 1)


def test_a_decision_records_its_body_text_commitments_and_tasks(
    staff, table, campaign, budget_line, organizer
):
    decision = services.record_decision(
        actor=staff,
        body=table,
        title="Launch Homes for All",
        text="The table launches Homes for All and funds two organizers.",
        decided_on=datetime.date(2026, 2, 10),
        commitments=[
            CommitmentSpec(Commitment.Kind.CAMPAIGN_STARTED, campaign),
            CommitmentSpec(Commitment.Kind.BUDGET_LINE, budget_line),
        ],
        tasks=[TaskSpec("Book the kickoff hall", organizer, DUE)],
    )
    assert decision.body == table
    assert decision.text.startswith("The table launches")
    assert decision.outcome == Decision.Outcome.ADOPTED
    assert {c.kind for c in decision.commitments.all()} == {"campaign_started", "budget_line"}
    task = decision.tasks.get()
    assert (task.owner, task.due_on) == (organizer, DUE)
    logged = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"decision.logged", "commitment.recorded", "task.assigned"} <= logged


def test_a_bad_task_row_writes_nothing_and_names_the_row(staff, table, campaign, organizer):
    with pytest.raises(InvalidInput, match="Task 2: give a due date") as refused:
        services.record_decision(
            actor=staff,
            body=table,
            title="Launch Homes for All",
            commitments=[CommitmentSpec(Commitment.Kind.CAMPAIGN_STARTED, campaign)],
            tasks=[
                TaskSpec("Book the hall", organizer, DUE, row=1),
                TaskSpec("Print flyers", organizer, None, row=2),
            ],
        )
    assert refused.value.field == "task_2_due_on"
    assert not Decision.objects.exists()
    assert not Commitment.objects.exists()
    assert not Task.objects.exists()


def test_a_task_goes_only_to_a_user_of_the_organization(staff, table, outsider):
    with pytest.raises(InvalidInput, match="holds no role in Nutmeg"):
        services.record_decision(
            actor=staff, body=table, title="Hire", tasks=[TaskSpec("Interview", outsider, DUE)]
        )


def test_a_commitment_must_be_the_kind_it_says(staff, table, budget_line):
    decision = services.record_decision(actor=staff, body=table, title="Fund it")
    with pytest.raises(InvalidInput, match="needs a campaign"):
        services.add_commitment(
            actor=staff, decision=decision, kind="campaign_started", target=budget_line
        )


def test_a_voted_decision_is_filed_under_the_body_not_made_twice(staff, table):

    decision = Decision.objects.create(
        organization=staff.organization, title="Endorse the rent bill", outcome="adopted"
    )
    vote = _published_vote(staff, decision)
    filed = services.record_decision(actor=staff, body=table, vote=vote, text="Full text.")
    assert filed.pk == decision.pk
    assert (filed.body, filed.text) == (table, "Full text.")
    assert Decision.objects.count() == 1
    other = services.record_decision(actor=staff, body=table, title="Something else")
    assert other.pk != decision.pk


def test_a_voted_decision_is_not_filed_under_two_bodies(staff, table):
    from powerbase.democracy import services as democracy

    council = democracy.create_body(actor=staff, name="Affiliate council")
    decision = Decision.objects.create(
        organization=staff.organization, title="Endorse", outcome="adopted", body=council
    )
    with pytest.raises(Conflict, match="already filed under Affiliate council"):
        services.record_decision(actor=staff, body=table, vote=_published_vote(staff, decision))


def _published_vote(staff, decision):
    from powerbase.democracy.models import Electorate, Vote

    electorate = Electorate.objects.create(
        organization=staff.organization, name="All", kind="members"
    )
    vote = Vote.objects.create(
        organization=staff.organization,
        title=decision.title,
        method="threshold",
        electorate=electorate,
        status=Vote.Status.PUBLISHED,
    )
    decision.vote = vote
    decision.save(update_fields=["vote"])
    return vote


@pytest.mark.parametrize("role", ["data", "affiliate_lead", "leader", "viewer"])
def test_only_those_who_run_democracy_record_decisions(users_by_role, nutmeg, table, role):
    with pytest.raises(PermissionDenied):
        services.record_decision(actor=act(users_by_role[role], nutmeg), body=table, title="Launch")


def test_the_owner_marks_their_task_done_whatever_their_role(staff, table, users_by_role, nutmeg):
    viewer = users_by_role["viewer"]
    decision = services.record_decision(
        actor=staff, body=table, title="Launch", tasks=[TaskSpec("Call the press", viewer, DUE)]
    )
    as_viewer = act(viewer, nutmeg)
    task = queries.task_to_complete(as_viewer, decision.tasks.get().pk)
    done = services.complete_task(actor=as_viewer, task=task)
    assert done.done_by == viewer and done.done_at is not None
    assert queries.my_tasks(as_viewer).open == []


def test_someone_elses_task_is_not_theirs_to_close(staff, table, users_by_role, nutmeg):
    decision = services.record_decision(
        actor=staff,
        body=table,
        title="Launch",
        tasks=[TaskSpec("Call the press", users_by_role["viewer"], DUE)],
    )
    with pytest.raises(PermissionDenied):
        services.complete_task(
            actor=act(users_by_role["leader"], nutmeg), task=decision.tasks.get()
        )


def test_a_seat_term_must_end_after_it_starts(staff, table):
    seat = table.seats.get()
    with pytest.raises(InvalidInput, match="must end after it starts"):
        services.set_seat_term(
            actor=staff,
            seat=seat,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2026, 1, 1),
        )
    services.set_seat_term(actor=staff, seat=seat, starts_on=datetime.date(2026, 1, 1), ends_on=DUE)
    seat.refresh_from_db()
    assert seat.term_starts == datetime.date(2026, 1, 1)


def test_a_meeting_of_the_body_is_an_assembly_of_its_seat_holders(staff, table, maria):
    meeting = services.schedule_meeting(
        actor=staff, body=table, title="March table", starts_at=timezone.now()
    )
    assert meeting.body == table
    assert meeting.electorate.governing_body == table
    again = services.schedule_meeting(
        actor=staff, body=table, title="April table", starts_at=timezone.now()
    )
    assert again.electorate == meeting.electorate

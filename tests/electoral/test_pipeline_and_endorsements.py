"""The candidate pipeline from the base, and endorsements decided by the members' vote."""

import datetime

import pytest

from powerbase.actions.ladder import levels
from powerbase.actions.models import Action, Attendance, LadderLevel, LadderMove
from powerbase.core.exceptions import Conflict
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Decision, Electorate
from powerbase.electoral import queries, services
from powerbase.electoral.models import EndorsementProcess, PipelineEntry
from tests.conftest import add_member
from tests.democracy.conftest import printed_codes


@pytest.fixture
def dana(nutmeg, teachers_union):
    return add_member(nutmeg, teachers_union, "Dana", "Whitfield")


def test_the_pipeline_keeps_every_stage_with_its_date(manager, dana):
    entry = services.add_to_pipeline(
        actor=manager,
        person=dana,
        target_office="State House District 94",
        on=datetime.date(2026, 1, 10),
    )
    services.move_in_pipeline(
        actor=manager,
        entry=entry,
        stage="recruited",
        on=datetime.date(2026, 3, 2),
        note="Said yes at her one-on-one",
    )
    services.move_in_pipeline(
        actor=manager, entry=entry, stage="trained", on=datetime.date(2026, 5, 20)
    )
    entry.refresh_from_db()
    assert entry.stage == PipelineEntry.Stage.TRAINED
    assert [(s.stage, s.on.isoformat()) for s in entry.steps.all()] == [
        ("identified", "2026-01-10"),
        ("recruited", "2026-03-02"),
        ("trained", "2026-05-20"),
    ]
    by_stage = dict((stage, people) for stage, _, people in queries.pipeline_by_stage(manager))
    assert by_stage["trained"] == [entry]


def test_a_person_enters_the_pipeline_once(manager, dana):
    services.add_to_pipeline(actor=manager, person=dana, target_office="Mayor")
    with pytest.raises(Conflict):
        services.add_to_pipeline(actor=manager, person=dana, target_office="Mayor")


def test_the_pipeline_shows_ladder_history_and_trainings(manager, nutmeg, dana):
    rungs = levels(nutmeg)
    LadderMove.objects.create(
        organization=nutmeg,
        person=dana,
        from_level=None,
        to_level=rungs[2],
        moved_on=datetime.date(2025, 9, 1),
    )
    evening = datetime.datetime(2026, 2, 1, 18, tzinfo=datetime.UTC)
    training = Action.objects.create(
        organization=nutmeg,
        title="Candidate school, session 1",
        kind=Action.Kind.TRAINING,
        starts_at=evening,
    )
    rally = Action.objects.create(
        organization=nutmeg, title="Rent rally", starts_at=evening + datetime.timedelta(days=4)
    )
    for action in (training, rally):
        Attendance.objects.create(organization=nutmeg, action=action, person=dana)
    entry = services.add_to_pipeline(actor=manager, person=dana, target_office="Mayor")
    grown = queries.development(manager, entry)
    assert [m.to_level.name for m in grown.ladder_moves] == [
        LadderLevel.objects.get(organization=nutmeg, rank=2).name
    ]
    assert [a.action.title for a in grown.trainings] == ["Candidate school, session 1"]
    assert [a.action.title for a in grown.other_actions] == ["Rent rally"]


@pytest.fixture
def everyone(nutmeg, organizer, maria, walter):
    from tests.conftest import act

    return democracy.create_electorate(
        actor=act(organizer, nutmeg), name="All members", kind=Electorate.Kind.MEMBERS
    )


def test_an_endorsement_goes_from_questionnaire_to_the_members_vote(manager, senate_10, everyone):
    reyes = senate_10.candidates.get(name="Jordan Reyes-Whitfield")
    okafor = senate_10.candidates.get(name="Pat Okafor-Lind")
    process = services.open_endorsement(
        actor=manager, race=senate_10, questions=["Will you vote for statewide rent stabilization?"]
    )
    question = services.add_question(
        actor=manager,
        process=process,
        text="Will you fund fare-free buses?",
        demand="Transit: fare-free buses by 2029",
    )
    services.record_response(actor=manager, question=question, candidate=reyes, answer="Yes.")
    services.record_response(
        actor=manager, question=question, candidate=okafor, answer="It depends on the budget."
    )
    services.record_interview(
        actor=manager,
        process=process,
        candidate=reyes,
        notes="Rents with her kids in Fair Haven; came up through the union.",
    )
    services.recommend(
        actor=manager, process=process, candidate=reyes, reasons="Answered yes to every demand."
    )
    services.put_endorsement_to_vote(
        actor=manager, process=process, electorate=everyone, required="majority", share_of="cast"
    )
    process.refresh_from_db()
    assert process.stage == EndorsementProcess.Stage.VOTING
    vote = process.endorsement_vote.vote
    with pytest.raises(Conflict):
        services.record_pledges(actor=manager, process=process, pledges="Too early")
    codes = printed_codes(manager, vote)
    democracy.cast_ballot(code=codes["maría"], marks=[["yes"]])
    democracy.cast_ballot(code=codes["walter"], marks=[["yes"]])
    democracy.close_vote(actor=manager, vote=vote)
    democracy.count_vote(actor=manager, vote=vote)
    decision = democracy.publish_results(actor=manager, vote=vote)
    assert decision.outcome == Decision.Outcome.ENDORSED
    found = queries.endorsement_process(manager, process.pk)
    assert found.stage == EndorsementProcess.Stage.ENDORSED
    services.record_pledges(
        actor=manager,
        process=found,
        pledges="Vote yes on rent stabilization; hold a town hall yearly.",
    )
    assert found.pledges.startswith("Vote yes")


def test_only_a_candidate_of_the_race_can_be_recommended(manager, senate_10, primary_2024):
    other = services.create_race(actor=manager, election=primary_2024, office="Mayor")
    outsider = services.add_candidate(actor=manager, race=other, name="Someone Else")
    process = services.open_endorsement(actor=manager, race=senate_10)
    with pytest.raises(Exception, match="not a candidate in State Senate District 10"):
        services.recommend(actor=manager, process=process, candidate=outsider, reasons="")

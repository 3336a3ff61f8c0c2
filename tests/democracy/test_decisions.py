"""Assemblies with quorum, proposals from draft to decision, and endorsement votes: each
decision linked to the vote and the count that made it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from powerbase.core.exceptions import Conflict
from powerbase.democracy import electorates, services
from powerbase.democracy.models import Amendment, Decision, Electorate, Proposal
from tests.democracy.conftest import printed_slips, voter_codes


@pytest.fixture
def assembly(manager, delegate_electorate):
    """A delegates' assembly: half the delegates and two affiliates make quorum."""
    return services.create_assembly(
        actor=manager,
        title="Spring delegates assembly",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(percent=Decimal(50), min_affiliates=2),
    )


def test_quorum_counts_the_electorate_present(manager, assembly, base):
    assert electorates.quorum(assembly).sentence() == (
        "Quorum: 0 of 4 present, 2 needed; 0 affiliates represented, 2 needed. Not met."
    )
    services.check_in(actor=manager, assembly=assembly, person=base["ana"])
    services.check_in(actor=manager, assembly=assembly, person=base["bo"])
    services.check_in(actor=manager, assembly=assembly, person=base["gus"], guest=True)
    quorum = electorates.quorum(assembly)
    assert (quorum.present, quorum.affiliates_present, quorum.met) == (2, 1, False)
    services.check_in(actor=manager, assembly=assembly, person=base["dana"])
    assert electorates.quorum(assembly).met


def test_checking_in_twice_counts_once(manager, assembly, base):
    for _ in range(2):
        services.check_in(actor=manager, assembly=assembly, person=base["ana"])
    assert assembly.attendances.count() == 1


def test_a_quorum_by_count_and_share_takes_the_stricter(manager, delegate_electorate):
    assembly = services.create_assembly(
        actor=manager,
        title="Council",
        starts_at=timezone.now(),
        electorate=delegate_electorate,
        quorum=services.QuorumRule(count=3, percent=Decimal("25")),
    )
    assert electorates.quorum(assembly).required == 3


def test_a_proposal_goes_from_draft_to_a_decision_linked_to_its_vote_and_count(
    manager, assembly, delegate_electorate, base
):
    proposal = services.create_proposal(
        actor=manager, title="2027 People's Platform", text="Homes for all.", assembly=assembly
    )
    services.move_proposal(actor=manager, proposal=proposal, status="deliberation")
    services.add_comment(actor=manager, proposal=proposal, body="Add public schools.")
    schools = services.move_amendment(
        actor=manager, proposal=proposal, summary="Schools", text="Homes and schools for all."
    )
    lapses = services.move_amendment(
        actor=manager, proposal=proposal, summary="Transit", text="Homes and buses for all."
    )
    services.decide_amendment(actor=manager, amendment=schools, accept=True)
    proposal.refresh_from_db()
    assert proposal.text == "Homes and schools for all."

    vote = services.put_to_vote(
        actor=manager, proposal=proposal, electorate=delegate_electorate, required="two-thirds"
    )
    lapses.refresh_from_db()
    assert lapses.status == Amendment.Status.REJECTED  # pending amendments lapse at the vote
    assert vote.question == "Homes and schools for all." and vote.assembly == assembly

    with pytest.raises(Conflict, match="does not have quorum"):
        services.open_vote(actor=manager, vote=vote)
    for name in ["ana", "bo", "dana"]:
        services.check_in(actor=manager, assembly=assembly, person=base[name])
    services.open_vote(actor=manager, vote=vote)
    slips = printed_slips(manager, vote)
    vote.refresh_from_db()
    assert vote.quorum_record["met"] and vote.quorum_record["present"] == 3
    for code, answer in zip(slips, ["yes", "yes", "no"], strict=True):
        services.cast_ballot(code=code, marks=[[answer]])
    services.close_vote(actor=manager, vote=vote)
    result = services.count_vote(actor=manager, vote=vote)
    decision = services.publish_results(actor=manager, vote=vote)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECIDED
    assert (
        decision.outcome,
        decision.vote,
        decision.result,
        decision.proposal,
        decision.assembly,
    ) == (Decision.Outcome.ADOPTED, vote, result, proposal, assembly)
    assert decision.summary.startswith("The question passed: 2 yes of 3")


def test_comments_wait_for_deliberation_and_stop_at_the_vote(manager, members):
    proposal = services.create_proposal(actor=manager, title="Budget", text="Spend wisely.")
    with pytest.raises(Conflict, match="in deliberation"):
        services.add_comment(actor=manager, proposal=proposal, body="Too soon")
    services.move_proposal(actor=manager, proposal=proposal, status="deliberation")
    services.put_to_vote(actor=manager, proposal=proposal, electorate=members)
    with pytest.raises(Conflict, match="in deliberation"):
        services.add_comment(actor=manager, proposal=proposal, body="Too late")


def test_a_weighted_endorsement_short_of_60_percent_is_recorded_as_not_endorsed(
    manager, delegates, tenant_union, teachers_union
):
    blocs = services.create_electorate(
        actor=manager, name="Blocs", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    services.weights_from_membership(actor=manager, electorate=blocs)  # tenants 4, teachers 3
    endorsement = services.create_endorsement_vote(
        actor=manager,
        endorsee="Rosa Delgado",
        office="State Senate, District 10",
        electorate=blocs,
        required="60%",
        share_of="electorate",
    )
    codes = voter_codes(manager, endorsement.vote)
    services.cast_ballot(code=codes[tenant_union.name], marks=[["yes"]])  # 4 of 7: 57%
    services.close_vote(actor=manager, vote=endorsement.vote)
    services.count_vote(actor=manager, vote=endorsement.vote)
    decision = services.publish_results(actor=manager, vote=endorsement.vote)
    endorsement.refresh_from_db()
    assert endorsement.passed is False and endorsement.decision == decision
    assert decision.outcome == Decision.Outcome.NOT_ENDORSED
    assert "needed at least 60%" in decision.summary


def test_a_decision_taken_without_a_ballot_is_recorded_with_its_assembly(manager, assembly):
    decision = services.record_decision(
        actor=manager, assembly=assembly, title="Adopt the agenda", outcome="adopted"
    )
    assert list(assembly.decisions.all()) == [decision] and decision.vote is None


def test_an_adjourned_assemblys_attendance_cannot_change(manager, assembly, base):
    services.set_assembly_status(actor=manager, assembly=assembly, status="adjourned")
    with pytest.raises(Conflict, match="adjourned"):
        services.check_in(actor=manager, assembly=assembly, person=base["ana"])

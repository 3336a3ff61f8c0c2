"""The demo's democracy: a five-seat STV election of twelve, a weighted endorsement, a platform
decided at an assembly with quorum, and a vote left open to try."""

from powerbase.democracy.models import Decision, Proposal, Seat, Vote
from tests.test_demo import load


def test_the_demo_runs_its_votes_through_to_published_decisions(db, monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")
    job = load()
    assert job.status == "succeeded", job.error
    steering = Vote.objects.get(title="Steering Committee election 2027")
    assert (steering.method, steering.seats, steering.candidates.count()) == ("stv", 5, 12)
    assert len(steering.result.winners) == 5 and len(steering.result.record["rounds"]) > 1
    assert Seat.objects.filter(body__name="Steering Committee", holder__isnull=False).count() == 5

    endorsement = Vote.objects.get(endorsement__isnull=False)
    assert endorsement.electorate.kind == "affiliate_blocs"
    assert endorsement.eligibilities.values("weight").distinct().count() > 1
    assert endorsement.decision.outcome == "endorsed"

    platform = Proposal.objects.get(title="2027 People's Platform")
    vote = platform.votes.get()
    assert platform.status == Proposal.Status.DECIDED and vote.quorum_record["met"]
    decision = Decision.objects.get(proposal=platform)
    assert decision.assembly == vote.assembly and decision.outcome == "adopted"

    assert Vote.objects.get(title="Name the fall campaign").status == "open"

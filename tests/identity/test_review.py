"""Review decisions: accepting merges or links, rejecting remembers, and neither twice."""

import pytest

from powerbase.core.exceptions import Conflict, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.identity import services
from powerbase.identity.models import CandidatePair, IdentityRun, Merge, VoterLink
from tests.identity.conftest import run_job


@pytest.fixture
def dedupe_run(base, data_director):
    return IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))


@pytest.fixture
def waiting(dedupe_run):
    return dedupe_run.pairs.get(status=CandidatePair.Status.PENDING)


def test_accepting_a_pair_of_people_merges_them(waiting, base, data_director):
    services.accept_pair(actor=data_director, pair=waiting)
    waiting.refresh_from_db()
    assert waiting.status == CandidatePair.Status.ACCEPTED
    assert waiting.decided_by == data_director.user
    assert waiting.merge.method == Merge.Method.REVIEWED
    base["william"].refresh_from_db()
    assert base["william"].merged_into == base["bill"]
    assert AuditEntry.objects.filter(
        action="identity_pair.accepted", object_id=str(waiting.pk)
    ).exists()


def test_undoing_the_merge_puts_the_pair_back_in_the_queue(waiting, data_director):
    services.accept_pair(actor=data_director, pair=waiting)
    waiting.refresh_from_db()
    services.undo_merge(actor=data_director, merge=waiting.merge)
    waiting.refresh_from_db()
    assert waiting.status == CandidatePair.Status.PENDING and waiting.merge is None


def test_rejecting_a_pair_changes_no_one(waiting, base, data_director):
    services.reject_pair(actor=data_director, pair=waiting)
    waiting.refresh_from_db()
    assert waiting.status == CandidatePair.Status.REJECTED
    base["william"].refresh_from_db()
    assert base["william"].merged_into is None
    assert AuditEntry.objects.filter(action="identity_pair.rejected").exists()


def test_a_pair_is_decided_once(waiting, data_director):
    services.reject_pair(actor=data_director, pair=waiting)
    with pytest.raises(Conflict, match="decided already"):
        services.accept_pair(actor=data_director, pair=waiting)


def test_an_organizer_may_not_review(waiting, organizer_actor):
    with pytest.raises(PermissionDenied):
        services.accept_pair(actor=organizer_actor, pair=waiting)


def test_accepting_a_voter_pair_links_the_person(town, base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    services.unlink_voter(actor=data_director, person=base["bill"])
    pair = run.pairs.get(left=base["william"])
    services.accept_pair(actor=data_director, pair=pair)
    link = VoterLink.objects.get(person=base["william"])
    assert link.voter_id == "CT000002" and link.method == VoterLink.Method.REVIEWED
    assert link.match_probability == pytest.approx(pair.probability)


def test_accepting_a_voter_already_linked_to_someone_else_says_to_merge(town, base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    pair = run.pairs.get(left=base["william"])
    with pytest.raises(Conflict, match="merge the two people first"):
        services.accept_pair(actor=data_director, pair=pair)
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.PENDING


def test_a_link_undone_by_a_reviewer_is_not_made_again(town, base, data_director):
    run_job(services.start_link(actor=data_director))
    services.unlink_voter(actor=data_director, person=base["rosalind"])
    again = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    assert not VoterLink.objects.filter(person=base["rosalind"]).exists()
    assert not again.pairs.filter(left=base["rosalind"]).exists()


def test_a_voter_pair_can_be_settled_by_merging_with_the_voters_person(town, base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    pair = run.pairs.get(left=base["william"])
    assert services.voters_person(data_director, pair) == base["bill"]
    services.merge_with_voters_person(actor=data_director, pair=pair)
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.ACCEPTED
    assert pair.merge.survivor == base["bill"] and pair.merge.merged == base["william"]
    assert VoterLink.objects.get(voter_id="CT000002").person == base["bill"]

"""The two matching jobs: dedupe the base, link it to the voter file; bands decide what
happens to each pair."""

import pytest
from django.db import transaction

from powerbase.core import access
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry, Job
from powerbase.identity import services
from powerbase.identity.models import CandidatePair, IdentityRun, Merge, VoterLink
from powerbase.voterfile import services as voterfile_services
from tests.identity.conftest import FIXTURES, TOWN_FILES, run_job


def pair_between(run, first, second=None, voter_id=""):
    pairs = run.pairs.all()
    if second is not None:
        return pairs.get(left_id=min(first.pk, second.pk), right_id=max(first.pk, second.pk))
    return pairs.get(left=first, voter_id=voter_id)


def test_dedupe_merges_the_sure_pair_and_queues_the_likely_one(base, data_director):
    job = run_job(services.start_dedupe(actor=data_director))
    assert job.status == Job.Status.SUCCEEDED, job.error
    run = IdentityRun.objects.get(job=job)
    assert run.kind == IdentityRun.Kind.DEDUPE and run.people_count == 7
    maria, again = base["maria"], base["maria_again"]
    sure = pair_between(run, maria, again)
    assert sure.band == CandidatePair.Band.AUTO_ACCEPT
    assert sure.status == CandidatePair.Status.AUTO_ACCEPTED
    assert sure.merge.method == Merge.Method.AUTOMATIC and sure.merge.survivor == maria
    again.refresh_from_db()
    assert again.merged_into == maria
    likely = pair_between(run, base["bill"], base["william"])
    assert likely.band == CandidatePair.Band.REVIEW
    assert likely.status == CandidatePair.Status.PENDING
    assert job.result["merged without review"] == 1 and job.result["waiting for review"] == 1


def test_a_shared_family_email_and_phone_are_not_enough(base, data_director):
    run_job(services.start_dedupe(actor=data_director))
    walter, theo = base["walter"], base["theo"]
    assert not CandidatePair.objects.filter(left__in=[walter, theo], right__in=[walter, theo])


def test_each_pair_says_what_agrees_and_what_differs(base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))
    likely = pair_between(run, base["bill"], base["william"])
    agreeing = {field["title"]: field["level"] for field in likely.agreeing()}
    assert agreeing["First name"] == "nickname (e.g. Bill and William)"
    assert agreeing["Date of birth"] == "same"
    assert likely.left_record["first_name"] == "Bill"
    assert likely.right_record["first_name"] == "William"


def test_link_links_the_sure_matches_and_audits_each_link(town, base, data_director):
    job = run_job(services.start_link(actor=data_director))
    assert job.status == Job.Status.SUCCEEDED, job.error
    run = IdentityRun.objects.get(job=job)
    assert run.voter_count == 400 and run.voter_file_version is not None
    links = dict(VoterLink.objects.values_list("person__given_name", "voter_id"))
    assert links == {
        "María": "CT000001",
        "Bill": "CT000002",
        "Rosalind": "CT000003",
        "Walter": "CT000004",
    }
    assert set(VoterLink.objects.values_list("method", flat=True)) == {"automatic"}
    assert AuditEntry.objects.filter(action="voter_link.created").count() == 4
    # Theo shares his father's email and phone; that does not make him his father's voter.
    assert not run.pairs.filter(left=base["theo"]).exists()


def test_two_people_matching_one_voter_wait_for_review(town, base, data_director):
    run = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    second = pair_between(run, base["william"], voter_id="CT000002")
    assert second.status == CandidatePair.Status.PENDING
    assert second.band == CandidatePair.Band.REVIEW
    assert f"linked to person #{base['bill'].pk} by this run" in second.note


def test_a_person_two_voters_match_equally_well_is_linked_to_neither(
    nutmeg, base, data_director, tmp_path
):
    # The county registered Rosalind twice: no evidence can say which record is hers, so
    # linking the first would be a guess.
    voters = (FIXTURES / TOWN_FILES[0]).read_text()
    hers = next(line for line in voters.splitlines() if line.startswith("CT000003,"))
    twice = tmp_path / "town_voters.csv"
    twice.write_text(voters.rstrip("\n") + "\n" + hers.replace("CT000003", "CT000401") + "\n")
    with transaction.atomic():
        imported = voterfile_services.start_import(
            actor=access.command_line(nutmeg),
            paths=[twice, FIXTURES / TOWN_FILES[1]],
            layout="generic",
        )
    assert run_job(imported).status == Job.Status.SUCCEEDED
    run = IdentityRun.objects.get(job=run_job(services.start_link(actor=data_director)))
    pairs = run.pairs.filter(left=base["rosalind"])
    assert {pair.voter_id for pair in pairs} == {"CT000003", "CT000401"}
    assert not VoterLink.objects.filter(person=base["rosalind"]).exists()
    for pair in pairs:
        assert (pair.band, pair.status) == (CandidatePair.Band.REVIEW, CandidatePair.Status.PENDING)
        assert "2 voters match this person equally well" in pair.note
    # The others are linked as before.
    assert VoterLink.objects.filter(voter_id="CT000002", person=base["bill"]).exists()


def test_a_second_link_run_compares_only_people_not_linked_yet(town, base, data_director):
    run_job(services.start_link(actor=data_director))
    job = run_job(services.start_link(actor=data_director))
    run = IdentityRun.objects.get(job=job)
    assert run.people_count == 3  # María's second record, William and Theo


def test_a_rejected_pair_is_not_asked_about_again(base, data_director):
    first = IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))
    services.reject_pair(
        actor=data_director, pair=pair_between(first, base["bill"], base["william"])
    )
    second = IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))
    assert not second.pairs.filter(left__in=[base["bill"], base["william"]]).exists()
    assert second.skipped_count == 1


def test_a_new_run_replaces_the_pairs_still_waiting(base, data_director):
    first = IdentityRun.objects.get(job=run_job(services.start_dedupe(actor=data_director)))
    run_job(services.start_dedupe(actor=data_director))
    waiting = pair_between(first, base["bill"], base["william"])
    assert waiting.status == CandidatePair.Status.SUPERSEDED
    assert CandidatePair.objects.filter(status=CandidatePair.Status.PENDING).count() == 1


def test_linking_needs_a_voter_file(base, data_director):
    with pytest.raises(InvalidInput, match="no voter file"):
        services.start_link(actor=data_director)


def test_only_roles_that_may_run_matching_start_it(base, organizer_actor):
    with pytest.raises(PermissionDenied):
        services.start_dedupe(actor=organizer_actor)


def test_one_matching_job_at_a_time(base, data_director):
    services.start_dedupe(actor=data_director)
    with pytest.raises(Conflict, match="already"):
        services.start_dedupe(actor=data_director)


def test_running_a_finished_job_again_changes_nothing(base, data_director):
    job = run_job(services.start_dedupe(actor=data_director))
    from powerbase.core.jobs import Progress
    from powerbase.identity.runs import run_dedupe

    again = run_dedupe(job, Progress(job))
    assert again == job.result
    assert IdentityRun.objects.count() == 1 and Merge.objects.count() == 1

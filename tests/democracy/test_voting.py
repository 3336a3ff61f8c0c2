"""Casting ballots online: one-time codes, one ballot per voter, a frozen setup and roll."""

import re

import pytest
from django.core import mail

from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.democracy import services
from powerbase.democracy.models import CastBallot, Eligibility, Participation, VotingCode
from powerbase.people.models import Person
from tests.conftest import add_member
from tests.democracy.conftest import voter_codes


def test_a_voter_casts_one_ballot_and_gets_a_receipt(manager, election):
    codes = voter_codes(manager, election)
    receipt = services.cast_ballot(code=codes["ana"], marks=[["Fair Share"], ["Our Towns"]])
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", receipt.code)
    assert receipt.marks == [["Fair Share"], ["Our Towns"]]
    ballot = CastBallot.objects.get(vote=election)
    assert ballot.marks == [["Fair Share"], ["Our Towns"]]
    assert ballot.receipt == receipt.code.replace("-", "")
    assert Participation.objects.get(vote=election).eligibility.person.given_name == "Ana"


def test_a_second_ballot_with_the_same_code_is_refused(manager, election):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Fair Share"]])
    with pytest.raises(Conflict, match="already voted"):
        services.cast_ballot(code=codes["ana"], marks=[["Our Towns"]])
    assert CastBallot.objects.filter(vote=election).count() == 1


def test_voting_links_go_to_voters_we_may_email_and_the_rest_are_counted(
    manager, election, base, django_capture_on_commit_callbacks, run_jobs
):
    Person.objects.filter(pk=base["bo"].pk).update(status=Person.Status.DO_NOT_CONTACT)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.send_voting_links(
            actor=manager,
            vote=services.open_vote(actor=manager, vote=election),
            base_url="http://testserver",
        )
    run_jobs()
    job.refresh_from_db()
    # Eight in good standing; Bo asked not to be contacted, María's email is fine.
    assert job.result == {"sent": 7, "without_email": 1}
    assert "bo@tenants.example" not in [m.to[0] for m in mail.outbox]
    # Running it again sends nobody a second link.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_voting_links(
            actor=manager, vote=election, base_url="http://testserver"
        )
    run_jobs()
    again.refresh_from_db()
    assert again.result == {"sent": 0, "without_email": 1}


def test_codes_are_stored_only_as_keyed_hashes(manager, election):
    codes = voter_codes(manager, election)
    stored = list(VotingCode.objects.values_list("digest", flat=True))
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in stored)
    assert not any(code.replace("-", "") in digest for code in codes.values() for digest in stored)


def test_voting_stops_when_the_vote_closes(manager, election):
    codes = voter_codes(manager, election)
    services.close_vote(actor=manager, vote=election)
    with pytest.raises(Conflict, match="not open"):
        services.cast_ballot(code=codes["ana"], marks=[["Fair Share"]])


def test_an_online_ballot_may_not_rank_a_candidate_twice(manager, election):
    codes = voter_codes(manager, election)
    with pytest.raises(InvalidInput, match="same candidate twice"):
        services.cast_ballot(code=codes["ana"], marks=[["Fair Share"], ["Fair Share"]])
    with pytest.raises(InvalidInput, match="not a choice"):
        services.cast_ballot(code=codes["ana"], marks=[["Somebody Else"]])
    assert not Participation.objects.exists()


def test_blank_ranks_on_an_online_ballot_are_closed_up(manager, election):
    codes = voter_codes(manager, election)
    receipt = services.cast_ballot(code=codes["ana"], marks=[["Our Towns"], [], ["Fair Share"]])
    assert receipt.marks == [["Our Towns"], ["Fair Share"]]


def test_the_setup_cannot_change_once_voting_opens(manager, election):
    services.open_vote(actor=manager, vote=election)
    with pytest.raises(Conflict, match="cannot change once voting has opened"):
        services.update_vote(actor=manager, vote=election, changes={"seats": 2})
    with pytest.raises(Conflict):
        services.add_candidate(actor=manager, vote=election, name="Late Entry")
    with pytest.raises(Conflict):
        services.remove_candidate(actor=manager, candidate=election.candidates.first())
    election.refresh_from_db()
    assert election.seats == 1 and election.candidates.count() == 3


def test_the_voter_roll_is_frozen_when_voting_opens(manager, election, base, nutmeg, tenant_union):
    services.open_vote(actor=manager, vote=election)
    newcomer = add_member(nutmeg, tenant_union, "Nia", "Newcomer")
    base["ana"].affiliate_memberships.update(status="lapsed")
    roll = set(Eligibility.objects.filter(vote=election).values_list("person_id", flat=True))
    assert newcomer.pk not in roll
    assert base["ana"].pk in roll  # she was in good standing when voting opened


def test_a_change_behind_the_services_back_stops_the_count(manager, election):
    codes = voter_codes(manager, election)
    services.cast_ballot(code=codes["ana"], marks=[["Fair Share"]])
    services.close_vote(actor=manager, vote=election)
    election.candidates.filter(name="Our Towns").update(name="Our Cities")
    with pytest.raises(Conflict, match="fingerprint no longer matches"):
        services.count_vote(actor=manager, vote=election)


def test_a_vote_needs_enough_candidates_to_open(manager, members):
    vote = services.create_vote(
        actor=manager, title="Steering committee", method="stv", seats=3, electorate=members
    )
    for name in ["Ana Reyes", "Bo Lindgren", "Cyrus Oyelaran"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    with pytest.raises(InvalidInput, match="3 candidates for 3 seats"):
        services.open_vote(actor=manager, vote=vote)


def test_a_candidate_name_that_a_ballot_file_could_not_hold_is_refused(manager, election):
    for bad in ["Ana|Bo", "overvote", "Yes", "  "]:
        with pytest.raises(InvalidInput):
            services.add_candidate(actor=manager, vote=election, name=bad)


def test_counting_and_publishing_records_the_decision(manager, election):
    codes = voter_codes(manager, election)
    for name, marks in [
        ("ana", [["Fair Share"]]),
        ("bo", [["Fair Share"]]),
        ("cyrus", [["Our Towns"], ["Fair Share"]]),
        ("dana", [["Homes for All"]]),
    ]:
        services.cast_ballot(code=codes[name], marks=marks)
    services.close_vote(actor=manager, vote=election)
    result = services.count_vote(actor=manager, vote=election)
    assert result.winners == ["Fair Share"]
    decision = services.publish_results(actor=manager, vote=election)
    assert decision.vote == election and decision.result == result
    assert decision.outcome == "elected" and decision.summary == "Elected: Fair Share."


def test_rules_the_count_would_refuse_are_refused_while_the_vote_is_set_up(manager, members):
    with pytest.raises(InvalidInput, match="Instant runoff fills one seat, not 3"):
        services.create_vote(
            actor=manager, title="Board", method="irv", seats=3, electorate=members
        )
    with pytest.raises(InvalidInput, match="not a vote requirement"):
        services.create_vote(
            actor=manager,
            title="Budget",
            method="threshold",
            electorate=members,
            options={"required": "most"},
        )

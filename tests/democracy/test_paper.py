"""Paper ballots at an in-person assembly: handed out against the roll, entered by two
tellers whose readings must match before a sheet counts."""

import pytest

from powerbase.core.exceptions import Conflict
from powerbase.core.models import Role
from powerbase.democracy import services
from powerbase.democracy.models import CastBallot, Eligibility
from tests.conftest import act, make_user
from tests.democracy.conftest import voter_codes


@pytest.fixture
def second_teller(nutmeg):
    return act(make_user(nutmeg, Role.ORGANIZER, email="teller@nutmeg.example"), nutmeg)


@pytest.fixture
def paper_vote(manager, election, base):
    """The election opened, with paper ballots handed to Ana and Bo."""
    opened = services.open_vote(actor=manager, vote=election)
    for name in ["ana", "bo"]:
        services.hand_out_paper_ballot(
            actor=manager,
            vote=opened,
            eligibility=Eligibility.objects.get(vote=opened, person=base[name]),
        )
    return opened


def test_a_sheet_counts_once_two_tellers_enter_it_alike(manager, second_teller, paper_vote):
    marks = [["Our Towns"], ["Fair Share"]]
    first = services.enter_paper_ballot(actor=manager, vote=paper_vote, sheet=1, marks=marks)
    assert first.status == "waiting" and not CastBallot.objects.exists()
    second = services.enter_paper_ballot(actor=second_teller, vote=paper_vote, sheet=1, marks=marks)
    assert second.status == "confirmed"
    ballot = CastBallot.objects.get()
    assert ballot.marks == marks and ballot.channel == "paper" and ballot.receipt is None


def test_one_teller_entering_a_sheet_twice_does_not_confirm_it(manager, paper_vote):
    for _ in range(2):
        outcome = services.enter_paper_ballot(
            actor=manager, vote=paper_vote, sheet=1, marks=[["Our Towns"]]
        )
    assert outcome.status == "waiting" and not CastBallot.objects.exists()


def test_readings_that_differ_wait_until_a_teller_corrects_theirs(
    manager, second_teller, paper_vote
):
    services.enter_paper_ballot(actor=manager, vote=paper_vote, sheet=1, marks=[["Our Towns"]])
    differs = services.enter_paper_ballot(
        actor=second_teller, vote=paper_vote, sheet=1, marks=[["Fair Share"]]
    )
    assert differs.status == "differs" and not CastBallot.objects.exists()
    corrected = services.enter_paper_ballot(
        actor=second_teller, vote=paper_vote, sheet=1, marks=[["Our Towns"]]
    )
    assert corrected.status == "confirmed"


def test_a_paper_ballot_keeps_overvotes_and_skipped_ranks_as_marked(
    manager, second_teller, paper_vote
):
    marks = [["overvote"], [], ["Fair Share"]]
    services.enter_paper_ballot(actor=manager, vote=paper_vote, sheet=1, marks=marks)
    services.enter_paper_ballot(actor=second_teller, vote=paper_vote, sheet=1, marks=marks)
    assert CastBallot.objects.get().marks == marks


def test_more_sheets_than_paper_ballots_handed_out_are_refused(manager, second_teller, paper_vote):
    for sheet in (1, 2):
        for teller in (manager, second_teller):
            services.enter_paper_ballot(
                actor=teller, vote=paper_vote, sheet=sheet, marks=[["Our Towns"]]
            )
    services.enter_paper_ballot(actor=manager, vote=paper_vote, sheet=3, marks=[["Our Towns"]])
    with pytest.raises(Conflict, match="one too many"):
        services.enter_paper_ballot(
            actor=second_teller, vote=paper_vote, sheet=3, marks=[["Our Towns"]]
        )


def test_a_voter_who_took_a_paper_ballot_cannot_also_vote_online(manager, paper_vote):
    codes = voter_codes(manager, paper_vote)
    assert "ana" not in codes  # no link is made for someone who has voted
    right = Eligibility.objects.get(vote=paper_vote, person__given_name="Ana")
    code = services.mint_link(paper_vote, right)
    with pytest.raises(Conflict, match="already voted"):
        services.cast_ballot(code=code, marks=[["Our Towns"]])


def test_the_count_waits_for_sheets_a_second_teller_has_not_entered(manager, paper_vote):
    codes = voter_codes(manager, paper_vote)
    services.cast_ballot(code=codes["cyrus"], marks=[["Our Towns"]])
    services.enter_paper_ballot(actor=manager, vote=paper_vote, sheet=1, marks=[["Our Towns"]])
    services.close_vote(actor=manager, vote=paper_vote)
    with pytest.raises(Conflict, match="1 paper sheet still wait"):
        services.count_vote(actor=manager, vote=paper_vote)


def test_paper_and_online_ballots_are_counted_together(manager, second_teller, paper_vote):
    codes = voter_codes(manager, paper_vote)
    services.cast_ballot(code=codes["cyrus"], marks=[["Fair Share"]])
    services.close_vote(actor=manager, vote=paper_vote)  # tellers enter after voting closes
    for sheet in (1, 2):
        for teller in (manager, second_teller):
            services.enter_paper_ballot(
                actor=teller, vote=paper_vote, sheet=sheet, marks=[["Our Towns"]]
            )
    result = services.count_vote(actor=manager, vote=paper_vote)
    assert result.record["ballots"] == 3 and result.winners == ["Our Towns"]

"""Plurality, approval and score voting: one round, most votes win, ties broken by the rules."""

from decimal import Decimal

import pytest

from powerbase.democracy.tabulation import (
    Ballot,
    Rules,
    TabulationError,
    approval,
    plurality,
    score,
)
from tests.democracy.tabulation.ballot_notation import ballots


def test_plurality_counts_first_choices_and_sets_aside_overvotes_and_blanks():
    result = plurality(ballots("3: A > B", "2: B", "1: A|B", "1:", "1: _ > B"))
    # "_ > B" has B as its first marked choice.
    assert result.to_dict()["rounds"][0]["tally"] == {"A": "3", "B": "3"}
    assert result.rounds[0].inactive["overvote"] == 1
    assert result.rounds[0].inactive["undervote"] == 1


def test_plurality_breaks_a_tie_for_the_last_seat_by_candidate_order():
    result = plurality(ballots("3: A", "2: B", "2: C"), Rules(seats=2, candidates=("A", "C", "B")))
    assert result.winners == ["A", "C"]
    assert result.rounds[0].tiebreaks[0].tied == ["B", "C"]


def test_plurality_for_an_excluded_candidate_counts_for_nobody():
    result = plurality(ballots("3: A", "4: B"), Rules(excluded=("B",)))
    assert result.winners == ["A"]
    assert result.rounds[0].inactive["exhausted_choices"] == 4


def test_approval_counts_every_marked_candidate_once_per_ballot():
    result = approval(ballots("3: A > B", "2: B|C", "1: C > C", "1:"))
    # A 3; B 3 + 2 = 5; C 2 + 1 (marked twice, counted once) = 3.
    assert result.to_dict()["rounds"][0]["tally"] == {"A": "3", "B": "5", "C": "3"}
    assert result.winners == ["B"]
    assert result.rounds[0].inactive["undervote"] == 1


def test_approval_elects_the_top_candidates_for_several_seats_with_weights():
    result = approval(ballots("1 @10: A > B", "1 @4: C", "1 @3: B > C"), Rules(seats=2))
    # A 10, B 13, C 7.
    assert result.winners == ["B", "A"]


def test_score_voting_adds_weighted_scores():
    result = score(
        [
            Ballot(scores={"A": 5, "B": 3}, count=2),
            Ballot(scores={"B": 5, "C": "2.5"}, weight=3),
            Ballot(),
        ]
    )
    # A 2 x 5 = 10; B 2 x 3 + 3 x 5 = 21; C 3 x 2.5 = 7.5.
    assert result.rounds[0].tally == {"A": 10, "B": 21, "C": Decimal("7.5")}
    assert result.winners == ["B"]
    assert result.rounds[0].inactive["undervote"] == 1


def test_more_seats_than_candidates_is_refused():
    with pytest.raises(TabulationError, match="there must be at least as many candidates"):
        approval(ballots("1: A > B"), Rules(seats=3))

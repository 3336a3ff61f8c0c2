"""Yes/no/abstain questions: majorities, supermajorities, the electorate and abstentions."""

from fractions import Fraction

import pytest

from powerbase.democracy.tabulation import Requirement, Rules, TabulationError, threshold_vote
from tests.democracy.tabulation.ballot_notation import ballots


def test_a_simple_majority_needs_more_than_half_so_a_tie_fails():
    assert threshold_vote(ballots("5: yes", "4: no")).passed is True
    assert threshold_vote(ballots("5: yes", "5: no")).passed is False


def test_two_thirds_is_met_by_exactly_two_thirds():
    rules = Rules(required="two-thirds")
    assert threshold_vote(ballots("6: yes", "3: no"), rules).passed is True
    assert threshold_vote(ballots("6: yes", "4: no"), rules).passed is False


def test_sixty_percent_of_votes_cast_ignores_abstentions_unless_they_count():
    marks = ballots("6: Yes", "4: no", "5: abstain")
    # 6 of 10 yes-or-no votes is 60%; with the 5 abstentions it is 6 of 15.
    assert threshold_vote(marks, Rules(required="60%")).passed is True
    assert threshold_vote(marks, Rules(required="60%", abstentions_count=True)).passed is False


def test_a_share_of_the_electorate_counts_those_who_did_not_vote_against():
    marks = ballots("30: yes", "5: no")
    rules = Rules(required="majority", share_of="electorate", electorate=70)
    result = threshold_vote(marks, rules)
    # 30 yes of an electorate of 70: a majority needs more than 35.
    assert result.passed is False
    assert result.details["required_votes"] == "35"
    assert result.details["sentence"] == (
        "The question did not pass: 30 yes of 70 (the electorate); it needed more than half, "
        "that is more than 35."
    )


def test_weighted_affiliate_votes_decide_by_weight():
    marks = ballots("1 @120: yes", "1 @80: no", "1 @40: no")
    # 120 of 240 is exactly half: not more than half, but at least half.
    assert threshold_vote(marks).passed is False
    assert threshold_vote(marks, Rules(required="1/2")).passed is True


def test_more_votes_than_the_electorate_is_refused():
    with pytest.raises(TabulationError, match="electorate is only 3"):
        threshold_vote(ballots("4: yes"), Rules(share_of="electorate", electorate=3))


def test_an_answer_other_than_yes_no_or_abstain_is_refused():
    with pytest.raises(TabulationError, match="'maybe'"):
        threshold_vote(ballots("1: maybe"))


def test_requirements_are_read_from_words_percentages_and_fractions():
    assert Requirement.parse("majority") == Requirement(Fraction(1, 2), strictly_more=True)
    assert Requirement.parse("two-thirds") == Requirement(Fraction(2, 3))
    assert Requirement.parse("60%") == Requirement(Fraction(3, 5))
    assert Requirement.parse(">3/4") == Requirement(Fraction(3, 4), strictly_more=True)
    with pytest.raises(TabulationError, match="not a vote requirement"):
        Requirement.parse("lots")

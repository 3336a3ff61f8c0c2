"""Single transferable vote with fractional surplus transfer, and sequential IRV, by hand."""

import pytest

from powerbase.democracy.tabulation import Rules, TabulationError, sequential_irv, stv
from tests.democracy.tabulation.ballot_notation import ballots


def rounds(result) -> list[dict]:
    return result.to_dict()["rounds"]


# The "food election" of Wikipedia's "Single transferable vote" article (section "Example"):
# 20 guests choose 3 of 5 foods. Published count: Droop quota 6; Chocolate elected with 12 and
# its surplus split 4 to Strawberry, 2 to Sweets; Pear eliminated, Orange reaches 6 and is
# elected; Sweets eliminated; Strawberry wins the last seat.
FOOD = ballots(
    "4: Orange",
    "2: Pear > Orange",
    "8: Chocolate > Strawberry",
    "4: Chocolate > Sweets",
    "1: Strawberry",
    "1: Sweets",
)


def test_the_food_election_runs_the_published_count():
    result = stv(FOOD, Rules(seats=3))
    # RCTab's round structure: an election and an elimination never share a round, Strawberry
    # is elected in its own round once it is the only candidate left for the last seat, and a
    # final round shows the last winner's (empty) surplus.
    assert [r["tally"] for r in rounds(result)][:5] == [
        {"Chocolate": "12", "Orange": "4", "Pear": "2", "Strawberry": "1", "Sweets": "1"},
        {"Chocolate": "6", "Orange": "4", "Pear": "2", "Strawberry": "5", "Sweets": "3"},
        {"Chocolate": "6", "Orange": "6", "Strawberry": "5", "Sweets": "3"},
        {"Chocolate": "6", "Orange": "6", "Strawberry": "5", "Sweets": "3"},
        {"Chocolate": "6", "Orange": "6", "Strawberry": "5"},
    ]
    assert rounds(result)[0]["threshold"] == "6"
    assert rounds(result)[0]["transfers"] == {"Chocolate": {"Strawberry": "4", "Sweets": "2"}}
    assert [r["elected"] for r in rounds(result)] == [
        ["Chocolate"],
        [],
        ["Orange"],
        [],
        ["Strawberry"],
        [],
    ]
    assert [r["eliminated"] for r in rounds(result)] == [[], ["Pear"], [], ["Sweets"], [], []]
    assert result.winners == ["Chocolate", "Orange", "Strawberry"]


# A surplus that does not divide evenly: A has 7 votes against a Droop threshold of
# floor(12/3)+1 = 5, so 2/7 of each A ballot moves on.
THIRDS = ("4: A > B", "3: A > C", "1: B", "1: C", "3: D")


def test_a_surplus_moves_at_a_fraction_rounded_down_to_the_decimal_places():
    result = stv(ballots(*THIRDS), Rules(seats=2, decimal_places=4))
    # Surplus fraction 2/7 = 0.285714... rounded down: 0.2857. Each A ballot moves 0.2857:
    # B gets 4 x 0.2857 = 1.1428 and C 3 x 0.2857 = 0.8571. A keeps 7 x 0.7143 = 5.0001;
    # the 0.0001 above the threshold is residual surplus, set aside in round 2.
    assert rounds(result)[0]["transfers"] == {
        "A": {"B": "1.1428", "C": "0.8571", "residual surplus": "0.0001"}
    }
    assert rounds(result)[1]["tally"] == {"A": "5", "B": "2.1428", "C": "1.8571", "D": "3"}
    assert rounds(result)[1]["residual_surplus"] == "0.0001"
    # R2: C (1.8571) out, all exhausted. R3: B (2.1428) out. R4: D is the only one left.
    assert result.winners == ["A", "D"]


def test_fewer_decimal_places_round_the_transfer_down_further():
    result = stv(ballots(*THIRDS), Rules(seats=2, decimal_places=2))
    # Fraction 0.28: B 4 x 0.28 = 1.12, C 3 x 0.28 = 0.84; A keeps 7 x 0.72 = 5.04.
    assert rounds(result)[0]["transfers"] == {
        "A": {"B": "1.12", "C": "0.84", "residual surplus": "0.04"}
    }


def test_the_hare_quota_is_the_votes_divided_by_the_seats_rounded_up():
    result = stv(ballots(*THIRDS), Rules(seats=2, quota="hare"))
    # Hare: 12 / 2 = 6. A's surplus is 1 of 7: fraction 0.1428; B 0.5712, C 0.4284.
    assert rounds(result)[0]["threshold"] == "6"
    assert rounds(result)[0]["transfers"]["A"]["B"] == "0.5712"


def test_the_hare_quota_is_refused_for_a_single_seat():
    with pytest.raises(TabulationError, match="Hare quota is for counts with several seats"):
        stv(ballots(*THIRDS), Rules(quota="hare"))


def test_a_non_integer_threshold_is_the_quotient_plus_the_smallest_unit():
    whole = stv(ballots(*THIRDS), Rules(seats=2))
    fractional = stv(ballots(*THIRDS), Rules(seats=2, non_integer_threshold=True))
    # Droop: 12 / 3 = 4 exactly; whole votes: 4 + 1 = 5; four decimals: 4 + 0.0001.
    assert rounds(whole)[0]["threshold"] == "5"
    assert rounds(fractional)[0]["threshold"] == "4.0001"


def test_the_multi_seat_threshold_is_fixed_from_the_first_round():
    result = stv(ballots(*THIRDS), Rules(seats=2))
    assert {r["threshold"] for r in rounds(result)} == {"5"}


def test_several_candidates_reaching_the_threshold_are_elected_in_one_round():
    result = stv(ballots("5: A > C", "5: B > C", "1: C", "1: D"), Rules(seats=2))
    # 12 votes, threshold 5: A and B both have 5 and are elected in round 1 with no surplus.
    assert rounds(result)[0]["elected"] == ["A", "B"]


def test_when_candidates_left_equal_seats_left_they_are_all_elected():
    result = stv(ballots("2: A", "1: B", "1: C"), Rules(seats=3))
    assert rounds(result)[0]["elected"] == ["A", "B", "C"]


def test_stv_applies_the_ballot_walk_rules_to_surplus_transfers():
    marks = ballots("6: A > B|C > D", "1: B", "1: C", "2: D")
    # 10 votes, 2 seats: threshold 4. A's surplus of 2 (fraction 0.3333) reaches the overvote.
    exhausting = stv(marks, Rules(seats=2))
    skipping = stv(marks, Rules(seats=2, overvote_rule="always-skip-to-next-rank"))
    assert rounds(exhausting)[1]["inactive"]["overvote"] == "1.9998"
    assert rounds(skipping)[1]["tally"]["D"] == "3.9998"


def test_votes_are_conserved_in_every_round_including_residual_surplus():
    result = stv(ballots(*THIRDS), Rules(seats=2))
    for round_ in result.rounds:
        total = (
            round_.active_votes
            + round_.inactive_votes
            + round_.residual_surplus
            + round_.final_round_surplus
        )
        assert total == 12


def test_batch_elimination_and_continue_until_two_are_single_seat_rules():
    with pytest.raises(TabulationError, match="single-seat"):
        stv(FOOD, Rules(seats=3, batch_elimination=True))
    with pytest.raises(TabulationError, match="single-seat"):
        stv(FOOD, Rules(seats=3, continue_until_two=True))


def test_more_seats_than_candidates_elects_every_candidate_in_one_round():
    # As RCTab does (its more_winners_than_candidates case): the count still reports.
    result = stv(ballots("1: A", "1: B"), Rules(seats=3))
    assert sorted(result.winners) == ["A", "B"]
    assert len(result.rounds) == 1


def test_excluded_candidates_are_not_elected_when_seats_outnumber_candidates():
    result = stv(ballots("1: A", "1: B"), Rules(seats=2, excluded=("B",)))
    assert result.winners == ["A"]


def test_a_weight_finer_than_the_decimal_places_is_refused():
    with pytest.raises(TabulationError, match="more decimal places than the count uses"):
        stv(ballots("1 @0.125: A"), Rules(decimal_places=2))


# Sequential IRV --------------------------------------------------------------------------------


def test_sequential_irv_reruns_the_count_without_earlier_winners():
    result = sequential_irv(ballots("5: A > B", "4: B > A", "3: C > B"), Rules(seats=2))
    # Seat 1: A5 B4 C3 (12, threshold 7); C out, B 7 wins.
    # Seat 2, B excluded: "B > A" counts for A from the start: A9 C3, A wins.
    assert result.winners == ["B", "A"]
    assert [pass_.winners for pass_ in result.passes] == [["B"], ["A"]]
    assert result.passes[1].to_dict()["rounds"][0]["tally"] == {"A": "9", "C": "3"}

"""Instant runoff, worked by hand round by round, and every rule option of the ballot walk."""

import pytest

from powerbase.democracy.tabulation import Rules, TabulationError, irv, tabulate
from tests.democracy.tabulation.ballot_notation import ballots


def rounds(result) -> list[dict]:
    return result.to_dict()["rounds"]


def tallies(result) -> list[dict]:
    return [round_["tally"] for round_ in rounds(result)]


# Tennessee capital election, the standard example of Wikipedia's "Instant-runoff voting"
# article: 42% Memphis, 26% Nashville, 15% Chattanooga, 17% Knoxville, each ranking the cities
# by distance. Published result: Chattanooga out, then Nashville out, Knoxville wins 58-42.
TENNESSEE = ballots(
    "42: Memphis > Nashville > Chattanooga > Knoxville",
    "26: Nashville > Chattanooga > Knoxville > Memphis",
    "15: Chattanooga > Knoxville > Nashville > Memphis",
    "17: Knoxville > Chattanooga > Nashville > Memphis",
)


def test_the_tennessee_example_runs_the_published_rounds():
    result = irv(TENNESSEE)
    # Round 1: 100 active votes, threshold floor(100/2)+1 = 51; nobody; Chattanooga (15) out.
    # Round 2: Chattanooga's 15 go to Knoxville (32); Nashville (26) out.
    # Round 3: Nashville's 26 skip Chattanooga and go to Knoxville: 58 to 42.
    assert tallies(result) == [
        {"Chattanooga": "15", "Knoxville": "17", "Memphis": "42", "Nashville": "26"},
        {"Knoxville": "32", "Memphis": "42", "Nashville": "26"},
        {"Knoxville": "58", "Memphis": "42"},
    ]
    assert [r["eliminated"] for r in rounds(result)] == [["Chattanooga"], ["Nashville"], []]
    assert rounds(result)[0]["transfers"] == {"Chattanooga": {"Knoxville": "15"}}
    assert rounds(result)[1]["transfers"] == {"Nashville": {"Knoxville": "26"}}
    assert [r["threshold"] for r in rounds(result)] == ["51", "51", "51"]
    assert result.winners == ["Knoxville"]


def test_a_first_round_majority_ends_the_count_in_one_round():
    result = irv(ballots("6: A > B", "3: B", "2: C > B"))
    # 11 votes, threshold 6: A has 6 and wins at once.
    assert len(result.rounds) == 1
    assert rounds(result)[0]["elected"] == ["A"]


def test_the_threshold_shrinks_as_ballots_exhaust():
    result = irv(ballots("5: A", "4: B", "3: C"))
    # Round 1: 12 active, threshold 7; C out and its 3 ballots rank nobody else.
    # Round 2: 9 active, threshold 5: A wins with 5.
    assert [r["threshold"] for r in rounds(result)] == ["7", "5"]
    assert rounds(result)[1]["inactive"]["exhausted_choices"] == "3"
    assert result.winners == ["A"]


def test_weighted_bloc_votes_count_with_their_weight():
    # Teachers cast 30 votes for A, tenants 25 for B, a faith group 10 for C then A.
    result = irv(ballots("1 @30: A", "1 @25: B", "1 @10: C > A"))
    # 65 votes, threshold 33; C out; A 40 wins.
    assert tallies(result)[-1] == {"A": "40", "B": "25"}
    assert result.winners == ["A"]


def test_fractional_weights_are_counted_exactly():
    result = irv(ballots("1 @2.5: A", "2 @1.25: B"))
    assert tallies(result)[0] == {"A": "2.5", "B": "2.5"}


def test_a_count_column_equals_the_same_ballot_repeated():
    as_count = irv(ballots("3: A > B", "2: B", "2: C > B"))
    repeated = irv(ballots(*["1: A > B"] * 3, *["1: B"] * 2, *["1: C > B"] * 2))
    assert as_count.to_dict() == repeated.to_dict()


def test_an_excluded_candidate_is_passed_over_from_the_first_round():
    result = irv(ballots("4: A", "3: B", "2: C > B"), Rules(excluded=("C",)))
    # C's ballots count for B from the start: B 5 of 9 wins (threshold 5).
    assert tallies(result) == [{"A": "4", "B": "5"}]
    assert result.winners == ["B"]


def test_an_irv_count_for_several_seats_is_refused():
    with pytest.raises(TabulationError, match="one seat"):
        irv(ballots("1: A"), Rules(seats=2))


# Overvotes ----------------------------------------------------------------------------------

OVERVOTES = ("6: A", "2: B", "2: B > C|D", "5: C", "1: D")


def test_exhaust_immediately_drops_an_overvoted_ballot_when_it_is_reached():
    result = irv(ballots(*OVERVOTES), Rules(overvote_rule="exhaust-immediately"))
    # R1: A6 B4 C5 D1 (16, threshold 9): D out. R2: A6 B4 C5: B out; its "B > C|D" ballots
    # reach the overvote and exhaust. R3: A6 C5, A wins.
    assert rounds(result)[2]["inactive"]["overvote"] == "2"
    assert result.winners == ["A"]


def test_always_skip_to_next_rank_passes_an_overvote_and_exhausts_at_the_last_rank():
    result = irv(ballots(*OVERVOTES), Rules(overvote_rule="always-skip-to-next-rank"))
    # The overvote is the last rank of "B > C|D", so skipping it leaves no choice: RCTab counts
    # that as exhausted choices, not as an overvote.
    assert rounds(result)[2]["inactive"]["overvote"] == "0"
    # Exhausted by round 3: the lone D (1), the lone Bs (2) and the "B > C|D" ballots (2).
    assert rounds(result)[2]["inactive"]["exhausted_choices"] == "5"
    assert result.winners == ["A"]


def test_always_skip_to_next_rank_counts_the_rank_after_an_overvote():
    result = irv(
        ballots("5: A", "4: B", "3: A|B > C", "1: C"),
        Rules(overvote_rule="always-skip-to-next-rank"),
    )
    assert tallies(result)[0] == {"A": "5", "B": "4", "C": "4"}


def test_exhaust_if_multiple_continuing_counts_the_one_candidate_still_in():
    result = irv(ballots(*OVERVOTES), Rules(overvote_rule="exhaust-if-multiple-continuing"))
    # R3: when B goes, D is already out, so "C|D" has one continuing candidate: C gets the 2.
    # A6 C7 of 13 (threshold 7): C wins.
    assert tallies(result)[2] == {"A": "6", "C": "7"}
    assert result.winners == ["C"]


def test_exhaust_if_multiple_continuing_exhausts_when_two_are_still_in():
    result = irv(
        ballots("5: A", "4: B", "2: A|B"), Rules(overvote_rule="exhaust-if-multiple-continuing")
    )
    assert rounds(result)[0]["inactive"]["overvote"] == "2"


def test_exhaust_if_multiple_continuing_refuses_a_bare_overvote():
    with pytest.raises(TabulationError, match="needs to know which candidates were marked"):
        irv(
            ballots("1: overvote > A", "1: A"),
            Rules(overvote_rule="exhaust-if-multiple-continuing"),
        )


def test_a_bare_overvote_follows_the_exhaust_and_skip_rules():
    exhaust = irv(ballots("2: overvote > A", "3: B"))
    skip = irv(ballots("2: overvote > A", "3: B"), Rules(overvote_rule="always-skip-to-next-rank"))
    assert rounds(exhaust)[0]["inactive"]["overvote"] == "2"
    assert tallies(skip)[0] == {"A": "2", "B": "3"}


# Skipped and repeated rankings, maximum rankings ---------------------------------------------

SKIPS = ("5: A", "4: B", "1: C", "2: C > _ > B")


def test_unlimited_skipped_ranks_let_a_ballot_jump_a_blank_rank():
    result = irv(ballots(*SKIPS), Rules(max_skipped_ranks=None))
    # R1: A5 B4 C3 (12, threshold 7); C out. R2: "C > _ > B" reaches B: B6 of 11 wins.
    assert result.winners == ["B"]


def test_one_allowed_skipped_rank_lets_a_ballot_jump_one_blank():
    assert irv(ballots(*SKIPS), Rules(max_skipped_ranks=1)).winners == ["B"]


def test_no_allowed_skipped_rank_exhausts_the_ballot_at_the_gap():
    result = irv(ballots(*SKIPS), Rules(max_skipped_ranks=0))
    # R2: rank 3 follows rank 1 with one blank between: exhausted by skipped rankings.
    # The lone "C" ballot has no one else ranked: exhausted choices, as RCTab 2 reports it
    # (blank ranks after the last choice are not an undervote). A5 B4 of 9: A wins.
    assert rounds(result)[1]["inactive"]["skipped_rankings"] == "2"
    assert rounds(result)[1]["inactive"]["exhausted_choices"] == "1"
    assert rounds(result)[1]["inactive"]["undervote"] == "0"
    assert result.winners == ["A"]


def test_blank_first_ranks_beyond_the_limit_exhaust_in_the_first_round():
    result = irv(ballots("3: A", "2: _ > _ > B", "1: _ > B"), Rules(max_skipped_ranks=1))
    # "_ > _ > B" skips two ranks before its first choice; "_ > B" skips one and counts.
    assert rounds(result)[0]["inactive"]["skipped_rankings"] == "2"
    assert tallies(result)[0] == {"A": "3", "B": "1"}


def test_a_ballot_with_nothing_ranked_is_an_undervote():
    result = irv(ballots("3: A", "2:", "1: _ > _"))
    assert rounds(result)[0]["inactive"]["undervote"] == "3"


def test_maximum_rankings_ignores_ranks_beyond_it():
    marks = ("5: A", "4: B", "1: C", "2: C > B")
    assert irv(ballots(*marks), Rules(max_rankings=None)).winners == ["B"]
    limited = irv(ballots(*marks), Rules(max_rankings=1))
    # Only rank 1 counts: when C goes, "C > B" has no further choice. A5 B4: A wins.
    assert rounds(limited)[1]["inactive"]["exhausted_choices"] == "3"
    assert limited.winners == ["A"]


REPEATS = ("5: A", "4: B", "1: C", "2: C > C > B")


def test_a_repeated_candidate_is_skipped_under_skip():
    result = irv(ballots(*REPEATS), Rules(repeated_candidate="skip"))
    # R2: "C > C > B" passes both Cs and reaches B: B6 of 11 wins.
    assert result.winners == ["B"]


def test_a_repeated_candidate_exhausts_the_ballot_under_exhaust():
    result = irv(ballots(*REPEATS), Rules(repeated_candidate="exhaust"))
    assert rounds(result)[1]["inactive"]["repeated_rankings"] == "2"
    assert result.winners == ["A"]


# Batch elimination, continue until two, minimum vote threshold -----------------------------

BATCH = ("10: A", "3: B", "2: C > B", "1: D > B", "1: E > B", "4: B")


def test_batch_elimination_drops_everyone_who_cannot_catch_up_at_once():
    result = irv(ballots(*BATCH), Rules(batch_elimination=True))
    # R1: A10 B7 C2 D1 E1 (21, threshold 11). Sorted: D+E = 2, not less than C's 2; D+E+C = 4
    # is less than B's 7, so C, D and E go together. R2: B 11 wins.
    assert rounds(result)[0]["eliminated"] == ["C", "D", "E"]
    assert rounds(result)[0]["elimination"] == "batch"
    assert tallies(result)[1] == {"A": "10", "B": "11"}
    assert result.winners == ["B"]


def test_without_batch_elimination_the_same_count_takes_one_round_per_loser():
    result = irv(ballots(*BATCH))
    # D and E tie at 1; the candidate order (alphabetical) puts E last, so E goes first.
    assert [r["eliminated"] for r in rounds(result)] == [["E"], ["D"], ["C"], []]
    assert result.winners == ["B"]


def test_continue_until_two_keeps_counting_after_a_winner():
    result = irv(ballots("6: A", "3: B", "2: C > B"), Rules(continue_until_two=True))
    # R1: A has 6 of 11 (threshold 6) and is elected; RCTab then tabulates the same tallies
    # again to eliminate C, and a last round shows the final two.
    assert [r["elected"] for r in rounds(result)] == [["A"], [], []]
    assert [r["eliminated"] for r in rounds(result)] == [[], ["C"], []]
    assert tallies(result)[-1] == {"A": "6", "B": "5"}
    assert result.winners == ["A"]


def test_without_continue_until_two_the_count_stops_at_the_winner():
    assert len(irv(ballots("6: A", "3: B", "2: C > B")).rounds) == 1


def test_candidates_below_the_minimum_vote_threshold_go_out_together():
    result = irv(
        ballots("6: A", "5: B", "2: C > B", "1: D > A", "1: E > B"), Rules(minimum_vote_threshold=3)
    )
    # R1: A6 B5 C2 D1 E1 (15, threshold 8): C, D and E have fewer than 3. R2: A7 B8: B wins.
    assert rounds(result)[0]["eliminated"] == ["C", "D", "E"]
    assert rounds(result)[0]["elimination"] == "below-minimum"
    assert tallies(result)[1] == {"A": "7", "B": "8"}


def test_the_minimum_vote_threshold_raises_a_lower_winning_threshold():
    result = irv(ballots("8: A", "2: B"), Rules(minimum_vote_threshold=7))
    # The majority threshold of 10 votes is 6; the minimum of 7 is higher and applies.
    assert rounds(result)[0]["threshold"] == "7"


def test_a_minimum_no_candidate_reaches_stops_the_count_with_a_reason():
    with pytest.raises(TabulationError, match="minimum vote threshold of 20"):
        irv(ballots("6: A", "5: B"), Rules(minimum_vote_threshold=20))


# Tiebreaks ---------------------------------------------------------------------------------


def test_candidate_order_eliminates_the_tied_candidate_listed_last():
    marks = ballots("3: A", "2: B > A", "2: C > A")
    first = irv(marks, Rules(candidates=("A", "B", "C")))
    second = irv(marks, Rules(candidates=("A", "C", "B")))
    assert rounds(first)[0]["eliminated"] == ["C"]
    assert rounds(second)[0]["eliminated"] == ["B"]
    assert rounds(first)[0]["tiebreaks"][0]["explanation"] == (
        "C comes last in the candidate order."
    )


PREVIOUS = ("5: A", "3: B", "2: C", "1: D > C")


def test_previous_round_counts_eliminate_whoever_trailed_before_the_tie():
    result = irv(
        ballots(*PREVIOUS), Rules(tiebreak="previous-round", candidates=("A", "C", "B", "D"))
    )
    # R1: A5 B3 C2 D1: D out, C reaches 3. R2: B and C tie at 3; in round 1 C had 2 to B's 3.
    assert rounds(result)[1]["eliminated"] == ["C"]
    assert rounds(result)[1]["tiebreaks"][0]["explanation"] == (
        "C had the fewest votes (2) in round 1."
    )


def test_candidate_order_ignores_earlier_rounds():
    result = irv(ballots(*PREVIOUS), Rules(candidates=("A", "C", "B", "D")))
    assert rounds(result)[1]["eliminated"] == ["B"]


def test_previous_round_counts_fall_back_to_candidate_order_in_the_first_round():
    result = irv(ballots("3: A", "2: B > A", "2: C > A"), Rules(tiebreak="previous-round"))
    assert rounds(result)[0]["eliminated"] == ["C"]
    assert "There is no earlier round" in rounds(result)[0]["tiebreaks"][0]["explanation"]


def test_a_seeded_random_tiebreak_repeats_with_the_same_seed_and_varies_across_seeds():
    marks = ballots("3: A", "2: B > A", "2: C > A")

    def loser(seed):
        return irv(marks, Rules(tiebreak="random", random_seed=seed)).rounds[0].eliminated

    assert all(loser(seed) == loser(seed) for seed in range(5))
    # RCTab's draw: java.util.Random(seed).nextDouble() picks among B, C sorted by name; its
    # first double is 0.7310 for seed 0 (C) and 0.3618 for seed 12345 (B).
    assert loser(0) == ["C"]
    assert loser(12345) == ["B"]


def test_a_random_tiebreak_without_a_seed_is_refused():
    with pytest.raises(TabulationError, match="needs a seed"):
        Rules(tiebreak="random")


def test_two_tied_finalists_are_separated_by_a_winning_tiebreak():
    result = irv(ballots("1: A", "1: B"))
    # 2 votes, threshold 2: neither reaches it with two left, so the tie picks a winner:
    # under candidate order, whoever comes first.
    assert result.winners == ["A"]
    assert rounds(result)[0]["tiebreaks"][0]["purpose"] == "election"


def test_unknown_candidates_and_methods_are_refused_in_a_sentence():
    with pytest.raises(TabulationError, match="'Zed', who is not among the candidates"):
        irv(ballots("1: Zed"), Rules(candidates=("A", "B")))
    with pytest.raises(TabulationError, match="'borda' is not a counting method"):
        tabulate("borda", ballots("1: A"))

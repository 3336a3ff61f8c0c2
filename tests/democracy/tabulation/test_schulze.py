"""The Schulze method on published examples."""

from powerbase.democracy.tabulation import Rules, schulze
from tests.democracy.tabulation.ballot_notation import ballots

# The 45-voter example of Wikipedia's "Schulze method" article. Published: d[A,B] = 20,
# d[A,C] = 26, d[A,D] = 30, d[A,E] = 22; strongest paths from E: 25, 28, 28, 31; ranking
# E > A > C > B > D.
WIKIPEDIA = ballots(
    "5: A > C > B > E > D",
    "5: A > D > E > C > B",
    "8: B > E > D > A > C",
    "3: C > A > B > E > D",
    "7: C > A > E > B > D",
    "2: C > B > A > D > E",
    "7: D > C > E > B > A",
    "8: E > B > A > D > C",
)


def test_the_wikipedia_example_gives_the_published_matrices_and_ranking():
    result = schulze(WIKIPEDIA)
    assert result.details["pairwise"]["A"] == {"B": "20", "C": "26", "D": "30", "E": "22"}
    assert result.details["strongest_paths"]["E"] == {"A": "25", "B": "28", "C": "28", "D": "31"}
    assert result.details["ranking"] == ["E", "A", "C", "B", "D"]
    assert result.winners == ["E"]


def test_the_condorcet_winner_wins_where_instant_runoff_does_not():
    tennessee = ballots(
        "42: Memphis > Nashville > Chattanooga > Knoxville",
        "26: Nashville > Chattanooga > Knoxville > Memphis",
        "15: Chattanooga > Knoxville > Nashville > Memphis",
        "17: Knoxville > Chattanooga > Nashville > Memphis",
    )
    # Nashville beats every other city head to head (58-42, 68-32, 68-32).
    assert schulze(tennessee).winners == ["Nashville"]


def test_unranked_candidates_count_below_ranked_ones_and_an_overvote_is_a_tie():
    result = schulze(ballots("3: A", "2: B|C > A"))
    # A over B: 3 (B unranked on A ballots); B over A: 2. B and C are tied on every ballot.
    assert result.details["pairwise"]["A"] == {"B": "3", "C": "3"}
    assert result.details["pairwise"]["B"] == {"A": "2", "C": "0"}
    assert result.winners == ["A"]


def test_a_tie_in_the_ranking_is_broken_by_the_tiebreak_and_recorded():
    result = schulze(ballots("1: A > B", "1: B > A"), Rules(candidates=("B", "A"), seats=2))
    assert result.details["ranking"] == ["B", "A"]
    assert result.details["tiebreaks"][0]["tied"] == ["A", "B"]

"""Properties every count must have, checked on many generated elections (hypothesis)."""

from decimal import Decimal
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from powerbase.democracy.tabulation import Ballot, Rules, irv, schulze, stv, tabulate

NAMES = ("A", "B", "C", "D", "E")
CANDIDATES = Rules(candidates=NAMES)

# Mostly plain names, sometimes a skipped rank or an overvote, so every rule gets exercised.
marks = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES),
    st.sampled_from(NAMES),
    st.none(),
    st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True).map(tuple),
)
ballot = st.builds(
    lambda ranks, count, weight: Ballot(ranks, count=count, weight=weight),
    st.lists(marks, max_size=5),
    st.integers(1, 3),
    st.sampled_from([1, 2, "0.5"]),
)
elections = st.lists(ballot, min_size=1, max_size=12)
rule_sets = st.builds(
    lambda overvote, skipped, repeated, tiebreak: Rules(
        candidates=NAMES,
        overvote_rule=overvote,
        max_skipped_ranks=skipped,
        repeated_candidate=repeated,
        tiebreak=tiebreak,
        random_seed=7,
    ),
    st.sampled_from(["exhaust-immediately", "always-skip-to-next-rank"]),
    st.sampled_from([None, 0, 1]),
    st.sampled_from(["skip", "exhaust"]),
    st.sampled_from(["candidate-order", "previous-round", "random"]),
)
METHODS = [
    ("irv", 1),
    ("stv", 2),
    ("stv", 3),
    ("sequential-irv", 2),
    ("plurality", 1),
    ("approval", 2),
    ("schulze", 1),
]


def total_votes(ballots) -> Decimal:
    return sum((b.weight * b.count for b in ballots), Decimal(0))


@settings(max_examples=60, deadline=None)
@given(elections, rule_sets, st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_the_count_does_not_depend_on_the_order_of_the_ballots(ballots, rules, method, shuffle):
    name, seats = method
    rules = Rules(**{**rules.__dict__, "seats": seats})
    shuffled = list(ballots)
    shuffle.shuffle(shuffled)
    assert tabulate(name, shuffled, rules).to_dict() == tabulate(name, ballots, rules).to_dict()


@settings(max_examples=80, deadline=None)
@given(elections, rule_sets, st.integers(1, 3))
def test_every_vote_is_accounted_for_in_every_round(ballots, rules, seats):
    rules = Rules(**{**rules.__dict__, "seats": seats})
    result = stv(ballots, rules)
    for round_ in result.rounds:
        assert (
            round_.active_votes
            + round_.inactive_votes
            + round_.residual_surplus
            + round_.final_round_surplus
            == total_votes(ballots)
        )


@settings(max_examples=60, deadline=None)
@given(elections, st.sampled_from(NAMES))
def test_a_candidate_with_a_majority_of_first_choices_wins_instant_runoff(ballots, favourite):
    others = total_votes(ballots)
    with_majority = [*ballots, Ballot([favourite], weight=others + 1)]
    assert irv(with_majority, CANDIDATES).winners == [favourite]
    # With fractional weights a whole-vote threshold (floor(votes / 2) + 1) can exceed a bare
    # majority, as in RCTab; a non-integer threshold always elects a majority in round one.
    exact = irv(with_majority, Rules(candidates=NAMES, non_integer_threshold=True))
    assert exact.rounds[0].elected == [favourite]


@settings(max_examples=60, deadline=None)
@given(elections, rule_sets)
def test_single_seat_stv_is_instant_runoff(ballots, rules):
    as_stv = stv(ballots, rules).to_dict()
    as_irv = irv(ballots, rules).to_dict()
    assert {**as_stv, "method": "irv"} == as_irv


@settings(max_examples=60, deadline=None)
@given(elections)
def test_schulze_elects_the_condorcet_winner_when_there_is_one(ballots):
    winner = condorcet_winner(ballots)
    if winner is not None:
        assert schulze(ballots, CANDIDATES).winners == [winner]


def condorcet_winner(ballots) -> str | None:
    """Return who beats every other candidate head to head, counted the plain way."""
    beats = {pair: Decimal(0) for pair in permutations(NAMES, 2)}
    for ballot in ballots:
        position = {}
        for rank, mark in enumerate(ballot.ranks):
            for name in mark:
                position.setdefault(name, rank)
        for x, y in beats:
            if position.get(x, 99) < position.get(y, 99):
                beats[x, y] += ballot.weight * ballot.count
    for x in NAMES:
        if all(beats[x, y] > beats[y, x] for y in NAMES if y != x):
            return x
    return None


# RCTab's other modes ---------------------------------------------------------------------------

rctab_modes = st.fixed_dictionaries(
    {
        "first_round_threshold": st.booleans(),
        "stop_after_round": st.sampled_from([None, 1, 2]),
        "one_winner_per_round": st.booleans(),
        "tiebreak": st.sampled_from(["random", "permutation", "previous-round-then-random"]),
        "random_seed": st.integers(-(2**40), 2**40),
    }
)
ranked_methods = st.sampled_from(
    [
        ("irv", 1),
        ("stv", 2),
        ("stv", 3),
        ("bottoms-up", 2),
        ("bottoms-up%", 1),
        ("sequential-irv", 2),
    ]
)


def _with_modes(rules: Rules, modes: dict, method: tuple) -> tuple[str, Rules]:
    name, seats = method
    options = {**rules.__dict__, **modes, "seats": seats}
    if name == "bottoms-up%":
        name, options["bottoms_up_percentage"] = "bottoms-up", Decimal(20)
    return name, Rules(**options)


@settings(max_examples=80, deadline=None)
@given(elections, rule_sets, rctab_modes, ranked_methods, st.randoms(use_true_random=False))
def test_rctabs_modes_keep_every_vote_and_ignore_ballot_order(
    ballots, rules, modes, method, shuffle
):
    name, rules = _with_modes(rules, modes, method)
    result = tabulate(name, ballots, rules)
    for count in result.passes or [result]:
        for round_ in count.rounds:
            assert (
                round_.active_votes
                + round_.inactive_votes
                + round_.residual_surplus
                + round_.final_round_surplus
                == total_votes(ballots)
            )
    shuffled = list(ballots)
    shuffle.shuffle(shuffled)
    assert tabulate(name, shuffled, rules).to_dict() == result.to_dict()
    assert len(result.winners) <= rules.seats or name == "bottoms-up"

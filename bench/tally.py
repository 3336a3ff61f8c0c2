"""Benchmark the counting engine on 1,000,000 ranked ballots over 35 candidates.

    .venv/bin/python bench/tally.py [--ballots N] [--seed S]

The ballots are seeded and shaped like a real ranked-choice election: three voting blocs with
their own favourites among a few strong candidates and a long tail; rankings of one to ten
candidates; about 1% overvotes, 2% skipped ranks and 0.5% repeated candidates. Identical
ballots are merged first (a Counter over ranking tuples), which is how the engine gets fast.

Printed: the time to merge the ballots, IRV and 5-seat STV counts, and each figure as a ratio
to a baseline measured in the same run: one plain pass over the raw ballots counting first
choices (the least any count must do).
"""

import argparse
import random
import time
from collections import Counter

from powerbase.democracy.tabulation import Ballot, Rules, tabulate

CANDIDATES = [f"Candidate {number:02d}" for number in range(1, 36)]
# How many candidates voters rank, and how often (most rank a few; some rank many).
RANKING_LENGTHS = [1, 2, 3, 4, 5, 6, 8, 10]
LENGTH_SHARES = [18, 14, 20, 14, 14, 8, 6, 6]


def bloc_strengths(generator: random.Random) -> list[list[float]]:
    """Return, for each of three blocs, a weight per candidate: a few strong, a long tail."""
    base = [1.0 / (rank + 1) ** 1.3 for rank in range(len(CANDIDATES))]
    blocs = []
    for _ in range(3):
        shuffled = base[:]
        # Each bloc keeps the same long tail but reorders the top few favourites.
        top = shuffled[:6]
        generator.shuffle(top)
        blocs.append(top + shuffled[6:])
    return blocs


def generate_ballots(count: int, seed: int) -> list[tuple]:
    """Return *count* ballots as tuples of marks: a name, None (skipped) or a tuple (overvote)."""
    generator = random.Random(seed)
    blocs = [list(_cumulative(weights)) for weights in bloc_strengths(generator)]
    lengths = generator.choices(RANKING_LENGTHS, weights=LENGTH_SHARES, k=count)
    ballots = []
    for length in lengths:
        cumulative = blocs[generator.randrange(3)]
        ranking: list = []
        while len(ranking) < length:
            name = generator.choices(CANDIDATES, cum_weights=cumulative)[0]
            if name not in ranking:
                ranking.append(name)
        ballots.append(tuple(_spoil(ranking, generator)))
    return ballots


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _spoil(ranking: list, generator: random.Random) -> list:
    roll = generator.random()
    if roll < 0.01 and len(ranking) > 1:  # overvote: two names at one rank
        at = generator.randrange(len(ranking) - 1)
        ranking[at:at + 2] = [(ranking[at], ranking[at + 1])]
    elif roll < 0.03:  # a skipped rank
        ranking.insert(generator.randrange(len(ranking) + 1), None)
    elif roll < 0.035:  # a repeated candidate
        ranking.append(ranking[0])
    return ranking


def first_choice_baseline(ballots: list[tuple]) -> Counter:
    """Count first choices in one pass over the raw ballots: the floor for any count."""
    first_choices = Counter()
    for ballot in ballots:
        if ballot and isinstance(ballot[0], str):
            first_choices[ballot[0]] += 1
    return first_choices


def merge(raw: list[tuple]) -> list[Ballot]:
    """Merge identical ballots into Ballot objects with a count."""
    return [Ballot(ranks, count=count) for ranks, count in Counter(raw).items()]


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args()

    raw, generating = timed(generate_ballots, options.ballots, options.seed)
    print(f"Generated {len(raw):,} ballots over {len(CANDIDATES)} candidates in "
          f"{generating:.1f} s (not part of any figure below).")
    _, baseline = timed(first_choice_baseline, raw)
    merged, merging = timed(merge, raw)
    rules = Rules(candidates=tuple(CANDIDATES))
    irv_result, irv_time = timed(tabulate, "irv", merged, rules)
    stv_rules = Rules(seats=5, candidates=tuple(CANDIDATES))
    stv_result, stv_time = timed(tabulate, "stv", merged, stv_rules)

    rows = [
        ("baseline: first choices, one pass", baseline, ""),
        ("merge identical ballots", merging, f"{len(merged):,} distinct ballots"),
        ("IRV count (merged ballots)", irv_time,
         f"{len(irv_result.rounds)} rounds, winner {irv_result.winners[0]}"),
        ("IRV end to end (merge + count)", merging + irv_time, "goal: under 5 s"),
        ("STV 5 seats (merged ballots)", stv_time,
         f"{len(stv_result.rounds)} rounds, elected {', '.join(stv_result.winners)}"),
        ("STV 5 seats end to end", merging + stv_time, ""),
    ]
    print(f"{'step':<36} {'seconds':>8} {'x baseline':>11}  note")
    for label, seconds, note in rows:
        print(f"{label:<36} {seconds:>8.2f} {seconds / baseline:>11.1f}  {note}")


if __name__ == "__main__":
    main()

"""The Schulze method (Condorcet): compare every pair of candidates, then the strongest paths.

A ballot prefers X to Y when it ranks X above Y, or ranks X and leaves Y unranked. Candidates at
the same rank (an overvote) are tied on that ballot; a repeated candidate counts at its first
rank; skipped ranks change nothing. Excluded candidates and ranks past the maximum rankings are
ignored. The overvote, skipped-rank and repeated-candidate *exhaust* rules do not apply: a
pairwise count has no exhausted ballots.
"""

from collections.abc import Iterable
from decimal import Decimal

from powerbase.democracy.tabulation.ballots import (
    OVERVOTE,
    Ballot,
    require_enough_candidates,
    resolve_candidates,
)
from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.record import CountResult
from powerbase.democracy.tabulation.rules import DEFAULT_RULES, Method, Rules
from powerbase.democracy.tabulation.tiebreak import TieBreaker


def schulze(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Rank the candidates by the Schulze method and elect the top `rules.seats`."""
    ballots = list(ballots)
    names = resolve_candidates(ballots, rules.candidates, rules.excluded)
    require_enough_candidates(names, rules.seats, rules.excluded)
    running = [name for name in names if name not in rules.excluded]
    preferred = pairwise_preferences(ballots, running, rules.max_rankings)
    paths = strongest_paths(preferred)
    ranking, tiebreaks = _ranking(running, paths, TieBreaker(rules, names))
    details = {
        "ranking": ranking,
        "pairwise": _matrix(running, preferred),
        "strongest_paths": _matrix(running, paths),
        "tiebreaks": [tiebreak.to_dict() for tiebreak in tiebreaks],
    }
    return CountResult(
        method=Method.SCHULZE,
        rules=rules,
        candidates=names,
        winners=ranking[: rules.seats],
        ballots=sum(b.count for b in ballots),
        votes=sum((b.weight * b.count for b in ballots), Decimal(0)),
        details=details,
    )


def pairwise_preferences(
    ballots: list[Ballot], running: list[str], max_rankings: int | None
) -> list[list[Decimal]]:
    """Return d where d[i][j] is the votes of ballots preferring candidate i to candidate j."""
    number = {name: index for index, name in enumerate(running)}
    size = len(running)
    merged: dict[tuple, Decimal] = {}
    for ballot in ballots:
        ranks = ballot.ranks if max_rankings is None else ballot.ranks[:max_rankings]
        merged[ranks] = merged.get(ranks, Decimal(0)) + ballot.weight * ballot.count
    preferred = [[Decimal(0)] * size for _ in range(size)]
    for ranks, votes in merged.items():
        position = _positions(ranks, number)
        unranked = size  # below every ranked position
        for i in range(size):
            row, rank_i = preferred[i], position.get(i, unranked)
            if rank_i == unranked:
                continue
            for j in range(size):
                if rank_i < position.get(j, unranked):
                    row[j] += votes
    return preferred


def _positions(ranks, number: dict[str, int]) -> dict[int, int]:
    position: dict[int, int] = {}
    for rank, mark in enumerate(ranks):
        for name in mark:
            if name != OVERVOTE and name in number:
                position.setdefault(number[name], rank)
    return position


def strongest_paths(preferred: list[list[Decimal]]) -> list[list[Decimal]]:
    """Return p where p[i][j] is the strength of the strongest path from i to j (widest path)."""
    size = len(preferred)
    paths = [
        [preferred[i][j] if preferred[i][j] > preferred[j][i] else Decimal(0) for j in range(size)]
        for i in range(size)
    ]
    for i in range(size):
        for j in range(size):
            if i == j:
                continue
            for k in range(size):
                if k not in (i, j):
                    paths[j][k] = max(paths[j][k], min(paths[j][i], paths[i][k]))
    return paths


def _ranking(running, paths, tiebreaker: TieBreaker):
    """Order candidates: X goes above Y when X's strongest path to Y beats Y's to X.

    The relation is transitive (Schulze 2011), so counting whom each candidate beats orders
    them; candidates that neither beats the other are tied and the tiebreak orders them.
    """
    size = len(running)
    beaten = {running[i]: sum(paths[i][j] > paths[j][i] for j in range(size)) for i in range(size)}
    ranking, tiebreaks = [], []
    remaining = list(running)
    while remaining:
        best = max(beaten[name] for name in remaining)
        tied = [name for name in remaining if beaten[name] == best]
        while len(tied) > 1:
            tiebreak = tiebreaker.pick(tied, selecting_winner=True, purpose="ranking")
            tiebreaks.append(tiebreak)
            ranking.append(tiebreak.chosen)
            tied.remove(tiebreak.chosen)
            remaining.remove(tiebreak.chosen)
        ranking.append(tied[0])
        remaining.remove(tied[0])
    return ranking, tiebreaks


def _matrix(running, values) -> dict:
    return {
        row: {column: format_votes(values[i][j]) for j, column in enumerate(running) if i != j}
        for i, row in enumerate(running)
    }

"""Counts decided in one round: plurality, approval and score voting.

Each fills `rules.seats` seats with the candidates who have the most votes (or points); a tie at
the last seat is broken by the configured tiebreak ("previous-round" has no earlier round here
and falls back to candidate order).
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

from powerbase.democracy.tabulation.ballots import (
    OVERVOTE,
    Ballot,
    require_enough_candidates,
    resolve_candidates,
)
from powerbase.democracy.tabulation.record import (
    INACTIVE_REASONS,
    CountResult,
    InactiveReason,
    Round,
)
from powerbase.democracy.tabulation.rules import DEFAULT_RULES, Method, Rules
from powerbase.democracy.tabulation.tiebreak import TieBreaker

# A reader returns a ballot's {candidate: votes per ballot}, or the reason it counts for nobody.
type Reader = Callable[[Ballot, set[str]], dict[str, Decimal] | InactiveReason]


def plurality(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Count each ballot for its first marked choice; several choices there is an overvote."""
    return _count(Method.PLURALITY, ballots, rules, _first_choice)


def approval(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Count each ballot once for every candidate it marks, at any rank."""
    return _count(Method.APPROVAL, ballots, rules, _approvals)


def score(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Add up each candidate's scores (times the ballot's weight); most points wins."""
    return _count(Method.SCORE, ballots, rules, _scores)


def _first_choice(ballot: Ballot, running: set[str]):
    first = next((mark for mark in ballot.ranks if mark), None)
    if first is None:
        return InactiveReason.UNDERVOTE
    if len(first) > 1 or first[0] == OVERVOTE:
        return InactiveReason.OVERVOTE
    if first[0] not in running:
        return InactiveReason.EXHAUSTED_CHOICES  # a vote for an excluded candidate
    return {first[0]: Decimal(1)}


def _approvals(ballot: Ballot, running: set[str]):
    marked = {name for mark in ballot.ranks for name in mark if name != OVERVOTE}
    if not marked:
        has_overvote = any(OVERVOTE in mark for mark in ballot.ranks)
        return InactiveReason.OVERVOTE if has_overvote else InactiveReason.UNDERVOTE
    approved = marked & running
    return {name: Decimal(1) for name in approved} or InactiveReason.EXHAUSTED_CHOICES


def _scores(ballot: Ballot, running: set[str]):
    if not ballot.scores:
        return InactiveReason.UNDERVOTE
    scored = {name: points for name, points in ballot.scores if name in running}
    return scored or InactiveReason.EXHAUSTED_CHOICES


def _count(method: Method, ballots: Iterable[Ballot], rules: Rules, read: Reader) -> CountResult:
    ballots = list(ballots)
    names = resolve_candidates(ballots, rules.candidates, rules.excluded)
    require_enough_candidates(names, rules.seats, rules.excluded)
    running = [name for name in names if name not in rules.excluded]
    running_set = set(running)
    totals = dict.fromkeys(running, Decimal(0))
    inactive = dict.fromkeys(map(str, INACTIVE_REASONS), Decimal(0))
    for ballot in ballots:
        votes = ballot.weight * ballot.count
        outcome = read(ballot, running_set)
        if isinstance(outcome, InactiveReason):
            inactive[str(outcome)] += votes
            continue
        for name, amount in outcome.items():
            totals[name] += amount * votes
    record = Round(number=1, tally=totals, inactive=inactive)
    record.elected = most_votes(totals, rules.seats, TieBreaker(rules, names), record)
    return CountResult(
        method=method,
        rules=rules,
        candidates=names,
        winners=record.elected,
        ballots=sum(b.count for b in ballots),
        votes=sum((b.weight * b.count for b in ballots), Decimal(0)),
        rounds=[record],
    )


def most_votes(
    totals: dict[str, Decimal], seats: int, tiebreaker: TieBreaker, record: Round
) -> list[str]:
    """Return the *seats* candidates with most votes, breaking a tie at the last seat."""
    winners: list[str] = []
    remaining = dict(totals)
    while len(winners) < seats and remaining:
        top = max(remaining.values())
        tied = [name for name, votes in remaining.items() if votes == top]
        if len(tied) > seats - len(winners):
            tiebreak = tiebreaker.pick(tied, selecting_winner=True, purpose="election")
            record.tiebreaks.append(tiebreak)
            tied = [tiebreak.chosen]
        for name in tied:
            winners.append(name)
            del remaining[name]
    return winners

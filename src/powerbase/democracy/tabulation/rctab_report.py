"""Our count written in the shape of RCTab's detailed-report JSON, so the two can be diffed.

One report per count (a list of them, one per seat, for sequential IRV, as RCTab writes one file
per pass). Vote amounts are strings; keys are sorted as RCTab's writer sorts them.
"""

from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.record import CountResult, Round
from powerbase.democracy.tabulation.rules import Method

BUCKETS = {
    "exhaustedChoices": "exhausted_choices",
    "overvotes": "overvote",
    "repeatedRankings": "repeated_rankings",
    "skippedRankings": "skipped_rankings",
}


def rctab_report(result: CountResult, contest: str = "") -> dict | list[dict]:
    """Return RCTab's detailed report for *result* (a list of reports for sequential IRV)."""
    if result.method is Method.SEQUENTIAL_IRV:
        return [_report(pass_, contest) for pass_ in result.passes]
    return _report(result, contest)


def _report(result: CountResult, contest: str) -> dict:
    rounds = result.rounds
    last = rounds[-1] if rounds else None
    return {
        "config": {"contest": contest, "generatedBy": "powerbase tally"},
        "jsonFormatVersion": "1",
        "results": [_round(r, result, r is last) for r in rounds],
        "summary": {
            "finalThreshold": format_votes(last.threshold) if last and last.threshold else "0",
            "numCandidates": len(result.candidates),
            "numWinners": len(result.winners),
            "totalNumBallots": str(result.ballots),
            "undervotes": int(rounds[0].inactive.get("undervote", 0)) if rounds else 0,
        },
    }


def _round(round_: Round, result: CountResult, is_last: bool) -> dict:
    inactive = {key: format_votes(round_.inactive.get(ours, 0)) for key, ours in BUCKETS.items()}
    if is_last and result.rules.seats > 1 and result.method is Method.STV:
        inactive["finalRoundSurplus"] = format_votes(round_.final_round_surplus)
    outcomes = [{"elected": name, "transfers": _transfers(round_, name)} for name in round_.elected]
    outcomes += [
        {"eliminated": name, "transfers": _transfers(round_, name)} for name in round_.eliminated
    ]
    return {
        "inactiveBallots": dict(sorted(inactive.items())),
        "round": round_.number,
        "tally": {name: format_votes(votes) for name, votes in sorted(round_.tally.items())},
        "tallyResults": outcomes,
        "threshold": format_votes(round_.threshold) if round_.threshold is not None else "0",
    }


def _transfers(round_: Round, name: str) -> dict:
    return {
        target: format_votes(votes)
        for target, votes in sorted(round_.transfers.get(name, {}).items())
    }

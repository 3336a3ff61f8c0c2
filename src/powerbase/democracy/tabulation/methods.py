"""One entry point for every counting method: `tabulate(method, ballots, rules)`."""

from collections.abc import Callable, Iterable

from powerbase.democracy.tabulation.ballots import Ballot
from powerbase.democracy.tabulation.errors import TabulationError
from powerbase.democracy.tabulation.rcv import bottoms_up, irv, sequential_irv, stv
from powerbase.democracy.tabulation.record import CountResult
from powerbase.democracy.tabulation.rules import DEFAULT_RULES, Method, Rules
from powerbase.democracy.tabulation.schulze import schulze
from powerbase.democracy.tabulation.single_round import approval, plurality, score
from powerbase.democracy.tabulation.threshold import threshold_vote

COUNTERS: dict[Method, Callable[[Iterable[Ballot], Rules], CountResult]] = {
    Method.PLURALITY: plurality,
    Method.APPROVAL: approval,
    Method.THRESHOLD: threshold_vote,
    Method.SCORE: score,
    Method.IRV: irv,
    Method.STV: stv,
    Method.SEQUENTIAL_IRV: sequential_irv,
    Method.BOTTOMS_UP: bottoms_up,
    Method.SCHULZE: schulze,
}


def tabulate(
    method: Method | str, ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES
) -> CountResult:
    """Count *ballots* by *method* under *rules* and return the full record."""
    try:
        counter = COUNTERS[Method(method)]
    except ValueError:
        options = ", ".join(member.value for member in Method)
        raise TabulationError(
            f"'{method}' is not a counting method; choose one of: {options}."
        ) from None
    return counter(ballots, rules)

"""Yes/no/abstain questions decided by a threshold: a majority, two-thirds, 60%, ...

The share is taken of the votes cast (yes + no, plus abstentions when they count) or of the
whole electorate (everyone entitled to vote, so not voting works like voting no). Weighted
ballots (an affiliate's bloc vote) count with their weight; the electorate is then the total
weight of everyone entitled to vote.
"""

from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from powerbase.democracy.tabulation.ballots import OVERVOTE, Ballot
from powerbase.democracy.tabulation.errors import TabulationError
from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.record import INACTIVE_REASONS, CountResult, Round
from powerbase.democracy.tabulation.rules import DEFAULT_RULES, Method, Rules, ShareOf

YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = (YES, NO, ABSTAIN)


def threshold_vote(ballots: Iterable[Ballot], rules: Rules = DEFAULT_RULES) -> CountResult:
    """Decide a yes/no/abstain question; the first marked rank of each ballot is its answer."""
    ballots = list(ballots)
    totals = dict.fromkeys(CHOICES, Decimal(0))
    inactive = dict.fromkeys(map(str, INACTIVE_REASONS), Decimal(0))
    for ballot in ballots:
        votes = ballot.weight * ballot.count
        answer = _answer(ballot)
        if answer in CHOICES:
            totals[answer] += votes
        else:
            inactive[answer] += votes
    base, base_label = _base(totals, rules)
    required = rules.required.share * Fraction(base)
    yes = Fraction(totals[YES])
    passed = base > 0 and (yes > required if rules.required.strictly_more else yes >= required)
    details = {
        "passed": passed,
        "requirement": rules.required.describe(),
        "of": base_label,
        "base": format_votes(base),
        "required_votes": format_votes(_as_decimal(required)),
        "sentence": _sentence(passed, totals[YES], rules, base, base_label, required),
    }
    record = Round(number=1, tally=totals, inactive=inactive, elected=[YES] if passed else [])
    return CountResult(
        method=Method.THRESHOLD,
        rules=rules,
        candidates=list(CHOICES),
        winners=record.elected,
        ballots=sum(b.count for b in ballots),
        votes=sum((b.weight * b.count for b in ballots), Decimal(0)),
        rounds=[record],
        details=details,
    )


def _answer(ballot: Ballot) -> str:
    first = next((mark for mark in ballot.ranks if mark), None)
    if first is None:
        return "undervote"
    if len(first) > 1 or first[0] == OVERVOTE:
        return "overvote"
    answer = first[0].strip().casefold()
    if answer not in CHOICES:
        raise TabulationError(
            f"A yes/no ballot answers '{first[0]}'; the answer must be yes, no or abstain."
        )
    return answer


def _base(totals: dict[str, Decimal], rules: Rules) -> tuple[Decimal, str]:
    if rules.share_of is ShareOf.ELECTORATE:
        assert rules.electorate is not None, "Rules refuses this share without an electorate"
        cast = sum(totals.values(), Decimal(0))
        if cast > rules.electorate:
            raise TabulationError(
                f"{format_votes(cast)} votes were cast but the electorate is "
                f"only {format_votes(rules.electorate)}; check the electorate "
                "size (for weighted votes, the total weight of the electorate)."
            )
        return rules.electorate, "the electorate"
    if rules.abstentions_count:
        return totals[YES] + totals[NO] + totals[ABSTAIN], "votes cast, abstentions included"
    return totals[YES] + totals[NO], "votes cast (yes and no)"


def _as_decimal(amount: Fraction) -> Decimal:
    exact = Decimal(amount.numerator) / Decimal(amount.denominator)
    return exact.quantize(Decimal("0.0001"), rounding=ROUND_CEILING)


def _sentence(passed, yes, rules, base, base_label, required) -> str:
    outcome = "passed" if passed else "did not pass"
    return (
        f"The question {outcome}: {format_votes(yes)} yes of {format_votes(base)} "
        f"({base_label}); it needed {rules.required.describe()}, that is "
        f"{'more than' if rules.required.strictly_more else 'at least'} "
        f"{format_votes(_as_decimal(required))}."
    )

"""The rules of a count: which method, and every option an official ranked-choice tabulator has.

Option names and values follow the `powerbase tally` flags, which follow RCTab's rule names
(overvoteRule, maxSkippedRanksAllowed, maxRankingsAllowed, exhaustOnDuplicateCandidate, ...).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from powerbase.democracy.tabulation.errors import TabulationError


class Method(StrEnum):
    PLURALITY = "plurality"
    APPROVAL = "approval"
    THRESHOLD = "threshold"
    SCORE = "score"
    IRV = "irv"
    STV = "stv"
    SEQUENTIAL_IRV = "sequential-irv"
    BOTTOMS_UP = "bottoms-up"
    SCHULZE = "schulze"


class OvervoteRule(StrEnum):
    EXHAUST_IMMEDIATELY = "exhaust-immediately"
    ALWAYS_SKIP_TO_NEXT_RANK = "always-skip-to-next-rank"
    EXHAUST_IF_MULTIPLE_CONTINUING = "exhaust-if-multiple-continuing"


class RepeatedCandidate(StrEnum):
    SKIP = "skip"
    EXHAUST = "exhaust"


class Quota(StrEnum):
    DROOP = "droop"
    HARE = "hare"


class TiebreakMode(StrEnum):
    CANDIDATE_ORDER = "candidate-order"
    PREVIOUS_ROUND = "previous-round"
    RANDOM = "random"
    PERMUTATION = "permutation"
    PREVIOUS_ROUND_THEN_RANDOM = "previous-round-then-random"


# Tiebreaks that draw from RCTab's seeded generator.
SEEDED = (TiebreakMode.RANDOM, TiebreakMode.PERMUTATION, TiebreakMode.PREVIOUS_ROUND_THEN_RANDOM)


class ShareOf(StrEnum):
    CAST = "cast"
    ELECTORATE = "electorate"


_NAMED_SHARES = {
    "majority": (Fraction(1, 2), True),
    "simple-majority": (Fraction(1, 2), True),
    "two-thirds": (Fraction(2, 3), False),
    "three-fifths": (Fraction(3, 5), False),
    "three-quarters": (Fraction(3, 4), False),
    "unanimous": (Fraction(1), False),
}


@dataclass(frozen=True)
class Requirement:
    """How many yes votes a yes/no question needs: a share, and "more than" or "at least".

    A majority is *more than* half; two-thirds, 60% and other shares are *at least* that share,
    as organizations' bylaws usually word them.
    """

    share: Fraction
    strictly_more: bool = False

    @classmethod
    def parse(cls, text: str) -> "Requirement":
        """Read "majority", "two-thirds", "60%", "3/4", "0.6" or ">1/2" (">" means "more than")."""
        cleaned = text.strip().lower()
        if cleaned in _NAMED_SHARES:
            return cls(*_NAMED_SHARES[cleaned])
        strictly_more = cleaned.startswith(">")
        number = cleaned.lstrip(">").strip()
        try:
            share = (
                Fraction(Decimal(number[:-1])) / 100 if number.endswith("%") else Fraction(number)
            )
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise TabulationError(
                f"'{text}' is not a vote requirement; write majority, two-thirds, a percentage "
                "such as 60%, or a fraction such as 3/4."
            ) from None
        if not 0 < share <= 1:
            raise TabulationError(
                f"The vote requirement '{text}' must be more than 0 and at most the whole (100%)."
            )
        return cls(share, strictly_more)

    def describe(self) -> str:
        """Return e.g. "more than half" or "at least 60%"."""
        words = {
            Fraction(1, 2): "half",
            Fraction(2, 3): "two-thirds",
            Fraction(3, 4): "three-quarters",
            Fraction(1): "all",
        }
        amount = words.get(self.share)
        if amount is None:
            percent = self.share * 100
            amount = (
                f"{percent.numerator}%"
                if percent.denominator == 1
                else f"{self.share.numerator}/{self.share.denominator}"
            )
        return f"{'more than' if self.strictly_more else 'at least'} {amount}"

    def __str__(self) -> str:
        prefix = ">" if self.strictly_more else ""
        return f"{prefix}{self.share.numerator}/{self.share.denominator}"


MAJORITY = Requirement(Fraction(1, 2), strictly_more=True)


@dataclass(frozen=True)
class Rules:
    """Every option of a count. Defaults suit an organization's internal vote.

    `max_skipped_ranks` and `max_rankings` are None for "unlimited". `candidates` is the candidate
    order that tiebreaks use (and the order of the record); None means alphabetical.
    """

    seats: int = 1
    overvote_rule: OvervoteRule = OvervoteRule.EXHAUST_IMMEDIATELY
    max_skipped_ranks: int | None = None
    max_rankings: int | None = None
    repeated_candidate: RepeatedCandidate = RepeatedCandidate.SKIP
    batch_elimination: bool = False
    continue_until_two: bool = False
    quota: Quota = Quota.DROOP
    non_integer_threshold: bool = False
    decimal_places: int = 4
    minimum_vote_threshold: Decimal = Decimal(0)
    excluded: tuple[str, ...] = ()
    candidates: tuple[str, ...] | None = None
    tiebreak: TiebreakMode = TiebreakMode.CANDIDATE_ORDER
    random_seed: int | None = None
    first_round_threshold: bool = False
    stop_after_round: int | None = None
    one_winner_per_round: bool = False
    bottoms_up_percentage: Decimal | None = None
    # Yes/no/abstain questions only.
    required: Requirement = field(default=MAJORITY)
    share_of: ShareOf = ShareOf.CAST
    electorate: Decimal | None = None
    abstentions_count: bool = False

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "overvote_rule", _choice(OvervoteRule, self.overvote_rule, "overvote rule"))
        set_(
            self,
            "repeated_candidate",
            _choice(RepeatedCandidate, self.repeated_candidate, "repeated-candidate rule"),
        )
        set_(self, "quota", _choice(Quota, self.quota, "quota"))
        set_(self, "tiebreak", _choice(TiebreakMode, self.tiebreak, "tiebreak"))
        set_(self, "share_of", _choice(ShareOf, self.share_of, "share-of setting"))
        if isinstance(self.required, str):
            set_(self, "required", Requirement.parse(self.required))
        set_(
            self,
            "minimum_vote_threshold",
            parse_decimal(self.minimum_vote_threshold, "minimum vote threshold"),
        )
        if self.bottoms_up_percentage is not None:
            set_(
                self,
                "bottoms_up_percentage",
                parse_decimal(self.bottoms_up_percentage, "bottoms-up percentage threshold"),
            )
        if self.electorate is not None:
            set_(self, "electorate", parse_decimal(self.electorate, "electorate size"))
        set_(self, "excluded", tuple(self.excluded))
        if self.candidates is not None:
            set_(self, "candidates", tuple(self.candidates))
        self._check()

    def _check(self) -> None:
        _at_least(self.seats, 1, "The number of seats")
        _at_least(self.decimal_places, 0, "The number of decimal places")
        if self.decimal_places > 20:
            raise TabulationError("The number of decimal places must be at most 20.")
        if self.max_skipped_ranks is not None:
            _at_least(self.max_skipped_ranks, 0, "The maximum number of skipped ranks")
        if self.max_rankings is not None:
            _at_least(self.max_rankings, 1, "The maximum number of rankings")
        if self.tiebreak in SEEDED and self.random_seed is None:
            raise TabulationError(
                "A random tiebreak needs a seed, e.g. --tiebreak random:2024, "
                "so that anyone can repeat the count."
            )
        if self.stop_after_round is not None:
            _at_least(self.stop_after_round, 1, "The round to stop after")
        if self.bottoms_up_percentage is not None and not 0 < self.bottoms_up_percentage <= 100:
            raise TabulationError(
                "The bottoms-up percentage threshold must be more than 0 and at most 100."
            )
        if self.share_of is ShareOf.ELECTORATE and (
            self.electorate is None or self.electorate <= 0
        ):
            raise TabulationError(
                "A share of the electorate needs the size of the electorate "
                "(--electorate N), and it must be more than 0."
            )
        if self.candidates is not None:
            duplicates = sorted({n for n in self.candidates if self.candidates.count(n) > 1})
            if duplicates:
                raise TabulationError(f"The candidate list names {', '.join(duplicates)} twice.")

    @staticmethod
    def parse_tiebreak(text: str) -> tuple[TiebreakMode, int | None]:
        """Read "candidate-order", "previous-round" or "random:SEED"."""
        match = re.fullmatch(
            r"(random|permutation|previous-round-then-random):(-?\d+)", text.strip()
        )
        if match:
            return TiebreakMode(match.group(1)), int(match.group(2))
        if text.strip() in SEEDED:
            raise TabulationError(
                f"A {text.strip()} tiebreak needs a seed, e.g. "
                f"{text.strip()}:2024, so that anyone can repeat the count."
            )
        if text.strip() not in (TiebreakMode.CANDIDATE_ORDER, TiebreakMode.PREVIOUS_ROUND):
            raise TabulationError(
                f"'{text}' is not a tiebreak; choose candidate-order, "
                "previous-round, random:SEED, permutation:SEED or "
                "previous-round-then-random:SEED (e.g. random:2024)."
            )
        return TiebreakMode(text.strip()), None

    def to_dict(self) -> dict:
        """Return the rules as plain JSON values, in a fixed key order."""
        return {
            "seats": self.seats,
            "overvote_rule": str(self.overvote_rule),
            "max_skipped_ranks": _or_unlimited(self.max_skipped_ranks),
            "max_rankings": _or_unlimited(self.max_rankings),
            "repeated_candidate": str(self.repeated_candidate),
            "batch_elimination": self.batch_elimination,
            "continue_until_two": self.continue_until_two,
            "quota": str(self.quota),
            "non_integer_threshold": self.non_integer_threshold,
            "decimal_places": self.decimal_places,
            "minimum_vote_threshold": format(self.minimum_vote_threshold, "f"),
            "excluded": list(self.excluded),
            "candidates": None if self.candidates is None else list(self.candidates),
            "tiebreak": (
                f"{self.tiebreak}:{self.random_seed}"
                if self.tiebreak in SEEDED
                else str(self.tiebreak)
            ),
            "first_round_threshold": self.first_round_threshold,
            "stop_after_round": self.stop_after_round,
            "one_winner_per_round": self.one_winner_per_round,
            "bottoms_up_percentage": (
                None
                if self.bottoms_up_percentage is None
                else format(self.bottoms_up_percentage, "f")
            ),
            "required": str(self.required),
            "share_of": str(self.share_of),
            "electorate": None if self.electorate is None else format(self.electorate, "f"),
            "abstentions_count": self.abstentions_count,
        }


def _choice(enum: type[StrEnum], value, what: str):
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(member.value for member in enum)
        raise TabulationError(f"'{value}' is not a {what}; choose one of: {options}.") from None


def parse_decimal(value, what: str) -> Decimal:
    """Read *value* (text or a number) as a number of at least 0; *what* names it in errors."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise TabulationError(f"The {what} must be a number, not '{value}'.") from None
    if not number.is_finite() or number < 0:
        raise TabulationError(f"The {what} must be a number of at least 0, not '{value}'.")
    return number


def _at_least(value, minimum: int, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise TabulationError(
            f"{what} must be a whole number of at least {minimum}, not {value!r}."
        )


def _or_unlimited(value: int | None) -> int | str:
    return "unlimited" if value is None else value


DEFAULT_RULES = Rules()

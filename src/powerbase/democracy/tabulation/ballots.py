"""A ballot as the counting engine sees it: ranked marks, an optional score card, weight, count."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from powerbase.democracy.tabulation.errors import TabulationError

# A rank marked "overvote" without saying which candidates were marked (some scanners do this).
OVERVOTE = "overvote"
UNDERVOTE = "undervote"
# RCTab's pseudo-candidate for every write-in not declared as a candidate.
UNDECLARED_WRITE_INS = "Undeclared Write-ins"
# Names a candidate may not have, because ballot files and the round record use them.
RESERVED_NAMES = frozenset({OVERVOTE, UNDERVOTE, "exhausted", "residual surplus", ""})

_ONE = Decimal(1)

type Mark = tuple[str, ...]
type RankInput = str | None | Iterable[str]


@dataclass(frozen=True, slots=True, init=False)
class Ballot:
    """One ballot (or `count` identical ballots), each worth `weight` votes.

    `ranks` holds one mark per rank, most preferred first. A mark is a tuple of candidate names:
    `()` is a skipped rank, `("Ana",)` a single choice, `("Ana", "Bo")` an overvote, and
    `(OVERVOTE,)` an overvote whose candidates are unknown. The constructor also accepts a
    plain name or None per rank: `Ballot(["Ana", None, ("Bo", "Cy")])`.

    `scores` is used by score voting only: candidate name -> score (a missing name scores 0).
    Yes/no/abstain votes put "yes", "no" or "abstain" in the first rank.
    """

    ranks: tuple[Mark, ...] = ()
    weight: Decimal = Decimal(1)
    count: int = 1
    scores: tuple[tuple[str, Decimal], ...] = ()

    def __init__(
        self,
        ranks: Iterable[RankInput] = (),
        *,
        weight: Decimal | int | str = 1,
        count: int = 1,
        scores: Mapping[str, Decimal | int | str] | None = None,
    ):
        object.__setattr__(self, "ranks", tuple([_mark(rank) for rank in ranks]))
        if weight.__class__ is int and weight == 1:
            object.__setattr__(self, "weight", _ONE)  # the common case, kept cheap
        else:
            object.__setattr__(self, "weight", _non_negative_decimal(weight, "weight"))
        if count.__class__ is not int or count < 0:
            raise TabulationError(
                f"A ballot count must be a whole number of at least 0, not {count!r}."
            )
        object.__setattr__(self, "count", count)
        if scores:
            object.__setattr__(
                self,
                "scores",
                tuple(
                    (name, _non_negative_decimal(value, f"score for {name}"))
                    for name, value in scores.items()
                ),
            )
        else:
            object.__setattr__(self, "scores", ())

    @property
    def score_map(self) -> dict[str, Decimal]:
        """Return the scores as a dict."""
        return dict(self.scores)

    def names(self) -> set[str]:
        """Return every candidate name this ballot mentions (ranks and scores)."""
        named = {name for mark in self.ranks for name in mark if name != OVERVOTE}
        return named | {name for name, _ in self.scores}


def _mark(rank: RankInput) -> Mark:
    if rank.__class__ is str:
        return (rank,) if rank else ()
    if rank is None:
        return ()
    names: list[str] = []
    for name in rank:
        if not isinstance(name, str):
            raise TabulationError(f"A ranked mark must hold candidate names, not {name!r}.")
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _non_negative_decimal(value: Decimal | int | str, what: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise TabulationError(f"A ballot {what} must be a number, not {value!r}.") from None
    if not number.is_finite() or number < 0:
        raise TabulationError(f"A ballot {what} must be a number of at least 0, not {value!r}.")
    return number


def resolve_candidates(
    ballots: Iterable[Ballot], candidates: Iterable[str] | None, excluded: Iterable[str] = ()
) -> list[str]:
    """Return the candidate order: the one given, or every name on the ballots alphabetically.

    Raise TabulationError for a ballot naming someone outside a given list, a reserved name,
    or an excluded name that is not a candidate.
    """
    named: set[str] = set()
    for ballot in ballots:
        named |= ballot.names()
    if candidates is None:
        order = sorted(named, key=lambda name: (name.casefold(), name))
    else:
        order = list(candidates)
        unknown = sorted(named - set(order))
        if unknown:
            raise TabulationError(
                f"A ballot names {_quoted(unknown)}, who {'is' if len(unknown) == 1 else 'are'} "
                f"not among the candidates ({', '.join(order)})."
            )
    reserved = [name for name in order if name.strip().casefold() in RESERVED_NAMES]
    if reserved:
        raise TabulationError(
            f"{_quoted(reserved)} cannot be a candidate's name: the ballot "
            "format and the round record use it."
        )
    stray = sorted(set(excluded) - set(order))
    if stray:
        raise TabulationError(
            f"Cannot exclude {_quoted(stray)}: not among the candidates "
            f"({', '.join(order) or 'none'})."
        )
    return order


def require_enough_candidates(names: Iterable[str], seats: int, excluded: Iterable[str]) -> None:
    """Refuse a count with fewer candidates (after exclusions) than seats."""
    left_out = set(excluded)
    running = [name for name in names if name not in left_out]
    if len(running) < seats:
        raise TabulationError(
            f"There are {len(running)} candidate(s) in the count (after "
            f"exclusions) for {seats} seat(s); there must be at least as many "
            "candidates as seats."
        )


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)

"""The record of a count: every round, what moved where, and why ballots stopped counting.

`CountResult.to_dict()` is the published, JSON-serialisable form. Keys always come in the same
order and vote amounts are strings ("12", "3.5") so that no precision is lost on the way.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from powerbase.democracy.tabulation.fixed_point import format_votes
from powerbase.democracy.tabulation.rules import Method, Rules

EXHAUSTED = "exhausted"
RESIDUAL_SURPLUS = "residual surplus"


class InactiveReason(StrEnum):
    """Why a ballot no longer counts for anyone (RCTab's five inactive-ballot categories)."""

    UNDERVOTE = "undervote"  # nothing ranked, or too many blank ranks at the end
    OVERVOTE = "overvote"  # several candidates at one rank, under a rule that exhausts it
    SKIPPED_RANKINGS = "skipped_rankings"  # more blank ranks in a row than allowed
    REPEATED_RANKINGS = "repeated_rankings"  # a candidate ranked twice, under "exhaust"
    EXHAUSTED_CHOICES = "exhausted_choices"  # every ranked candidate is out of the count


INACTIVE_REASONS = tuple(InactiveReason)


@dataclass
class Tiebreak:
    """A tie the rules had to break: who was tied, who was picked, and on what grounds."""

    purpose: str  # "elimination", "election" or "ranking"
    tied: list[str]
    chosen: str
    explanation: str

    def to_dict(self) -> dict:
        return {
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": self.chosen,
            "explanation": self.explanation,
        }


@dataclass
class Round:
    """One round: the tally, the threshold, the decision, and where the votes then went.

    `transfers` maps each candidate elected or eliminated *in this round* to where their
    ballots went at the start of the next round ("exhausted" for ballots that stopped counting,
    "residual surplus" for fractions lost to rounding). `inactive` is cumulative.
    """

    number: int
    tally: dict[str, Decimal]
    threshold: Decimal | None = None
    inactive: dict[str, Decimal] = field(default_factory=dict)
    residual_surplus: Decimal = Decimal(0)
    # Surplus that moved after the last seat was filled and found no one (RCTab reports it
    # apart from the inactive ballots, as "finalRoundSurplus").
    final_round_surplus: Decimal = Decimal(0)
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    # "lowest", "batch", "below-minimum" or "undeclared-write-ins"
    elimination: str | None = None
    transfers: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    tiebreaks: list[Tiebreak] = field(default_factory=list)

    @property
    def active_votes(self) -> Decimal:
        """Return the votes counting for a candidate this round (winners' kept votes included)."""
        return sum(self.tally.values(), Decimal(0))

    @property
    def inactive_votes(self) -> Decimal:
        return sum(self.inactive.values(), Decimal(0))

    def to_dict(self) -> dict:
        return {
            "round": self.number,
            "threshold": None if self.threshold is None else format_votes(self.threshold),
            "tally": {name: format_votes(votes) for name, votes in self.tally.items()},
            "active_votes": format_votes(self.active_votes),
            "inactive": {reason: format_votes(votes) for reason, votes in self.inactive.items()},
            "inactive_votes": format_votes(self.inactive_votes),
            "residual_surplus": format_votes(self.residual_surplus),
            "final_round_surplus": format_votes(self.final_round_surplus),
            "elected": list(self.elected),
            "eliminated": list(self.eliminated),
            "elimination": self.elimination,
            "transfers": {
                source: {target: format_votes(votes) for target, votes in moves.items()}
                for source, moves in self.transfers.items()
            },
            "tiebreaks": [tiebreak.to_dict() for tiebreak in self.tiebreaks],
        }


@dataclass
class CountResult:
    """The outcome of one count and everything needed to check it by hand."""

    method: Method
    rules: Rules
    candidates: list[str]
    winners: list[str]
    ballots: int
    votes: Decimal
    rounds: list[Round] = field(default_factory=list)
    passes: list["CountResult"] = field(default_factory=list)  # sequential IRV: one per seat
    details: dict = field(default_factory=dict)  # method-specific, already JSON-ready

    @property
    def passed(self) -> bool | None:
        """For a yes/no question, return whether it passed; None for other methods."""
        return self.details.get("passed")

    def to_dict(self) -> dict:
        """Return the whole record as plain JSON values in a stable key order."""
        return {
            "method": str(self.method),
            "seats": self.rules.seats,
            "candidates": list(self.candidates),
            "winners": list(self.winners),
            "ballots": self.ballots,
            "votes": format_votes(self.votes),
            "rules": self.rules.to_dict(),
            "rounds": [round_.to_dict() for round_ in self.rounds],
            "passes": [pass_.to_dict() for pass_ in self.passes],
            "details": self.details,
        }

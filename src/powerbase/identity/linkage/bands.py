"""Three bands by match probability: link without asking, ask a reviewer, or drop the pair."""

from dataclasses import dataclass
from enum import StrEnum


class Band(StrEnum):
    """What to do with a scored pair."""

    AUTO_ACCEPT = "auto_accept"
    REVIEW = "review"
    REJECT = "reject"


@dataclass(frozen=True)
class Thresholds:
    """Probabilities at or above which a pair is auto-accepted, or shown for review."""

    auto_accept: float = 0.95
    review: float = 0.5

    def __post_init__(self):
        if not 0 < self.review <= self.auto_accept <= 1:
            raise ValueError(
                f"Thresholds must satisfy 0 < review <= auto_accept <= 1; got review "
                f"{self.review} and auto_accept {self.auto_accept}."
            )


DEFAULT_THRESHOLDS = Thresholds()


def band(probability: float, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Band:
    """Return the band a pair with match *probability* falls in."""
    if probability >= thresholds.auto_accept:
        return Band.AUTO_ACCEPT
    if probability >= thresholds.review:
        return Band.REVIEW
    return Band.REJECT

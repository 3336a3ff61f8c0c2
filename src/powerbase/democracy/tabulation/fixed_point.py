"""Vote amounts as whole numbers of the smallest unit (10^-decimal_places of a vote).

Counting in integers makes every sum exact and independent of ballot order, and makes the
rounding of surplus transfers explicit: RCTab rounds both the surplus fraction and each
ballot's transferred value *down* to the configured decimal places, and so do we.
"""

from decimal import Decimal

from powerbase.democracy.tabulation.errors import TabulationError


class FixedPoint:
    """Convert between Decimal vote amounts and integer units of 10^-places."""

    def __init__(self, places: int):
        self.places = places
        self.scale = 10**places

    def units(self, amount: Decimal, what: str) -> int:
        """Return *amount* in units; refuse amounts finer than the decimal places allow."""
        scaled = amount.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise TabulationError(
                f"The {what} {amount} has more decimal places than the count uses "
                f"({self.places}); raise the decimal places or round the {what}."
            )
        return int(scaled)

    def units_rounded_up(self, amount: Decimal) -> int:
        """Return the fewest units that are at least *amount* (for "at least N votes" tests)."""
        scaled = amount.scaleb(self.places)
        whole = int(scaled.to_integral_value(rounding="ROUND_CEILING"))
        return whole

    def decimal(self, units: int) -> Decimal:
        """Return *units* as a Decimal amount of votes."""
        return Decimal(units).scaleb(-self.places)


def format_votes(amount: Decimal | int) -> str:
    """Return a vote amount as text without trailing zeros or exponent: "12", "3.5"."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")

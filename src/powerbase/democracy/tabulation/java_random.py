"""java.util.Random, bit for bit: RCTab draws its seeded tiebreaks from it.

A 48-bit linear congruential generator (Knuth, TAOCP 3.2.1), as specified in the Java SE
documentation of java.util.Random, so that a seeded RCTab count breaks its ties here the same way.
"""

_MULTIPLIER = 0x5DEECE66D
_MASK = (1 << 48) - 1


class JavaRandom:
    """The subset of java.util.Random that RCTab uses: nextDouble and nextInt(bound)."""

    def __init__(self, seed: int):
        self.seed = (seed ^ _MULTIPLIER) & _MASK

    def _next(self, bits: int) -> int:
        self.seed = (self.seed * _MULTIPLIER + 0xB) & _MASK
        value = self.seed >> (48 - bits)
        return value - (1 << 32) if value >= 1 << 31 else value  # Java's signed int

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * 2.0**-53

    def next_int(self, bound: int) -> int:
        if bound <= 0:
            raise ValueError("bound must be positive")
        value = self._next(31)
        if bound & (bound - 1) == 0:  # a power of two
            return (bound * value) >> 31
        while value - (result := value % bound) + (bound - 1) >= 1 << 31:
            value = self._next(31)  # Java's int overflow test rejects the biased tail
        return result

    def shuffle(self, items: list) -> list:
        """Shuffle *items* in place as java.util.Collections.shuffle(list, random) does."""
        for i in range(len(items), 1, -1):
            j = self.next_int(i)
            items[i - 1], items[j] = items[j], items[i - 1]
        return items

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


def java_string_hash(text: str) -> int:
    """Return Java's String.hashCode() of *text* (over UTF-16 code units, 32-bit)."""
    value = 0
    for unit in _utf16_units(text):
        value = (31 * value + unit) & 0xFFFFFFFF
    return value


def java_hash_set_order(names: list[str]) -> list[str]:
    """Return *names* in the order `new HashSet<>(names)` iterates them in Java.

    RCTab's previous-round tiebreak narrows the tied candidates through a HashSet, and its
    random fall-back draws from the list in that order, so the order decides the draw.
    A HashMap table holds max(n / 0.75 + 1, 16) buckets rounded up to a power of two; a name
    goes to bucket (h ^ (h >>> 16)) & (buckets - 1); buckets are walked in index order and
    each keeps insertion order.
    """
    wanted = max(int(len(names) / 0.75) + 1, 16)
    buckets = 1
    while buckets < wanted:
        buckets *= 2
    placed: dict[int, list[str]] = {}
    for name in dict.fromkeys(names):
        code = java_string_hash(name)
        placed.setdefault((code ^ (code >> 16)) & (buckets - 1), []).append(name)
    return [name for index in sorted(placed) for name in placed[index]]


def _utf16_units(text: str):
    encoded = text.encode("utf-16-le")
    for i in range(0, len(encoded), 2):
        yield encoded[i] | (encoded[i + 1] << 8)

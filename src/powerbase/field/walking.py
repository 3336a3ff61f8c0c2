"""Walking order: how a universe's doors become turfs a canvasser can walk.

    runs = cut(doors, size=40)      # doors from `universes.doors`, cut into turfs in order

1. Street names are standardised first (`imports.addresses.standard_street_name`: "Albany Ave"
   and "Albany Avenue" are one street), and two doors that are one address written two ways
   become one door.
2. A street's doors stay together: a turf closes before a street that would not fit, and a
   street is split only when it alone holds more doors than a turf, then into blocks in
   house-number order (1-40, 41-80 ...), never one side in one turf and the other in the next.
3. Within a precinct (a turf never crosses one) streets follow each other by proximity where
   the voter file gives coordinates (from the street farthest out, always the nearest street
   not yet walked), else by name.
4. Along a street (or a block of it) the odd side goes up and the even side comes back down,
   so the canvasser walks a loop; doors without a house number come last.
"""

import math
from dataclasses import dataclass, field

from powerbase.imports.addresses import standard_street_name


@dataclass
class Street:
    """One street of one precinct and its doors."""

    precinct: str
    name: str
    doors: list[dict] = field(default_factory=list)

    @property
    def centre(self) -> tuple[float, float] | None:
        """The mean of its doors' coordinates, or None when no door has any."""
        placed = [
            (door["latitude"], door["longitude"])
            for door in self.doors
            if door.get("latitude") is not None and door.get("longitude") is not None
        ]
        if not placed:
            return None
        return (
            sum(lat for lat, _ in placed) / len(placed),
            sum(lon for _, lon in placed) / len(placed),
        )


def cut(doors: list[dict], size: int) -> list[list[dict]]:
    """Return *doors* cut into turfs of at most *size* doors, each in walking order."""
    runs: list[list[dict]] = []
    for precinct in _precincts(standardise(doors)):
        current: list[dict] = []
        for street in order_streets(precinct):
            for block in blocks(street, size):
                if current and len(current) + len(block) > size:
                    runs.append(current)
                    current = []
                current.extend(block)
        if current:
            runs.append(current)
    return runs


def standardise(doors: list[dict]) -> list[dict]:
    """Return *doors* with standard street names, merging doors that are one address."""
    merged: dict[tuple, dict] = {}
    for door in doors:
        street = standard_street_name(door["street"] or "")
        address = _standard_address(door["address"], door["street"] or "", street)
        key = (door["precinct"], address, door["zip"])
        if key in merged:
            kept = merged[key]
            kept["voters"] = sorted(
                [*kept["voters"], *door["voters"]],
                key=lambda voter: (voter["name"] or "", voter["voter_id"]),
            )
            continue
        merged[key] = {**door, "street": street, "address": address, "voters": list(door["voters"])}
    return list(merged.values())


def _standard_address(address: str, street: str, standard: str) -> str:
    """Put the standard street name in place of the written one, keeping number and unit."""
    upper = address.upper()
    start = upper.find(street.upper()) if street else -1
    if start < 0:
        return " ".join(upper.split())
    return " ".join(f"{upper[:start]} {standard} {upper[start + len(street) :]}".split())


def _precincts(doors: list[dict]) -> list[list[Street]]:
    """Group doors into streets, and streets into precincts in natural order."""
    streets: dict[tuple[str, str], Street] = {}
    for door in doors:
        key = (door["precinct"], door["street"])
        streets.setdefault(key, Street(*key)).doors.append(door)
    by_precinct: dict[str, list[Street]] = {}
    for (precinct, _), street in sorted(streets.items()):
        by_precinct.setdefault(precinct, []).append(street)
    return [by_precinct[code] for code in sorted(by_precinct, key=lambda c: (len(c), c))]


def order_streets(streets: list[Street]) -> list[Street]:
    """Return *streets* by proximity where they have coordinates, the others after by name."""
    # (street, centre) pairs: a street's centre is worked out once.
    placed = [(street, centre) for street in streets if (centre := street.centre) is not None]
    unplaced = sorted(
        (street for street in streets if street.centre is None), key=lambda street: street.name
    )
    if not placed:
        return unplaced
    middle = (
        sum(centre[0] for _, centre in placed) / len(placed),
        sum(centre[1] for _, centre in placed) / len(placed),
    )
    # Start at an edge (the street farthest from the middle), then always the nearest next.
    current = max(placed, key=lambda pair: (_distance(pair[1], middle), pair[0].name))
    ordered, left = [current], [pair for pair in placed if pair is not current]
    while left:
        current = min(left, key=lambda pair: (_distance(pair[1], current[1]), pair[0].name))
        ordered.append(current)
        left.remove(current)
    return [street for street, _ in ordered] + unplaced


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in degrees of latitude: fine for ranking streets a few blocks apart."""
    across = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(a[0] - b[0], across)


def blocks(street: Street, size: int) -> list[list[dict]]:
    """Return *street*'s doors as one loop, or, when it holds more than *size*, as blocks of
    near-equal size in house-number order, each walked as a loop."""
    numbered = sorted(
        (door for door in street.doors if door["house_number"] is not None),
        key=lambda door: (door["house_number"], door["address"]),
    )
    unnumbered = sorted(
        (door for door in street.doors if door["house_number"] is None),
        key=lambda door: door["address"],
    )
    doors = numbered + unnumbered
    count = math.ceil(len(doors) / size)
    cuts = [round(index * len(doors) / count) for index in range(count + 1)]
    return [_loop(doors[start:end]) for start, end in zip(cuts, cuts[1:], strict=False)]


def _loop(doors: list[dict]) -> list[dict]:
    """Odd side up, even side back down, then doors without a house number."""
    odd = [door for door in doors if door["side"] == "odd"]
    even = [door for door in doors if door["side"] == "even"]
    rest = [door for door in doors if door["side"] not in ("odd", "even")]
    return odd + even[::-1] + rest

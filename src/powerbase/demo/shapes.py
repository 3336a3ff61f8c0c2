"""Fictional district boundaries for the demo's fictional state, so the power map is drawn.

Not any real place: a jittered grid of 151 house districts numbered along a snake, so that
consecutive districts touch; the senate and congressional districts are the unions of the
house districts the demo voter file gives them (contiguous ranges of numbers, see
`voters._registration`). They are loaded as GeoJSON through the same service as
`powerbase districts shapes`, named "(fictional)".
"""

import json
import random
from collections import Counter

from powerbase.core import access
from powerbase.core.models import Organization
from powerbase.demo.voters import CONGRESSIONAL_DISTRICTS, HOUSE_DISTRICTS, SENATE_DISTRICTS
from powerbase.power import services as power

COLUMNS = 14
ROWS = -(-HOUSE_DISTRICTS // COLUMNS)
WEST, NORTH, CELL = -72.9, 41.9, 0.1  # made-up degrees; the grid is squeezed like a map
JITTER = 0.3  # of a cell, each inner grid corner moved at most this much


def load_shapes_demo(state: Organization) -> None:
    """Load the fictional house, senate and congressional boundaries into *state*."""
    cells = house_cells()
    senate = {n: (n - 1) * SENATE_DISTRICTS // HOUSE_DISTRICTS + 1 for n in cells}
    congress = {
        n: (s - 1) * CONGRESSIONAL_DISTRICTS // SENATE_DISTRICTS + 1 for n, s in senate.items()
    }
    for kind, label, owner in (
        ("state_house", "House", {n: n for n in cells}),
        ("state_senate", "Senate", senate),
        ("congressional", "Congressional", congress),
    ):
        power.load_shapes(
            actor=access.system(state),
            kind=kind,
            file_name=f"fictional_{kind}_districts.geojson",
            content=_geojson(cells, owner, label),
        )


def house_cells() -> dict[int, list[tuple[int, int]]]:
    """Return house district -> the grid corners of its cell, clockwise from the top left."""
    cells = {}
    for n in range(1, HOUSE_DISTRICTS + 1):
        row, column = divmod(n - 1, COLUMNS)
        if row % 2:  # a snake: each row runs back, so district n touches n + 1
            column = COLUMNS - 1 - column
        cells[n] = [(column, row), (column + 1, row), (column + 1, row + 1), (column, row + 1)]
    return cells


def _geojson(cells: dict, owner: dict[int, int], label: str) -> bytes:
    corners = _jittered_corners()
    groups: dict[int, list] = {}
    for house, cell in cells.items():
        groups.setdefault(owner[house], []).append(cell)
    features = [
        {
            "type": "Feature",
            "properties": {"district": str(code), "name": f"{label} District {code} (fictional)"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[list(corners[point]) for point in ring]] for ring in _outline(group)
                ],
            },
        }
        for code, group in sorted(groups.items())
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _jittered_corners() -> dict[tuple[int, int], tuple[float, float]]:
    rng = random.Random(151)
    corners = {}
    for column in range(COLUMNS + 1):
        for row in range(ROWS + 1):
            inner = 0 < column < COLUMNS and 0 < row < ROWS
            dx, dy = (
                (rng.uniform(-JITTER, JITTER), rng.uniform(-JITTER, JITTER))
                if inner
                else (0.0, 0.0)
            )
            corners[(column, row)] = (
                round(WEST + (column + dx) * CELL, 5),
                round(NORTH - (row + dy) * CELL * 0.75, 5),
            )
    return corners


def _outline(cells: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Return the closed rings around a group of grid cells: the edges only one cell has,
    chained end to end (so a senate district is drawn without its house lines)."""
    edges = [(cell[n], cell[(n + 1) % 4]) for cell in cells for n in range(4)]
    shared = Counter(frozenset(edge) for edge in edges)
    following = {}
    for start, end in edges:
        if shared[frozenset((start, end))] == 1:
            following.setdefault(start, []).append(end)
    rings = []
    while following:
        first = next(iter(following))
        ring, point = [first], first
        while point != first or len(ring) == 1:
            ends = following[point]
            end = ends.pop()
            if not ends:
                del following[point]
            ring.append(end)
            point = end
        rings.append(ring)
    return rings

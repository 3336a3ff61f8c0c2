"""District boundaries read from GeoJSON or ESRI shapefiles, simplified for drawing.

Django-free. The Census Bureau's TIGER/Line files are the usual source: a .zip holding
.shp/.shx/.dbf/.prj, one record per district, the district in a field named after the
chamber (SLDLST for a state house, SLDUST for a state senate, CD119FP and the like for
congress), GEOID and NAMELSAD ("State House District 94").

    shapes = read_shapes("tl_2024_09_sldl.zip", content)          # kind found from the fields
    shapes = read_shapes("districts.geojson", content, kind="state_senate")

Coordinates must be longitude and latitude (TIGER's NAD83, or WGS 84 as GeoJSON requires):
the map projects them itself.
"""

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field

import shapefile

from powerbase.core.exceptions import InvalidInput

SHAPE_KINDS = ("state_house", "state_senate", "congressional")
# The field holding the district, per kind, as TIGER/Line names it; then generic names.
CODE_FIELDS = {
    "state_house": ("SLDLST",),
    "state_senate": ("SLDUST",),
    "congressional": ("CD119FP", "CD118FP", "CD117FP", "CD116FP", "CDFP"),
}
GENERIC_CODE_FIELDS = ("district", "DISTRICT", "code", "CODE", "District")
NAME_FIELDS = ("NAMELSAD", "name", "NAME", "Name")
TOLERANCE = 1 / 1500  # of the widest side of the whole file: finer than a drawn pixel
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Shape:
    """One district's boundary: rings of (longitude, latitude), outer and holes alike."""

    code: str
    name: str = ""
    geoid: str = ""
    rings: list[list[tuple[float, float]]] = field(default_factory=list)

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for ring in self.rings for x, _ in ring]
        ys = [y for ring in self.rings for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)


def read_shapes(file_name: str, content: bytes, kind: str | None = None) -> tuple[str, list]:
    """Return (kind, shapes) read from a GeoJSON file, a .zip of a shapefile or a bare .shp.

    *kind* None finds it from the file's fields (SLDLST, SLDUST, CDnnnFP). Raises InvalidInput
    naming the file, the record and the field when the file cannot be used.
    """
    if kind is not None and kind not in SHAPE_KINDS:
        raise InvalidInput(
            f"'{kind}' is not a kind of district with boundaries; kinds: {', '.join(SHAPE_KINDS)}."
        )
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"{file_name} is larger than {MAX_BYTES // 2**20} MB.")
    lower = file_name.lower()
    if lower.endswith((".geojson", ".json")):
        kind, shapes = _read_geojson(file_name, content, kind)
    elif lower.endswith(".zip"):
        kind, shapes = _read_zip(file_name, content, kind)
    elif lower.endswith(".shp"):
        kind, shapes = _read_shapefile(file_name, io.BytesIO(content), None, None, kind)
    else:
        raise InvalidInput(
            f"{file_name} is neither GeoJSON (.geojson, .json) nor a shapefile "
            f"(.zip with .shp, .dbf and .prj, as the Census Bureau ships them)."
        )
    if not shapes:
        raise InvalidInput(f"{file_name} holds no district with a boundary.")
    _check_degrees(file_name, shapes)
    return kind, simplify_all(shapes)


# Shapefiles ---------------------------------------------------------------------------------


def _read_zip(file_name: str, content: bytes, kind: str | None) -> tuple[str, list[Shape]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise InvalidInput(f"{file_name} is not a readable .zip file.") from None
    members = {
        name.lower().rsplit(".", 1)[-1]: name
        for name in archive.namelist()
        if "." in name and not name.startswith("__MACOSX")
    }
    for needed in ("shp", "dbf"):
        if needed not in members:
            raise InvalidInput(
                f"{file_name} has no .{needed} file inside; a shapefile needs "
                f"its .shp (shapes) and .dbf (district numbers)."
            )
    prj = archive.read(members["prj"]).decode("latin-1") if "prj" in members else ""
    if prj.lstrip().upper().startswith("PROJCS"):
        raise InvalidInput(
            f"{file_name} is in projected coordinates ({members['prj']}); "
            f"save it in longitude/latitude (EPSG:4269 or 4326) first."
        )
    shx = io.BytesIO(archive.read(members["shx"])) if "shx" in members else None
    return _read_shapefile(
        file_name,
        io.BytesIO(archive.read(members["shp"])),
        io.BytesIO(archive.read(members["dbf"])),
        shx,
        kind,
    )


def _read_shapefile(file_name, shp, dbf, shx, kind) -> tuple[str, list[Shape]]:
    if dbf is None:
        raise InvalidInput(
            f"{file_name} is a bare .shp: upload the .zip with its .dbf, which "
            f"holds the district numbers."
        )
    try:
        reader = shapefile.Reader(
            shp=shp, dbf=dbf, shx=shx, encoding="utf-8", encodingErrors="replace"
        )
        names = [f[0] for f in reader.fields[1:]]
        kind, code_field = _code_field(file_name, names, kind)
        shapes = []
        for number, item in enumerate(reader.iterShapeRecords(), start=1):
            record = item.record.as_dict()
            shapes.append(
                _shape(
                    file_name, f"record {number}", record, code_field, _shapefile_rings(item.shape)
                )
            )
    except shapefile.ShapefileException as error:
        raise InvalidInput(f"{file_name} is not a readable shapefile: {error}.") from None
    return kind, [shape for shape in shapes if shape is not None]


def _shapefile_rings(shape) -> list[list[tuple[float, float]]]:
    points = [(float(x), float(y)) for x, y, *_ in shape.points]
    starts = [*shape.parts, len(points)] if points else []
    return [points[a:b] for a, b in zip(starts, starts[1:], strict=False)]


# GeoJSON ------------------------------------------------------------------------------------


def _read_geojson(file_name: str, content: bytes, kind: str | None) -> tuple[str, list[Shape]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{file_name} is not JSON: {error}.") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InvalidInput(f"{file_name} is not a GeoJSON FeatureCollection (no 'features').")
    names = sorted(
        {
            key
            for feature in features
            if isinstance(feature, dict)
            for key in (feature.get("properties") or {})
        }
    )
    kind, code_field = _code_field(file_name, names, kind)
    shapes = []
    for number, feature in enumerate(features, start=1):
        geometry = (feature or {}).get("geometry") or {}
        shapes.append(
            _shape(
                file_name,
                f"feature {number}",
                feature.get("properties") or {},
                code_field,
                _geojson_rings(file_name, number, geometry),
            )
        )
    return kind, [shape for shape in shapes if shape is not None]


def _geojson_rings(file_name: str, number: int, geometry: dict) -> list:
    # Whatever a file holds under "type" (even nothing) is named in the message below.
    kind, coordinates = str(geometry.get("type")), geometry.get("coordinates") or []
    polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(kind)
    if polygons is None:
        raise InvalidInput(
            f"{file_name}, feature {number}: the geometry is a {kind}, not a "
            f"Polygon or MultiPolygon."
        )
    try:
        return [
            [(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon
        ]
    except (TypeError, ValueError, IndexError):
        raise InvalidInput(
            f"{file_name}, feature {number}: the coordinates are not pairs of numbers."
        ) from None


# Both ---------------------------------------------------------------------------------------


def _code_field(file_name: str, names: list[str], kind: str | None) -> tuple[str, str]:
    """Return (kind, the field holding the district code)."""
    kinds = [kind] if kind else list(SHAPE_KINDS)
    for candidate in kinds:
        for name in CODE_FIELDS[candidate]:
            if name in names:
                return candidate, name
    generic = next((name for name in GENERIC_CODE_FIELDS if name in names), None)
    if generic and kind:
        return kind, generic
    wanted = ", ".join(f for k in kinds for f in CODE_FIELDS[k])
    raise InvalidInput(
        f"{file_name} has no district field: expected one of {wanted} (TIGER/Line) or "
        f"'district'{'' if kind else ' with --kind'}; its fields are "
        f"{', '.join(names) or 'none'}."
    )


def _shape(file_name: str, where: str, record: dict, code_field: str, rings) -> Shape | None:
    code = normal_code(record.get(code_field))
    if code is None:
        raise InvalidInput(f"{file_name}, {where}: the field {code_field} is empty.")
    if code.upper() in ("ZZZ", "ZZ"):  # TIGER: water and land in no district
        return None
    rings = [ring for ring in rings if len(ring) >= 3]
    if not rings:
        return None
    name = next((str(record[f]).strip() for f in NAME_FIELDS if record.get(f)), "")
    return Shape(code=code, name=name[:200], geoid=str(record.get("GEOID") or "")[:20], rings=rings)


def normal_code(value) -> str | None:
    """Return a district code as the voter file writes it: '007' -> '7', 'A1' stays."""
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return str(int(float(text)))
    return text or None


def _check_degrees(file_name: str, shapes: list[Shape]) -> None:
    for shape in shapes:
        west, south, east, north = shape.bounds()
        if west < -180 or east > 180 or south < -90 or north > 90:
            raise InvalidInput(
                f"{file_name}: district {shape.code} has coordinates outside "
                f"longitude/latitude ({west:.0f}, {south:.0f}); save the file "
                f"in EPSG:4269 or 4326 first."
            )


# Simplification -----------------------------------------------------------------------------


def simplify_all(shapes: list[Shape]) -> list[Shape]:
    """Simplify every ring (Douglas-Peucker) to a tolerance relative to the whole file."""
    bounds = [shape.bounds() for shape in shapes]
    width = max(b[2] for b in bounds) - min(b[0] for b in bounds)
    height = max(b[3] for b in bounds) - min(b[1] for b in bounds)
    tolerance = max(width, height) * TOLERANCE
    for shape in shapes:
        kept = [simplify(ring, tolerance) for ring in shape.rings]
        shape.rings = [
            [(round(x, 5), round(y, 5)) for x, y in ring] for ring in kept if len(ring) >= 4
        ] or [[(round(x, 5), round(y, 5)) for x, y in shape.rings[0]]]
    return shapes


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Return *points* without those closer than *tolerance* to the line kept around them."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for n in range(first + 1, last):
            d = _distance(points[n], points[first], points[last])
            if d > distance:
                farthest, distance = n, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


# Drawing ------------------------------------------------------------------------------------


def draw(shapes: list[tuple[str, list]], width: int = 800) -> dict:
    """Return the SVG geometry of *shapes* ((code, rings) each): {"width", "height",
    "paths": {code: path data}}.

    An equirectangular projection squeezed by the cosine of the middle latitude: true enough
    at the scale of one state, with no map library.
    """
    points = [point for _, rings in shapes for ring in rings for point in ring]
    if not points:
        return {"width": width, "height": 0, "paths": {}}
    west, east = min(x for x, _ in points), max(x for x, _ in points)
    south, north = min(y for _, y in points), max(y for _, y in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * squeeze, north - south, 1e-9)
    scale = width / span
    height = math.ceil((north - south) * scale)
    real_width = math.ceil((east - west) * squeeze * scale)
    paths = {}
    for code, rings in shapes:
        parts = []
        for ring in rings:
            drawn = " ".join(
                f"{(x - west) * squeeze * scale:.1f},{(north - y) * scale:.1f}" for x, y in ring
            )
            parts.append(f"M{drawn}Z")
        paths[code] = "".join(parts)
    return {"width": max(real_width, 1), "height": max(height, 1), "paths": paths}

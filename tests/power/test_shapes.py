"""District boundaries: read from TIGER/Line shapefiles and GeoJSON, drawn on the power map."""

import io
import json
import zipfile

import pytest
import shapefile
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.core.exceptions import InvalidInput
from powerbase.power import services
from powerbase.power.models import DistrictShape
from powerbase.power.shapes import read_shapes, simplify
from tests.conftest import act

WGS84 = (
    'GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID['
    '"GRS_1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",'
    "0.017453292519943295]]"
)


def square(west: float, south: float, size: float = 0.1, steps: int = 20) -> list:
    """A closed square ring, clockwise as shapefiles draw outer rings, with many points on
    each side (which simplification removes)."""
    side = [n * size / steps for n in range(steps)]
    ring = (
        [(west, south + d) for d in side]
        + [(west + d, south + size) for d in side]
        + [(west + size, south + size - d) for d in side]
        + [(west + size - d, south) for d in side]
    )
    return [*ring, ring[0]]


def tiger_zip(field: str = "SLDLST", prj: str = WGS84) -> bytes:
    """A state house district file as the Census Bureau ships it (tl_2024_09_sldl.zip):
    STATEFP, SLDLST ('001'), GEOID, NAMELSAD, polygons in NAD83 longitude/latitude."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    for name in ("STATEFP", field, "GEOID", "NAMELSAD"):
        writer.field(name, "C", size=60)
    # TIGER's "ZZZ" is water in no district: skipped.
    for n, (code, west) in enumerate([("001", -73.0), ("002", -72.9), ("ZZZ", -72.8)], start=1):
        writer.poly([square(west, 41.5)])
        writer.record("09", code, f"09{code}", f"State House District {n}")
    writer.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for suffix, data in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            out.writestr(f"tl_2024_09_sldl.{suffix}", data.getvalue())
        out.writestr("tl_2024_09_sldl.prj", prj)
    return archive.getvalue()


def test_a_tiger_shapefile_gives_each_district_its_simplified_boundary():
    kind, shapes = read_shapes("tl_2024_09_sldl.zip", tiger_zip())
    assert kind == "state_house"
    assert [(s.code, s.name, s.geoid) for s in shapes] == [
        ("1", "State House District 1", "09001"),
        ("2", "State House District 2", "09002"),
    ]
    assert len(shapes[0].rings[0]) == 5  # a square's four corners, closed; 81 points read
    assert shapes[0].bounds() == pytest.approx((-73.0, 41.5, -72.9, 41.6))


def test_the_kind_is_found_from_the_senate_and_congress_fields():
    assert read_shapes("sldu.zip", tiger_zip("SLDUST"))[0] == "state_senate"
    assert read_shapes("cd.zip", tiger_zip("CD119FP"))[0] == "congressional"


def test_geojson_reads_polygons_and_multipolygons():
    ring = [list(p) for p in square(-72.5, 41.0)]
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"district": "7", "name": "Seventh"},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                },
                {
                    "type": "Feature",
                    "properties": {"district": "8"},
                    "geometry": {"type": "MultiPolygon", "coordinates": [[ring], [ring]]},
                },
            ],
        }
    ).encode()
    kind, shapes = read_shapes("senate.geojson", content, kind="state_senate")
    assert kind == "state_senate"
    assert [(s.code, len(s.rings)) for s in shapes] == [("7", 1), ("8", 2)]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("roster.csv", b"a,b\n", "neither GeoJSON"),
        ("districts.zip", b"not a zip", "not a readable .zip"),
        ("tl.zip", tiger_zip(prj='PROJCS["NAD_1983_StatePlane"]'), "projected coordinates"),
        ("tl.zip", tiger_zip(field="WARD"), "no district field: expected one of SLDLST"),
        ("x.geojson", b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (
            "x.geojson",
            json.dumps(
                {
                    "features": [
                        {
                            "properties": {"district": "1"},
                            "geometry": {"type": "Point", "coordinates": [1, 2]},
                        }
                    ]
                }
            ).encode(),
            "feature 1: the geometry is a Point",
        ),
    ],
)
def test_a_wrong_file_is_refused_with_a_sentence(name, content, says):
    with pytest.raises(InvalidInput, match=says):
        read_shapes(name, content, kind="state_house" if name.endswith("json") else None)


def test_simplify_keeps_the_corners_of_a_straight_sided_shape():
    assert simplify(square(0, 0, 1, 10), 0.001) == [(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]


def test_the_command_loads_shapes_and_the_map_draws_them_as_links(
    client, viewer, organizer, nutmeg, linked_base, tmp_path
):
    from powerbase.cli.main import app

    path = tmp_path / "tl_2024_09_sldl.zip"
    path.write_bytes(tiger_zip())
    result = CliRunner().invoke(app, ["districts", "shapes", str(path), "--org", nutmeg.slug])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 state_house district boundaries" in result.output
    assert DistrictShape.objects.filter(organization=nutmeg).count() == 2
    client.force_login(viewer)
    page = client.get(reverse("power:map", kwargs={"org": nutmeg.slug})).content.decode()
    assert page.count('<path class="shade-') == 2
    assert 'class="district-map"' in page and "/power/districts/" in page
    assert "State House District" in page or "1: " in page


def test_a_wrong_file_loads_nothing_from_the_command(nutmeg, tmp_path):
    from powerbase.cli.main import app

    path = tmp_path / "roster.csv"
    path.write_text("a,b\n")
    result = CliRunner().invoke(app, ["districts", "shapes", str(path), "--org", nutmeg.slug])
    assert result.exit_code == 1
    assert "neither GeoJSON" in result.output and "Nothing was loaded" in result.output


def test_loading_needs_the_voter_file_permission(viewer, nutmeg):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.load_shapes(actor=act(viewer, nutmeg), file_name="tl.zip", content=tiger_zip())


def test_a_map_without_shapes_says_how_to_load_them(client, viewer, nutmeg, linked_base):
    client.force_login(viewer)
    page = client.get(reverse("power:map", kwargs={"org": nutmeg.slug})).content.decode()
    assert "powerbase districts shapes FILE" in page


def test_the_demo_draws_every_fictional_district_once(nutmeg):
    from powerbase.demo.shapes import load_shapes_demo

    load_shapes_demo(nutmeg)
    shapes = DistrictShape.objects.filter(organization=nutmeg)
    counts = {
        kind: shapes.filter(district_kind=kind).count()
        for kind in ("state_house", "state_senate", "congressional")
    }
    assert counts == {"state_house": 151, "state_senate": 36, "congressional": 5}
    senate = shapes.get(district_kind="state_senate", district_code="1")
    assert senate.name == "Senate District 1 (fictional)"
    assert len(senate.rings) == 1  # drawn as one outline, without its house districts' lines

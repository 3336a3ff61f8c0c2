"""How addresses become doors and doors become turfs: house numbers, streets and units parsed
in DuckDB, and the split into turfs (a property test)."""

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powerbase.field.services import _split
from powerbase.field.universes import HOUSE_NUMBER_SQL, STREET_SQL


@pytest.mark.parametrize("address, number, street", [
    ("118 Orange Street", 118, "ORANGE STREET"),
    ("45 Chapel Street 2R", 45, "CHAPEL STREET"),
    ("12 MAIN ST APT 3", 12, "MAIN ST"),
    ("12 Main St Apt. 3B", 12, "MAIN ST"),
    ("9 Howe St #4", 9, "HOWE ST"),
    ("7B Elm St", 7, "ELM ST"),
    ("1401-1403 Blue Hills Ave", 1401, "BLUE HILLS AVE"),
    ("3 Route 9", 3, "ROUTE 9"),
    ("General Delivery", None, "GENERAL DELIVERY"),
])
def test_an_address_gives_its_house_number_and_street(address, number, street):
    con = duckdb.connect()
    found = con.execute(f"SELECT {HOUSE_NUMBER_SQL}, {STREET_SQL} "  # noqa: S608
                        "FROM (SELECT ? AS address) v", [address]).fetchall()[0]
    assert found == (number, street)


doors = st.lists(st.tuples(st.sampled_from(["P1", "P2", "P3"]),
                           st.sampled_from(["ELM ST", "OAK AVE", "MAIN ST"])), max_size=200)


@given(doors, st.integers(min_value=5, max_value=60))
def test_turfs_keep_every_door_in_order_within_one_precinct_and_near_the_size(rows, size):
    ordered = [{"precinct": precinct, "street": street, "n": n}
               for n, (precinct, street) in enumerate(sorted(rows))]
    turfs = _split(ordered, size)
    assert [door for turf in turfs for door in turf] == ordered
    for turf in turfs:
        assert 0 < len(turf) <= size
        assert len({door["precinct"] for door in turf}) == 1
    # A turf closes early only at a precinct line or a street corner.
    for turf, following in zip(turfs, turfs[1:], strict=False):
        if len(turf) < size and turf[-1]["precinct"] == following[0]["precinct"]:
            assert turf[-1]["street"] != following[0]["street"]

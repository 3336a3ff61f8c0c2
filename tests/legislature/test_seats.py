"""Officials reach the voter-file district of their seat, whatever kind of seat it is: state
house and senate, congressional, a council's wards, county commission, school board, a mayor's
municipality; the real CT legislators (Open States, read in place) all find theirs."""

import pytest

from powerbase.legislature import services
from powerbase.legislature.models import Chamber, Official
from powerbase.legislature.seats import code_variants, district_number, seat_kind
from powerbase.voterfile.models import District, VoterFileVersion
from tests.legislature.conftest import shared_openstates


@pytest.mark.parametrize(
    ("chamber", "office", "kind"),
    [
        (Chamber.LOWER, "State Representative", "state_house"),
        (Chamber.UPPER, "State Senator", "state_senate"),
        (Chamber.OTHER, "U.S. Representative", "congressional"),
        (Chamber.OTHER, "Representative in Congress", "congressional"),
        (Chamber.COUNCIL, "Alder, Ward 7", "ward"),
        (Chamber.COUNCIL, "", "ward"),
        (Chamber.OTHER, "County Commissioner, District 1", "county_commission"),
        (Chamber.OTHER, "County Board of Education, District 2", "school_board"),
        (Chamber.OTHER, "Superior Court Judge", "superior_court"),
        (Chamber.EXECUTIVE, "Mayor", "municipality"),
        (Chamber.EXECUTIVE, "Governor", None),
    ],
)
def test_the_kind_of_district_comes_from_the_office_or_the_chamber(chamber, office, kind):
    assert seat_kind(chamber=chamber, office=office) == kind


def test_a_district_number_may_be_written_as_the_office_writes_it():
    assert district_number("Ward 7") == "7"
    assert district_number("", "Alder, Ward 7") == "7"
    assert district_number("District 02") == "02"
    assert code_variants("07") == {"07", "7", "007"}


@pytest.fixture
def nc_districts(nutmeg):
    """Districts as an NC voter file names them: statewide numbers, and local districts
    numbered within each county (Durham is county 32, Wake 92)."""
    version = VoterFileVersion.objects.create(
        organization=nutmeg, number=1, file_name="x.duckdb", layout="nc"
    )
    rows = [
        ("congressional", "4", ""),
        ("state_house", "29", ""),
        ("county", "32", "DURHAM"),
        ("county", "92", "WAKE"),
        ("municipality", "32/DUR", "DURHAM"),
        ("municipality", "92/RAL", "RALEIGH"),
        ("ward", "32/07", "WARD 7"),
        ("ward", "92/07", "WARD 7"),
        ("county_commission", "32/1", "DISTRICT 1"),
        ("school_board", "92/2", "DISTRICT 2"),
    ]
    return {
        (kind, code): District.objects.create(
            organization=nutmeg, kind=kind, code=code, name=name, version=version
        )
        for kind, code, name in rows
    }


def official(manager, **seat) -> Official:
    return services.create_official(actor=manager, name="Sam Ortiz", **seat)


def test_officials_of_every_kind_of_seat_link_to_their_district(manager, nc_districts):
    cases = [
        (
            {"chamber": Chamber.OTHER, "office": "U.S. Representative", "district_code": "04"},
            ("congressional", "4"),
        ),
        ({"chamber": Chamber.LOWER, "district_code": "29"}, ("state_house", "29")),
        (
            {
                "chamber": Chamber.COUNCIL,
                "office": "Council Member, Ward 7",
                "jurisdiction": "City of Durham",
            },
            ("ward", "32/07"),
        ),
        (
            {
                "chamber": Chamber.OTHER,
                "office": "County Commissioner",
                "district_code": "1",
                "jurisdiction": "Durham County",
            },
            ("county_commission", "32/1"),
        ),
        (
            {
                "chamber": Chamber.OTHER,
                "office": "Board of Education",
                "district_code": "2",
                "jurisdiction": "Wake",
            },
            ("school_board", "92/2"),
        ),
        (
            {"chamber": Chamber.EXECUTIVE, "office": "Mayor", "jurisdiction": "Raleigh"},
            ("municipality", "92/RAL"),
        ),
    ]
    for seat, district in cases:
        assert official(manager, **seat).district == nc_districts[district], seat


def test_a_seat_that_fits_several_districts_stays_unlinked_rather_than_guessed(
    manager, nc_districts
):
    # Ward 7 exists in Durham and in Wake: without the place, neither is chosen.
    assert official(manager, chamber=Chamber.COUNCIL, office="Alder, Ward 7").district is None
    assert official(manager, chamber=Chamber.EXECUTIVE, office="Governor").district is None
    moved = official(
        manager, chamber=Chamber.COUNCIL, office="Alder, Ward 7", jurisdiction="Durham"
    )
    assert moved.district == nc_districts[("ward", "32/07")]
    updated = services.update_official(
        actor=manager, official=moved, changes={"jurisdiction": "Wake"}
    )
    assert updated.district == nc_districts[("ward", "92/07")]


def test_every_real_ct_legislator_links_to_the_district_of_their_seat(nutmeg, manager):
    folder = shared_openstates()
    if folder is None:
        pytest.skip(
            "The real Open States CT files are not here (../shared/data/openstates-ct "
            "is absent on a fresh clone); the fictional fixtures cover the format."
        )
    version = VoterFileVersion.objects.create(
        organization=nutmeg, number=1, file_name="x.duckdb", layout="ct"
    )
    # A CT voter file numbers districts without padding; some vendors pad to three digits.
    District.objects.bulk_create(
        [
            District(organization=nutmeg, kind="state_house", code=f"{n:03d}", version=version)
            for n in range(1, 152)
        ]
        + [
            District(organization=nutmeg, kind="state_senate", code=str(n), version=version)
            for n in range(1, 37)
        ]
    )
    files = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yml"))]
    summary = services.import_people(actor=manager, files=files)
    current = Official.objects.filter(organization=nutmeg, is_current=True)
    assert current.count() == 187
    assert summary.with_district == 187
    assert not current.filter(district__isnull=True).exists()
    assert current.get(family_name="Concepción").district.code == "004"

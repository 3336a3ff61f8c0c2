"""Values written differently on different lists come out the same after normalising."""

import pyarrow as pa
import pytest

from powerbase.identity.linkage.columns import recognise_columns
from powerbase.identity.linkage.errors import DuplicateId, LinkageError
from powerbase.identity.linkage.normalise import create_families_table, create_normalised_table
from powerbase.identity.linkage.sources import Workspace, open_source


def normalised(rows: list[dict], source=None) -> list[dict]:
    """Return *rows* (or the file *source*) as the engine's normalised records."""
    with Workspace() as workspace:
        found = open_source(
            workspace,
            source
            if source is not None
            else pa.Table.from_pylist(
                [{"id": str(i), "first": "Ann", "last": "Lee", **row} for i, row in enumerate(rows)]
            ),
            label="list",
        )
        columns = recognise_columns(found.headers, source=found.name)
        table = create_normalised_table(
            workspace, found, columns, families_table=create_families_table(workspace)
        )
        return workspace.con.sql(f"SELECT * FROM {table}").to_arrow_table().to_pylist()  # noqa: S608


def one(field: str, value: str):
    return normalised([{field: value}])[0][field if field != "first" else "first_name"]


@pytest.mark.parametrize(
    "written",
    [
        "1985-03-14",
        "3/14/1985",
        "03/14/1985",
        "19850314",
        "03-14-1985",
        "1985/03/14",
        "1985-03-14 00:00:00",
        "1985-03-14T00:00:00",
    ],
)
def test_birth_dates_in_common_formats_read_as_one_iso_date(written):
    assert one("dob", written) == "1985-03-14"


@pytest.mark.parametrize("written", ["1900-01-01", "2/30/1985", "someday", "3/14/2199"])
def test_impossible_or_placeholder_birth_dates_read_as_missing(written):
    assert one("dob", written) is None


def test_a_birth_date_also_records_its_day_month_swap_when_that_is_a_date():
    rows = normalised([{"dob": "4/7/1983"}, {"dob": "4/17/1983"}, {"dob": "5/5/1983"}])
    assert [row["dob_swapped"] for row in rows] == ["1983-07-04", None, None]


@pytest.mark.parametrize(
    "written",
    [
        "(203) 555-0147",
        "203-555-0147",
        "203.555.0147",
        "+1 203 555 0147",
        "12035550147",
        "2035550147",
    ],
)
def test_phone_numbers_read_as_ten_digits(written):
    assert one("phone", written) == "2035550147"


@pytest.mark.parametrize("written", ["555-0147", "0000000000", "N/A", ""])
def test_incomplete_or_placeholder_phones_read_as_missing(written):
    assert one("phone", written) is None


@pytest.mark.parametrize(
    "written, expected",
    [
        ("06511", "06511"),
        ("6511", "06511"),
        ("06511-1234", "06511"),
        ("065111234", "06511"),
        ("6511.0", "06511"),
        ("00000", None),
        ("651", "00651"),
        ("12", None),
    ],
)
def test_zip_codes_read_as_five_digits_with_leading_zeros(written, expected):
    assert one("zip", written) == expected


@pytest.mark.parametrize(
    "written, expected", [(" Bill@Example.ORG ", "bill@example.org"), ("not an email", None)]
)
def test_emails_are_lowercased_and_checked(written, expected):
    assert one("email", written) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("12 Main Street #4", "12 main st apt 4"),
        ("12 MAIN ST APT 4", "12 main st apt 4"),
        ("40 N. Elm Avenue", "40 n elm ave"),
        ("40 North Elm Ave.", "40 n elm ave"),
    ],
)
def test_addresses_abbreviate_street_words(written, expected):
    assert one("address", written) == expected


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("José", "Muñoz", ("jose", "munoz")),
        ("J. Robert", "De la Cruz Jr.", ("robert", "delacruz")),
        ("MARY-ANN", "O'Brien", ("mary", "obrien")),
        ("Zoë", "Smith III", ("zoe", "smith")),
    ],
)
def test_names_lose_case_accents_punctuation_and_suffixes(first, last, expected):
    row = normalised([{"first": first, "last": last}])[0]
    assert (row["first_name"], row["last_name"]) == expected


def test_a_first_name_knows_its_nicknames():
    families = [
        row["first_family"] for row in normalised([{"first": "Bill"}, {"first": "William"}])
    ]
    assert "william" in families[0] and "bill" in families[1]


def test_ids_keep_their_leading_zeros(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("id,first,last,zip\n00017,Ann,Lee,06511\n")
    assert normalised([], source=path)[0]["unique_id"] == "00017"


def test_a_latin_1_file_is_read(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("id,first,last\n1,José,Muñoz\n".encode("latin-1"))
    row = normalised([], source=path)[0]
    assert (row["first_name"], row["last_name"]) == ("jose", "munoz")


def test_two_rows_with_one_id_are_refused_naming_both_lines(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("id,first,last\n7,Ann,Lee\n8,Bo,Li\n7,Cy,Wu\n")
    with pytest.raises(
        DuplicateId, match=f"{path}: the id '7' in column 'id' is on line 2 and line 4"
    ):
        normalised([], source=path)


def test_a_row_without_an_id_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("id,first,last\n7,Ann,Lee\n,Bo,Li\n")
    with pytest.raises(LinkageError, match=f"{path}, line 3: the id column 'id' is empty"):
        normalised([], source=path)


@pytest.mark.parametrize(
    ("voter", "member"),
    [
        ("12 ASHGROVE RIDGE", "12 Ashgrove Rdg"),
        ("4 MOUNTAIN VIEW PARKWAY", "4 Mountain View Pkwy"),
        ("9 KINGS CROSSING", "9 Kings Xing"),
        ("200 MILL HOLLOW APARTMENT 3", "200 Mill Holw Apt 3"),
        ("31 NORTHEAST HARBOR HEIGHTS", "31 NE Harbor Hts"),
    ],
)
def test_a_voter_address_written_out_meets_the_member_address_the_import_abbreviated(voter, member):
    # Members' addresses are stored in USPS form; voter files mostly spell words out.
    assert one("address", voter) == one("address", member)


def test_a_house_number_column_is_put_in_front_of_the_street():
    (row,) = normalised([{"street_number": "108", "address_1": "Crease Place"}])
    assert row["address"] == "108 crease pl"


@pytest.mark.parametrize(
    ("row", "year"),
    [
        ({"birth_year": "1969"}, 1969),
        ({"Year of Birth": "1969.0"}, 1969),
        ({"dob": "3/2/1969"}, 1969),
        ({"dob": "1969"}, 1969),
        ({"birth_year": "1776"}, None),
        ({"birth_year": "unknown"}, None),
    ],
)
def test_the_birth_year_comes_from_a_year_column_a_full_date_or_a_bare_year(row, year):
    assert normalised([row])[0]["birth_year"] == year

"""Files as states publish them over the years: older NC layouts, .zip downloads, encodings,
local districts, confidential voters and vote history whose labels mislead."""

import csv
import zipfile

import pytest

from powerbase.voterfile.layout import LayoutError, load_layout

from .conftest import FIXTURES
from .ncfiles import COLUMNS_2018, COLUMNS_CURRENT, lines, voter, write_ncvoter

NC_2018 = ("nc_2018/ncvoter92.txt", "nc_2018/ncvhis92.txt")


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()[0]


def test_ncsbe_layouts_have_71_columns_in_2018_and_67_today():
    assert (len(COLUMNS_2018), len(COLUMNS_CURRENT)) == (71, 67)


def test_a_2018_ncvoter_file_with_its_older_column_names_is_read(build):
    result, con = build(*NC_2018)
    assert result.voters == 6
    assert result.malformed_count == 0
    assert one(
        con, "SELECT first_name, middle_name, suffix FROM voters WHERE voter_id = ?", "BN000006"
    ) == ("ROBERT", "ALLEN", "JR")
    assert one(con, "SELECT birth_year, party FROM voters WHERE voter_id = ?", "BN000001") == (
        1951,
        "REP",
    )


def test_a_missing_column_is_named_with_its_older_names_and_the_map_option(build, tmp_path):
    rows = [{**voter(1), "res_city": "RALEIGH"}]
    columns = tuple("res_city" if c == "res_city_desc" else c for c in COLUMNS_CURRENT)
    path = write_ncvoter(tmp_path / "ncvoter92.txt", rows, columns)
    with pytest.raises(LayoutError) as refused:
        build(files=[path])
    message = str(refused.value)
    assert "ncvoter92.txt has no column 'res_city_desc'" in message
    assert "--map city=COLUMN" in message
    with pytest.raises(LayoutError, match=r"no column 'middle_name' \(nor the older midl_name\)"):
        build(
            files=[
                write_ncvoter(
                    tmp_path / "ncvoter1.txt",
                    [voter(1)],
                    tuple(c for c in COLUMNS_CURRENT if c != "middle_name"),
                )
            ]
        )


def test_map_works_for_a_named_layout(build, tmp_path):
    rows = [{**voter(1), "res_city": "DURHAM"}]
    columns = tuple("res_city" if c == "res_city_desc" else c for c in COLUMNS_CURRENT)
    path = write_ncvoter(tmp_path / "ncvoter92.txt", rows, columns)
    result, con = build(files=[path], mapping={"city": "res_city"})
    assert one(con, "SELECT city FROM voters") == ("DURHAM",)


def test_ncsbe_zip_downloads_are_read_as_they_are(build, tmp_path):
    for name in NC_2018:
        inner = name.split("/")[1]
        with zipfile.ZipFile(
            tmp_path / inner.replace(".txt", ".zip"), "w", zipfile.ZIP_DEFLATED
        ) as archive:
            archive.write(FIXTURES / name, inner)
    result, con = build(files=[tmp_path / "ncvoter92.zip", tmp_path / "ncvhis92.zip"])
    assert (result.voters, result.votes) == (6, 7)
    assert [file["name"] for file in result.files] == ["ncvoter92.txt", "ncvhis92.txt"]
    assert not list(tmp_path.glob("*.unzipped"))


def test_local_districts_are_read_as_their_own_kinds(build):
    result, con = build(*NC_2018)
    districts = {(d.kind, d.code): d for d in result.districts}
    assert districts[("school_board", "92/SB3")].name == "SCHOOL BOARD DISTRICT 3"
    assert districts[("county_commission", "92/D1")].voters == 3
    assert ("superior_court", "10A") in districts
    assert ("judicial", "10") in districts
    assert districts[("township", "92/RAL")].voters == 6


def test_ohio_local_districts_are_read(build, tmp_path):
    with open(FIXTURES / "oh/TRUMBULL.txt", newline="") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        row.update(
            COURT_OF_APPEALS="11",
            LOCAL_SCHOOL_DISTRICT="LORDSTOWN LOCAL SD",
            TOWNSHIP="LORDSTOWN TWP",
        )
    with open(tmp_path / "TRUMBULL.txt", "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    result, con = build(layout="oh", files=[tmp_path / "TRUMBULL.txt"])
    districts = {(d.kind, d.code): d.name for d in result.districts}
    assert districts[("appeals_court", "11")] == ""
    assert districts[("school_board", "LORDSTOWN LOCAL SD")] == "LORDSTOWN LOCAL SD"
    assert ("township", "78/LORDSTOWN TWP") in districts


def test_a_local_district_code_carries_its_county_only_when_both_are_there(build, tmp_path):
    path = write_ncvoter(
        tmp_path / "ncvoter92.txt",
        [
            voter(1, school_dist_abbrv=" 3.0 ", confidential_ind=" yes "),
            voter(2, county_id="", school_dist_abbrv="SB4", confidential_ind="x"),
            voter(3, school_dist_abbrv="  ", confidential_ind="N"),
        ],
    )
    result, con = build(files=[path])
    rows = con.execute(
        "SELECT voter_id, county, school_board, confidential FROM voters ORDER BY voter_id"
    ).fetchall()
    assert rows == [
        ("BN000001", "92", "92/3", True),
        ("BN000002", None, "SB4", True),
        ("BN000003", "92", None, False),
    ]


def test_confidential_voters_are_flagged(build):
    result, con = build(*NC_2018)
    assert con.execute("SELECT voter_id FROM voters WHERE confidential").fetchall() == [
        ("BN000005",)
    ]


def test_history_rows_for_voters_not_in_the_file_are_counted_and_left_out(build):
    result, con = build(*NC_2018)
    reason = "history rows for voter ids not in the registration files"
    assert result.skipped[reason] == 2
    assert result.skipped_examples[reason] == ["BN999998", "BN999999"]
    assert one(con, "SELECT count(*) FROM votes WHERE voter_id LIKE 'BN99999%'") == (0,)


def test_a_second_primary_is_a_runoff_and_a_special_general_is_special(build):
    result, con = build(*NC_2018)
    kinds = dict(con.execute("SELECT election_date::VARCHAR, kind FROM elections").fetchall())
    assert kinds == {
        "2018-11-06": "general",
        "2018-05-08": "primary",
        "2018-07-17": "runoff",
        "2019-09-10": "special",
    }


def test_an_ohio_general_column_away_from_general_election_day_is_a_special(build, tmp_path):
    header, *rows = (FIXTURES / "oh/TRUMBULL.txt").read_text().splitlines()
    (tmp_path / "TRUMBULL.txt").write_text(
        header + ',"GENERAL-08/07/2018"\n' + "\n".join(row + ',"X"' for row in rows) + "\n"
    )
    result, con = build(layout="oh", files=[tmp_path / "TRUMBULL.txt"])
    kinds = dict(con.execute("SELECT election_date::VARCHAR, kind FROM elections").fetchall())
    assert kinds["2018-08-07"] == "special"
    assert kinds["2018-11-06"] == "general"


def test_windows_1252_text_is_read_with_the_fallback(build, tmp_path):
    path = tmp_path / "ncvoter92.txt"
    data = (
        lines([voter(1, last_name="PEÑA", res_street_address="12 O’NEAL ST")], COLUMNS_CURRENT)
        .decode()
        .encode("cp1252")
    )
    path.write_bytes(data)
    result, con = build(files=[path])
    assert one(con, "SELECT last_name, address FROM voters") == ("PEÑA", "12 O’NEAL ST")


def test_a_utf16_file_is_refused_naming_utf16(build, tmp_path):
    path = tmp_path / "ncvoter92.txt"
    path.write_bytes(lines([voter(1)], COLUMNS_CURRENT).decode().encode("utf-16"))
    with pytest.raises(LayoutError, match="ncvoter92.txt is UTF-16 text"):
        build(files=[path])
    path.write_bytes(lines([voter(1)], COLUMNS_CURRENT).decode().encode("utf-16-le"))
    with pytest.raises(LayoutError, match=r"UTF-16 text \(every other byte is a NUL byte\)"):
        build(files=[path])


def test_a_file_with_nul_bytes_is_refused(build, tmp_path):
    path = tmp_path / "ncvoter92.txt"
    data = lines([voter(n) for n in range(1, 4)], COLUMNS_CURRENT)
    path.write_bytes(data[:900] + b"\x00" + data[900:])
    with pytest.raises(LayoutError, match="ncvoter92.txt holds a NUL byte .at byte 900"):
        build(files=[path])


@pytest.mark.parametrize("suffix", [".txt", ".txt.gz"])
def test_a_nul_byte_past_the_first_sample_is_refused_when_the_file_is_read(build, tmp_path, suffix):
    import gzip

    data = lines([voter(n) for n in range(1, 400)], COLUMNS_CURRENT)
    position = len(data) - 50  # past the 64 KB checked when the import starts
    assert position > 64 * 1024
    damaged = data[:position] + b"\x00" + data[position:]
    path = tmp_path / f"ncvoter92{suffix}"
    path.write_bytes(gzip.compress(damaged) if suffix.endswith(".gz") else damaged)
    with pytest.raises(LayoutError, match=f"holds a NUL byte .at byte {position:,}"):
        build(files=[path])


def test_the_fallback_encoding_of_every_shipped_layout_is_cp1252():
    for name in ("nc", "oh", "ct", "fl", "generic"):
        assert load_layout(name).voters.file.encoding_fallback == "cp1252", name


def test_confidential_voters_are_never_on_a_walk_list(build, tmp_path):
    from powerbase.field.universes import BASE_SCHEMA, UniverseFilter, counts, doors

    # Some states keep the address of a confidential voter in the file: it still stays off.
    path = write_ncvoter(
        tmp_path / "ncvoter92.txt",
        [
            voter(1, res_street_address="10 ELM ST"),
            voter(2, res_street_address="12 ELM ST", confidential_ind="Y"),
        ],
    )
    result, con = build(files=[path])
    base = BASE_SCHEMA.empty_table()
    walked = doors(con, UniverseFilter(), base)
    assert [door["address"] for door in walked] == ["10 ELM ST"]
    assert counts(con, UniverseFilter(), base)["voters"] == 1


def test_a_universe_can_be_drawn_by_a_local_district(build):
    from powerbase.field.universes import BASE_SCHEMA, UniverseFilter, counts

    result, con = build(*NC_2018)
    chosen = UniverseFilter.from_dict(
        {"district_kind": "county_commission", "districts": ["92/D1"], "include_inactive": True}
    )
    # Voters 2, 4 and 6 are in county commission district 1.
    assert counts(con, chosen, BASE_SCHEMA.empty_table())["voters"] == 3


def test_a_snapshot_with_the_address_and_phone_in_parts_is_read(build, tmp_path):
    parts = (
        "house_num",
        "half_code",
        "street_dir",
        "street_name",
        "street_type_cd",
        "street_sufx_cd",
        "unit_designator",
        "unit_num",
    )
    columns = []
    for column in COLUMNS_CURRENT:
        if column == "res_street_address":
            columns.extend(parts)
        elif column == "full_phone_number":
            columns.extend(("area_cd", "phone_num"))
        else:
            columns.append({"gender_code": "sex_code"}.get(column, column))
    row = voter(
        1,
        house_num="118",
        street_dir="N",
        street_name="ORANGE",
        street_type_cd="ST",
        unit_designator="APT",
        unit_num="2R",
        area_cd="919",
        phone_num="5550143",
        sex_code="M",
    )
    result, con = build(files=[write_ncvoter(tmp_path / "ncvoter92.txt", [row], tuple(columns))])
    assert one(con, "SELECT address, phone, sex FROM voters") == (
        "118 N ORANGE ST APT 2R",
        "9195550143",
        "M",
    )


def test_a_gz_download_cut_off_is_refused_naming_the_file(build, tmp_path):
    import gzip

    data = gzip.compress(lines([voter(n) for n in range(1, 400)], COLUMNS_CURRENT))
    path = tmp_path / "ncvoter92.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LayoutError, match=r"ncvoter92.txt.gz is cut off: .*Download it again"):
        build(files=[path])


def test_a_gz_file_that_is_not_compressed_is_refused_naming_the_file(build, tmp_path):
    path = tmp_path / "ncvoter92.txt.gz"
    path.write_bytes(lines([voter(1)], COLUMNS_CURRENT))
    with pytest.raises(LayoutError, match=r"ncvoter92.txt.gz is not a gzip file"):
        build(files=[path])


def test_a_damaged_file_inside_a_zip_is_refused_naming_it(build, tmp_path):
    data = lines([voter(n) for n in range(1, 400)], COLUMNS_CURRENT)
    path = tmp_path / "ncvoter92.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("ncvoter92.txt", data)
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle] = ord("X") if raw[middle] != ord("X") else ord("Y")  # a flipped byte: bad CRC
    path.write_bytes(bytes(raw))
    with pytest.raises(LayoutError, match=r"ncvoter92.zip.*is damaged.*Download it again"):
        build(files=[path])


def test_florida_runoffs_are_runoffs_and_exempt_voters_are_confidential(build, tmp_path):
    """FL's history code RUN is a runoff (its own kind, never one of the last primaries), and
    a voter with a public-records exemption (column 7 = Y) is never on a walk list."""
    for name in ("LEO_20240109.txt", "LEO_H_20240109.txt"):
        (tmp_path / name).write_bytes((FIXTURES / "fl" / name).read_bytes())
    with (tmp_path / "LEO_H_20240109.txt").open("a") as history:
        history.write("LEO\t118203344\t09/13/2022\tRUN\tY\n")
    result, con = build(files=sorted(tmp_path.glob("LEO_*.txt")), layout="fl")
    kinds = dict(con.execute("SELECT election_date::VARCHAR, kind FROM elections").fetchall())
    assert kinds["2022-09-13"] == "runoff"
    assert con.execute("SELECT voter_id FROM voters WHERE confidential").fetchall() == [
        ("118203346",)
    ]


@pytest.mark.parametrize("column", ["Confidential", "confidential_ind", "Address Confidential"])
def test_a_generic_export_flags_confidential_voters_from_its_own_column(build, tmp_path, column):
    """An export from a county system or another state's file marks voters whose address is
    withheld by law; the generic layout must find that column, or they land on walk lists."""
    (tmp_path / "county_export.csv").write_text(
        f"Voter ID,First Name,Last Name,Street Address,City,Zip,{column}\n"
        "00077001,Amara,Diallo,14 Elm St,Springfield,01105,N\n"
        "00077002,Wen,Zhao,,Springfield,01108,Y\n"
    )
    result, con = build(files=[tmp_path / "county_export.csv"], layout="generic")
    assert con.execute("SELECT voter_id FROM voters WHERE confidential").fetchall() == [
        ("00077002",)
    ]


def test_a_tab_delimited_file_read_with_a_comma_layout_says_so(build, tmp_path):
    """An NC file imported as Ohio's: the error says the header is separated by tabs and
    lists the real columns, not one column holding the whole header line."""
    path = write_ncvoter(tmp_path / "ncvoter92.txt", [voter(1)], columns=COLUMNS_CURRENT)
    with pytest.raises(LayoutError) as refused:
        build(files=[path], layout="oh")
    message = str(refused.value)
    assert "Its header is separated by tabs" in message
    assert "reads files separated by commas" in message
    assert "Its columns are: county_id, county_desc, voter_reg_num," in message


def test_a_nickname_in_quotes_inside_a_quoted_value_keeps_its_voter(build, tmp_path):
    """NCSBE writes every value in quotes without doubling quotes inside them: a first name
    'ROBERT "BOB"' is written "ROBERT "BOB"". The row splits cleanly on quote-tab-quote, so
    it is read rather than left out; a row that still does not fit is reported as before."""
    rows = [voter(n) for n in range(1, 6)]
    rows[1]["first_name"] = 'ROBERT "BOB"'
    rows[2]["res_street_address"] = '12 "A" ST'
    path = write_ncvoter(tmp_path / "ncvoter92.txt", rows, columns=COLUMNS_CURRENT)
    with path.open("ab") as out:  # a row cut short: still malformed
        out.write(b'"92"\t"WAKE"\t"000000000099"\t"BN000099"\t"SHORT "ROW""\r\n')
    result, con = build(files=[path])
    assert con.execute(
        "SELECT first_name, address FROM voters WHERE voter_id IN ('BN000002', 'BN000003') "
        "ORDER BY voter_id"
    ).fetchall() == [('ROBERT "BOB"', "2 OAK ST"), (rows[2]["first_name"], '12 "A" ST')]
    assert con.execute("SELECT count(*) FROM voters").fetchall() == [(5,)]
    assert result.malformed_count == 1
    assert [row.line for row in result.malformed_examples] == [7]

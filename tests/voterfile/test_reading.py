"""Each layout reads its state's real-world mess: floats, latin-1, blanks, malformed rows."""

import pytest

from powerbase.voterfile.layout import LayoutError

from .conftest import FIXTURES, GENERIC_FILES, NC_FILES


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()[0]


def voter(con, voter_id, *columns):
    query = f"SELECT {', '.join(columns)} FROM voters WHERE voter_id = ?"  # noqa: S608
    return one(con, query, voter_id)


# North Carolina ------------------------------------------------------------------------------


def test_nc_districts_written_as_floats_read_as_the_district_they_name(nc_build):
    result, con = nc_build
    assert voter(con, "BN100003", "state_house", "state_senate") == ("34", "15")


def test_nc_trailing_spaces_are_trimmed(nc_build):
    result, con = nc_build
    assert voter(con, "BN100003", "last_name", "first_name", "address") == (
        "MARTINEZ",
        "LUCIA",
        "230 S BLOODWORTH ST",
    )


def test_nc_a_latin1_row_is_kept_with_its_accents(nc_build):
    result, con = nc_build
    assert voter(con, "EH200004", "last_name", "first_name", "county", "precinct") == (
        "PEÑA",
        "JOSÉ",
        "32",
        "32/05",
    )


def test_nc_a_malformed_row_is_left_out_and_reported_with_its_line(nc_build):
    result, con = nc_build
    assert result.voters == 10
    first = result.malformed_examples[0]
    assert (first.file, first.line) == ("ncvoter_Statewide.txt", 9)
    assert first.sentence() == (
        "ncvoter_Statewide.txt, line 9: the row has too few columns (expected 67)."
    )
    assert result.files[0]["malformed"] == 1


def test_nc_an_inactive_voter_without_districts_counts_only_where_the_file_places_them(nc_build):
    result, con = nc_build
    counts = {(d.kind, d.code): d.voters for d in result.districts}
    assert counts[("county", "92")] == 4  # Oscar is inactive, and still in Wake
    assert counts[("state_house", "34")] == 3  # ... but in no house district
    assert voter(con, "BN100004", "state_house", "precinct") == (None, None)


def test_nc_precincts_with_the_same_code_in_two_counties_stay_apart(nc_build):
    result, con = nc_build
    precincts = {d.code: d.name for d in result.districts if d.kind == "precinct"}
    assert precincts["92/01-07"] == "PRE-01-07"
    assert precincts["32/01-07"] == "PCT 01-07 DURHAM"


def test_nc_an_unreadable_registration_date_becomes_blank_instead_of_failing(nc_build):
    result, con = nc_build
    assert voter(con, "EH200001", "registration_date") == (None,)


def test_nc_removed_registrations_are_kept_but_not_counted_as_registered(nc_build):
    result, con = nc_build
    assert voter(con, "BN100005", "status") == ("removed",)
    counts = {(d.kind, d.code): d.voters for d in result.districts}
    assert counts[("precinct", "92/01-07")] == 1  # Adaeze; Ruth was removed


def test_nc_codes_are_translated_through_the_layouts_tables(nc_build):
    result, con = nc_build
    assert voter(con, "BN100001", "party", "status", "race", "ethnicity", "sex") == (
        "DEM",
        "active",
        "black",
        "not_hispanic",
        "F",
    )
    assert voter(con, "EH200005", "party") == ("GRN",)


# Connecticut --------------------------------------------------------------------------------


def test_ct_voter_ids_and_zip_codes_keep_their_leading_zeros(ct_build):
    result, con = ct_build
    assert voter(con, "000412301", "zip") == ("06511",)
    # This row's ZIP code lost its zero in a spreadsheet ("6511").
    assert voter(con, "000412303", "zip") == ("06511",)


def test_ct_history_in_repeating_column_groups_becomes_one_vote_per_election(ct_build):
    result, con = ct_build
    votes = con.execute(
        "SELECT election_date::VARCHAR, kind, method FROM votes "
        "WHERE voter_id = '000412301' ORDER BY 1"
    ).fetchall()
    assert len(votes) == 8
    assert ("2022-08-09", "primary", "absentee") in votes
    assert ("2022-11-08", "general", "in_person") in votes


def test_ct_odd_year_elections_are_municipal(ct_build):
    result, con = ct_build
    kinds = dict(con.execute("SELECT election_date::VARCHAR, kind FROM elections").fetchall())
    assert kinds["2023-11-07"] == "municipal"
    assert kinds["2023-09-12"] == "municipal"


def test_ct_a_name_with_a_comma_is_reported_malformed_rather_than_misread(ct_build):
    result, con = ct_build
    assert result.malformed_count == 1
    row = result.malformed_examples[0]
    assert (row.line, row.problem) == (5, "has too many columns (expected 103)")
    assert "Smith, Jr" in row.text


def test_ct_latin1_names_and_town_names(ct_build):
    result, con = ct_build
    assert voter(con, "000518820", "last_name", "first_name", "municipality_name") == (
        "Rodríguez",
        "Inés",
        "Hartford",
    )
    assert voter(con, "000518820", "precinct") == ("64/002-01",)


# Ohio --------------------------------------------------------------------------------------


def test_oh_election_columns_become_votes_with_the_party_ballot_taken(oh_build):
    result, con = oh_build
    votes = con.execute(
        "SELECT election_date::VARCHAR, kind, party FROM votes "
        "WHERE voter_id = 'OH0015769001' ORDER BY 1"
    ).fetchall()
    assert votes[:2] == [("2018-05-08", "primary", "DEM"), ("2018-11-06", "general", None)]
    assert len(votes) == 6


def test_oh_county_files_with_different_election_columns_are_read_together(oh_build):
    result, con = oh_build
    assert result.voters == 5
    assert one(con, "SELECT kind FROM elections WHERE election_date = DATE '2023-08-08'") == (
        "special",
    )


def test_oh_districts_written_as_floats_or_zero_padded_read_the_same(oh_build):
    result, con = oh_build
    assert voter(con, "OH0021034456", "state_house", "state_senate") == ("7", "15")
    assert voter(con, "OH0021034455", "state_house", "state_senate") == ("7", "15")


def test_oh_a_voter_outside_any_city_lives_in_their_township(oh_build):
    result, con = oh_build
    assert voter(con, "OH0015769002", "municipality", "municipality_name", "county_name") == (
        "78/HOWLAND TWP",
        "HOWLAND TWP",
        "Trumbull",
    )


def test_oh_a_row_with_an_unclosed_quote_is_malformed(oh_build):
    result, con = oh_build
    assert [(row.file, row.line) for row in result.malformed_examples] == [("FRANKLIN.txt", 5)]


# Florida ----------------------------------------------------------------------------------


def test_fl_history_files_are_told_from_registration_files_by_name(fl_build):
    result, con = fl_build
    roles = {file["name"]: file["role"] for file in result.files}
    assert roles["LEO_H_20240109.txt"] == "history"
    assert roles["LEO_20240109.txt"] == "voters"
    assert (result.voters, result.votes) == (5, 7)


def test_fl_ballots_that_were_not_counted_are_not_votes(fl_build):
    result, con = fl_build
    votes = con.execute("SELECT kind FROM votes WHERE voter_id = '118203345'").fetchall()
    assert votes == [("special",)]


def test_fl_a_voter_with_a_records_exemption_is_kept_without_name(fl_build):
    result, con = fl_build
    assert voter(con, "118203346", "last_name", "address", "party", "state_house") == (
        None,
        None,
        "REP",
        "9",
    )


def test_fl_county_codes_race_codes_and_the_latin1_row(fl_build):
    result, con = fl_build
    assert voter(con, "118203345", "last_name", "race", "county_name", "congressional") == (
        "Quiñones",
        "hispanic",
        "Leon",
        "2",
    )
    assert voter(con, "118203344", "phone") == ("8505550199",)


# Generic ----------------------------------------------------------------------------------


def test_generic_finds_columns_by_their_header_names(generic_build):
    result, con = generic_build
    assert voter(
        con, "00077002", "first_name", "birth_date::VARCHAR", "zip", "status", "county", "precinct"
    ) == ("Wen", "1960-12-25", "01108", "inactive", "Hampden", "Hampden/PCT 5")
    assert result.votes == 3


def test_generic_mapping_names_a_column_the_guesses_miss(build, generic_build):
    without, con = generic_build
    assert voter(con, "00077002", "state_house") == (None,)
    mapped, con = build(*GENERIC_FILES, layout="generic", mapping={"state_house": "Rep Dist"})
    assert voter(con, "00077002", "state_house") == ("11",)


def test_generic_rows_without_a_voter_id_are_skipped_and_counted(generic_build):
    result, con = generic_build
    assert result.skipped == {"rows without a voter id": 1}
    assert result.skipped_examples["rows without a voter id"] == ["Nobody Known"]


def test_a_file_without_a_voter_id_column_is_refused_naming_the_file_and_the_fix(build, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Name,Town\nAda,Springfield\n")
    with pytest.raises(
        LayoutError,
        match=r"export.csv has no column recognisable as the voter "
        r"id .* --map voter_id=COLUMN",
    ):
        build(layout="generic", files=[export])


# Any layout -------------------------------------------------------------------------------


def test_a_file_named_unlike_the_layouts_files_is_refused(build):
    with pytest.raises(
        LayoutError, match="LEO_20240109.txt does not look like a file of the North Carolina"
    ):
        build("fl/LEO_20240109.txt", layout="nc")


def test_a_file_missing_a_column_the_layout_reads_is_refused_naming_it(build, tmp_path):
    renamed = tmp_path / "ncvoter_Statewide.txt"
    renamed.write_bytes((FIXTURES / NC_FILES[0]).read_bytes().replace(b'"ncid"', b'"nc_id"', 1))
    with pytest.raises(
        LayoutError,
        match="ncvoter_Statewide.txt has no column 'ncid', which "
        "the North Carolina .* reads as the voter id",
    ):
        build(layout="nc", files=[renamed])


def test_hundreds_of_malformed_rows_never_stop_an_import(build, tmp_path):
    lines = ["voter_id,last_name,precinct"]
    for n in range(2000):
        lines.append(f"{n:06d},Name{n},P{n % 7}")
        if n % 10 == 0:
            lines.append(f"{n:06d}-bad,too,many,columns")
        if n % 25 == 0:
            lines.append("short")
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n")
    result, con = build(layout="generic", files=[export])
    assert result.voters == 2000
    assert result.malformed_count == 200 + 80
    assert len(result.malformed_examples) == 20
    assert result.malformed_examples[0].line == 3
    assert result.malformed_examples[1].line == 4


def test_a_voter_id_that_appears_twice_is_kept_once_and_counted(build, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("voter_id,last_name\n001,Ames\n002,Boateng\n001,Ames\n")
    result, con = build(layout="generic", files=[export])
    assert result.voters == 2
    assert result.skipped == {"repeated voter ids (first row kept)": 1}


def test_a_gzip_compressed_file_is_read_as_it_comes(build, tmp_path):
    import gzip

    compressed = tmp_path / "county_export.csv.gz"
    compressed.write_bytes(gzip.compress((FIXTURES / GENERIC_FILES[0]).read_bytes()))
    result, con = build(layout="generic", files=[compressed])
    assert result.voters == 3
    assert voter(con, "00077001", "last_name") == ("Diallo",)


def test_a_broken_zip_archive_is_refused_saying_to_download_it_again(build, tmp_path):
    archive = tmp_path / "ncvoter_Statewide.zip"
    archive.write_bytes(b"PK\x03\x04")
    with pytest.raises(LayoutError, match="ncvoter_Statewide.zip is not a readable zip archive"):
        build(files=[archive])


def test_a_latin1_row_that_is_also_short_counts_once_as_malformed(build, tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(
        "voter_id,last_name,city\n001,Ibáñez,Ponce\n002,Muñoz\n003,Lee,Ponce\n".encode("latin-1")
    )
    result, con = build(layout="generic", files=[export])
    assert result.voters == 2
    assert voter(con, "001", "last_name") == ("Ibáñez",)
    assert result.malformed_count == 1
    assert (result.malformed_examples[0].line, result.malformed_examples[0].text) == (
        3,
        "002,Muñoz",
    )

"""The engine reads a voter table where it lies in DuckDB and leaves the database as it was."""

import duckdb
import pyarrow.csv as pa_csv
import pytest

from powerbase.identity.linkage import LinkageError, NothingToCompare, link
from tests.identity.linkage.conftest import QUICK


def test_a_stored_duckdb_table_is_linked_in_place_and_nothing_is_left_behind(
    fixture_csvs, tmp_path
):
    members, voters = fixture_csvs
    database = tmp_path / "voterfile.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE SCHEMA state")
        con.execute(
            "CREATE TABLE state.voters AS SELECT * FROM read_csv($path, all_varchar = true)",
            {"path": str(voters)},
        )
    with duckdb.connect(str(database), read_only=True) as con:
        result = link(members, "state.voters", connection=con, settings=QUICK)
        tables = con.sql("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        databases = con.sql(
            "SELECT database_name FROM duckdb_databases() WHERE NOT internal"
        ).fetchall()
    assert ("00017", "NC000101") in set(
        zip(result.pairs["left_id"].to_pylist(), result.pairs["right_id"].to_pylist(), strict=True)
    )
    assert tables == [("state", "voters")]
    assert databases == [("voterfile",)]


def test_a_table_that_does_not_exist_is_named(fixture_csvs):
    members, _ = fixture_csvs
    with (
        duckdb.connect() as con,
        pytest.raises(LinkageError, match="no table or view called 'voters'"),
    ):
        link(members, "voters", connection=con, settings=QUICK)


def test_lists_sharing_nothing_but_names_are_refused(tmp_path, fixture_csvs):
    members, _ = fixture_csvs
    names_only = tmp_path / "names.csv"
    pa_csv.write_csv(
        pa_csv.read_csv(members).select(["Member ID", "First Name", "Last Name"]), names_only
    )
    with pytest.raises(NothingToCompare, match="no field in common"):
        link(members, names_only, settings=QUICK)


def test_a_shared_column_left_empty_is_no_evidence(tmp_path):
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text("id,first,last,dob\n1,Ann,Lee,1980-01-02\n2,Bo,Li,1975-05-06\n")
    right.write_text("voter_id,first_name,last_name,birth_date\nV1,ANN,LEE,\nV2,BO,LI,\n")
    with pytest.raises(NothingToCompare, match="must hold values on both sides"):
        link(left, right, settings=QUICK)


def test_a_row_with_too_many_columns_is_reported_with_its_line(tmp_path, fixture_csvs):
    _, voters = fixture_csvs
    members = tmp_path / "members.csv"
    members.write_text("id,first,last,zip\n1,Ann,Lee,06511\n2,Bo,Li,06511,extra\n")
    with pytest.raises(
        LinkageError, match=f"{members}, line 3: the row has 5 columns but the header has 4"
    ):
        link(members, voters, settings=QUICK)


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    from powerbase.identity.linkage.sources import Workspace, open_source

    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffMember ID;First Name;Last Name\r\n7;Ann;Lee\r\n".encode())
    with Workspace() as workspace:
        source = open_source(workspace, path, label="members")
        rows = workspace.con.sql(f"SELECT * FROM {source.relation}").fetchall()  # noqa: S608
    assert source.headers == ["Member ID", "First Name", "Last Name"]
    assert rows == [("7", "Ann", "Lee")]

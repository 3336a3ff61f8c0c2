"""What other apps read from the voter file: turnout by district, per voter, as a table."""

import pyarrow as pa
import pytest

from powerbase.core.access import actor_for
from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import Role
from powerbase.voterfile import queries

from .conftest import NC_FILES


@pytest.fixture
def nc_imported(import_voter_file):
    return import_voter_file(*NC_FILES)


def test_turnout_by_district_counts_registered_voters_by_elections_voted(
    data_director, nc_imported
):
    rows = {
        row["code"]: row for row in queries.turnout_by_district(data_director, kind="state_house")
    }
    assert set(rows) == {"29", "34"}
    house_34 = rows["34"]
    assert (house_34["registered"], house_34["active"]) == (3, 3)
    assert house_34["primaries"] == [2, 0, 0, 0, 1]
    assert house_34["generals"] == [1, 0, 0, 0, 2]
    assert (house_34["primary_voters"], house_34["general_voters"]) == (1, 2)


def test_turnout_can_look_back_over_more_elections(data_director, nc_imported):
    rows = {
        row["code"]: row
        for row in queries.turnout_by_district(data_director, kind="county", last=6)
    }
    assert len(rows["32"]["primaries"]) == 7
    assert rows["32"]["primaries"][1] == 1  # José's 2014 primary is within the last six


def test_voter_turnout_answers_for_the_voter_ids_asked(data_director, nc_imported):
    found = queries.voter_turnout(data_director, ["BN100001", "EH200001", "NOT-A-VOTER"])
    assert found == {
        "BN100001": {"primaries": 4, "generals": 4, "last": 4},
        "EH200001": {"primaries": 2, "generals": 1, "last": 4},
    }


def test_the_turnout_table_has_one_row_per_registered_voter(data_director, nc_imported):
    table = queries.turnout_table(data_director)
    assert isinstance(table, pa.Table)
    assert table.num_rows == 9  # ten registrations, one removed
    assert {"voter_id", "state_house", "precinct", "primaries", "generals"} <= set(
        table.column_names
    )


def test_a_voter_record_carries_districts_and_votes(data_director, nc_imported):
    record = queries.voter(data_director, "EH200004")
    assert (record["last_name"], record["precinct"], record["state_house"]) == (
        "PEÑA",
        "32/05",
        "29",
    )
    assert [vote["kind"] for vote in record["votes"]] == ["general", "primary"]
    assert queries.voter(data_director, "NOBODY") is None


def test_a_voter_record_shows_race_and_sex_only_to_roles_that_see_sensitive_fields(
    data_director, users_by_role, nutmeg, nc_imported
):
    assert queries.voter(data_director, "BN100001")["race"] == "black"
    organizer = actor_for(users_by_role[Role.ORGANIZER], nutmeg.slug)
    record = queries.voter(organizer, "BN100001")
    assert {"race", "ethnicity", "sex"}.isdisjoint(record)
    assert record["party"] == "DEM"


def test_without_a_voter_file_the_queries_answer_empty(data_director):
    assert queries.current_version(data_director) is None
    assert queries.turnout_by_district(data_director, kind="precinct") == []
    assert queries.voter_turnout(data_director, ["BN100001"]) == {}
    assert queries.turnout_table(data_director).num_rows == 0
    assert list(queries.districts(data_director)) == []


def test_reading_the_voter_file_needs_the_voterfile_view_permission(
    users_by_role, nutmeg, nc_imported
):
    viewer = actor_for(users_by_role[Role.VIEWER], nutmeg.slug)
    with pytest.raises(PermissionDenied):
        queries.turnout_by_district(viewer, kind="county")
    with pytest.raises(PermissionDenied):
        queries.voter(viewer, "BN100001")


def test_an_unknown_district_kind_or_lookback_is_refused(data_director, nc_imported):
    with pytest.raises(InvalidInput, match="'space_station' is not a kind of district"):
        queries.turnout_by_district(data_director, kind="space_station")
    with pytest.raises(InvalidInput, match="1 to 20 elections, not 50"):
        queries.turnout_by_district(data_director, kind="county", last=50)


def test_another_organization_reads_only_its_own_voter_file(
    users_by_role, outsider, harbor, nc_imported
):
    other = actor_for(outsider, harbor.slug)
    assert queries.current_version(other) is None
    assert queries.turnout_by_district(other, kind="county") == []


def test_web_server_threads_read_the_voter_file_at_once_without_failing(
    import_voter_file, tmp_path
):
    # `powerbase serve` runs several threads per process; pages hand DuckDB an Arrow table of
    # the base (power map, legislature). Unguarded, reads of a file this size failed here.
    import threading

    import pyarrow as pa

    from powerbase.demo.voters import write_voter_file
    from powerbase.voterfile import store
    from powerbase.voterfile.models import VoterFileVersion

    import_voter_file(*write_voter_file(tmp_path, residents=[], voters=60_000), layout="generic")
    version = VoterFileVersion.objects.select_related("organization").get()
    base = pa.table({"voter_id": [str(1_000_001 + n) for n in range(5000)]})
    failures = []

    def read_many():
        for _ in range(40):
            try:
                with store.reading(version) as con:
                    con.register("base", base)
                    con.execute("SELECT count(*) FROM base JOIN voters USING (voter_id)").fetchall()
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                failures.append(str(error))

    threads = [threading.Thread(target=read_many) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

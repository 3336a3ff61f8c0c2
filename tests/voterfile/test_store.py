"""Opening a version's file: kept open between reads, never reading an old file."""

import duckdb
import pytest

from powerbase.voterfile import store
from powerbase.voterfile.models import VoterFileVersion

from .conftest import NC_FILES


@pytest.fixture
def version(import_voter_file) -> VoterFileVersion:
    import_voter_file(*NC_FILES)
    return VoterFileVersion.objects.select_related("organization").get()


def voters_in(version: VoterFileVersion) -> int:
    with store.reading(version) as con:
        return con.execute("SELECT count(*) FROM voters").fetchone()[0]


def test_a_file_written_again_under_the_same_name_is_read_afresh(version):
    before = voters_in(version)
    path = store.path_of(version)
    # Written aside and moved into place, as an import finishes a version.
    written = path.with_name("rewritten.duckdb")
    with duckdb.connect(str(written)) as con:
        con.execute("CREATE TABLE voters AS SELECT '1' AS voter_id")
    written.replace(path)
    assert before > 1
    assert voters_in(version) == 1


def test_a_failed_read_leaves_the_next_reader_a_working_connection(version):
    expected = voters_in(version)
    with pytest.raises(duckdb.Error), store.reading(version) as con:
        con.execute("SELECT no_such_column FROM voters")
    assert voters_in(version) == expected


def test_a_private_connection_does_not_leave_its_tables_to_other_readers(version):
    with store.opening(version) as con:
        con.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS x")
    with store.reading(version) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert ("scratch",) not in tables

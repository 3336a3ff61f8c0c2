"""The voter file as Parquet files that several app machines read (POWERBASE_VOTERFILE_PARQUET).

Each test reads a version through the queries other apps use, first from the DuckDB file,
then as a second machine would (the DuckDB file gone, the Parquet copy there), and expects
the same answers.
"""

import http.server
import importlib.util
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.core.models import Job
from powerbase.voterfile import queries, store
from powerbase.voterfile.models import VoterFileVersion

from .conftest import NC_FILES


def invoke(*args: str):
    return CliRunner().invoke(app, ["voterfile", *args], env={"COLUMNS": "200"})


def answers(actor) -> dict:
    """What the app reads from the version in use: counts, turnout (a view and a macro over
    the tables), one voter, parties and the columns readers check."""
    version = queries.current_version(actor)
    with store.reading(version) as con:
        tables = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608
            for table in ("voters", "votes", "elections", "districts", "turnout", "meta")
        }
        columns = store.voter_columns(con)
        turnout_view = con.execute(
            "SELECT sum(primaries), sum(generals) FROM voter_turnout"
        ).fetchall()
    return {
        "tables": tables,
        "columns": columns,
        "turnout_view": turnout_view,
        "house": queries.turnout_by_district(actor, kind="state_house"),
        "county_last_6": queries.turnout_by_district(actor, kind="county", last=6),
        "table": queries.turnout_table(actor, last=3).to_pylist(),
        "parties": queries.parties(version),
        "voter_count": queries.voter_count(version),
    }


def local_file_gone(version: VoterFileVersion) -> None:
    """Move the version's DuckDB file away, as on an app machine that never imported it."""
    store.remove(store.path_of(version))


@pytest.fixture
def parquet_dir(tmp_path) -> Path:
    return tmp_path / "shared-parquet"


def test_a_published_version_reads_the_same_without_its_duckdb_file(
    import_voter_file, data_director, parquet_dir, settings, nutmeg
):
    import_voter_file(*NC_FILES)
    from_duckdb = answers(data_director)

    result = invoke("publish", "1", "--org", "nutmeg", "--to", str(parquet_dir))
    assert result.exit_code == 0, result.output
    location = parquet_dir / "nutmeg" / f"job{Job.objects.get().pk}"
    assert "Published version 1" in result.output
    assert {p.name for p in location.iterdir()} >= {"voters.parquet", "_schema.parquet"}

    settings.VOTERFILE_PARQUET = str(parquet_dir)
    local_file_gone(VoterFileVersion.objects.get())
    assert answers(data_director) == from_duckdb
    assert from_duckdb["tables"]["voters"] == 10


def test_an_import_with_the_setting_publishes_its_version(
    import_voter_file, data_director, parquet_dir, settings
):
    settings.VOTERFILE_PARQUET = str(parquet_dir)
    job = import_voter_file(*NC_FILES)
    assert job.status == Job.Status.SUCCEEDED, job.error
    location = parquet_dir / "nutmeg" / f"job{job.pk}"
    assert (location / "_schema.parquet").is_file()
    # Nothing written aside is left behind.
    assert [p.name for p in (parquet_dir / "nutmeg").iterdir()] == [f"job{job.pk}"]

    from_duckdb = answers(data_director)
    # The reader already reads the Parquet copy: the DuckDB file is not needed.
    local_file_gone(VoterFileVersion.objects.get())
    assert answers(data_director) == from_duckdb


def test_a_version_published_before_the_setting_is_read_from_its_local_file(
    import_voter_file, data_director, parquet_dir, settings
):
    import_voter_file(*NC_FILES)
    settings.VOTERFILE_PARQUET = str(parquet_dir)
    assert answers(data_director)["tables"]["voters"] == 10
    assert not parquet_dir.exists()


def test_an_import_that_cannot_write_its_parquet_copy_fails_and_adds_no_version(
    import_voter_file, tmp_path, settings
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.VOTERFILE_PARQUET = str(blocked)
    job = import_voter_file(*NC_FILES)
    assert job.status == Job.Status.FAILED
    assert "Parquet" in job.error and str(blocked) in job.error
    assert not VoterFileVersion.objects.exists()


def test_publish_without_a_place_says_where_to_say_it(import_voter_file, settings):
    import_voter_file(*NC_FILES)
    settings.VOTERFILE_PARQUET = ""
    result = invoke("publish", "1", "--org", "nutmeg")
    assert result.exit_code == 1
    assert "--to" in result.output and "POWERBASE_VOTERFILE_PARQUET" in result.output
    assert "no such version" not in result.output


def test_publish_of_a_version_that_does_not_exist_fails_clearly(import_voter_file, tmp_path):
    import_voter_file(*NC_FILES)
    result = invoke("publish", "7", "--org", "nutmeg", "--to", str(tmp_path))
    assert result.exit_code == 1
    assert "version 7" in result.output


# --- Over HTTP, as from object storage ------------------------------------------------------


def _httpfs_unavailable() -> str | None:
    """Return why DuckDB's httpfs extension cannot be loaded here, or None if it can."""
    try:
        with duckdb.connect() as con:
            con.execute("LOAD httpfs")
    except duckdb.Error as error:
        return str(error).splitlines()[0]
    return None


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that answers Range requests, as object storage does (DuckDB reads
    a Parquet file's footer first, then only the columns a query needs)."""

    asked: list[tuple[str, str]] = []  # (path, Range header) of each GET, for a test to check

    def send_head(self):
        ranged = self.headers.get("Range", "")
        if self.command == "GET":
            self.asked.append((self.path, ranged))
        path = Path(self.translate_path(self.path))
        if not ranged.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = ranged.removeprefix("bytes=").partition("-")
        start = int(first) if first else size - int(last)
        end = min(int(last), size - 1) if first and last else size - 1
        file = path.open("rb")
        file.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return file

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(remaining))
        self._remaining = None
        return None

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(parquet_dir):
    parquet_dir.mkdir(parents=True, exist_ok=True)

    def handler(*args, **kwargs):
        return RangeHandler(*args, directory=str(parquet_dir), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_the_range_server_serves_part_of_a_file(http_server, parquet_dir):
    import urllib.request

    (parquet_dir / "f.bin").write_bytes(bytes(range(100)))
    request = urllib.request.Request(f"{http_server}/f.bin", headers={"Range": "bytes=10-19"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our own local server
        assert response.status == 206
        assert response.read() == bytes(range(10, 20))


def _python_reads_unavailable() -> str | None:
    try:
        import fsspec  # noqa: F401
    except ImportError:
        return "fsspec is not installed (powerbase[objectstore], or the dev group)"
    return None


@pytest.mark.skipif(
    _httpfs_unavailable() is not None and _python_reads_unavailable() is not None,
    reason=f"neither httpfs ({_httpfs_unavailable()}) nor fsspec ({_python_reads_unavailable()})",
)
def test_a_version_published_to_a_web_server_reads_the_same_over_http(
    import_voter_file, data_director, parquet_dir, http_server, settings
):
    import_voter_file(*NC_FILES)
    from_duckdb = answers(data_director)
    assert invoke("publish", "1", "--org", "nutmeg", "--to", str(parquet_dir)).exit_code == 0

    settings.VOTERFILE_PARQUET = http_server
    local_file_gone(VoterFileVersion.objects.get())
    assert answers(data_director) == from_duckdb


def test_without_httpfs_a_url_is_read_through_python_in_ranges(
    import_voter_file, data_director, parquet_dir, http_server, settings
):
    if _httpfs_unavailable() is None or _python_reads_unavailable() is not None:
        pytest.skip("httpfs loads here, or fsspec is absent: the Python path is not the one used")
    import_voter_file(*NC_FILES)
    assert invoke("publish", "1", "--org", "nutmeg", "--to", str(parquet_dir)).exit_code == 0
    settings.VOTERFILE_PARQUET = http_server
    local_file_gone(VoterFileVersion.objects.get())
    RangeHandler.asked = []
    assert answers(data_director)["tables"]["voters"] == 10
    # Every Parquet file was read with Range requests, not fetched whole.
    assert RangeHandler.asked and all(r.startswith("bytes=") for _, r in RangeHandler.asked)
    assert {p.rsplit("/", 1)[1] for p, _ in RangeHandler.asked} >= {
        "_schema.parquet",
        "voters.parquet",
    }


def test_a_missing_version_at_a_url_is_not_found(
    import_voter_file, data_director, http_server, settings
):
    if _httpfs_unavailable() is None or _python_reads_unavailable() is not None:
        pytest.skip("httpfs loads here, or fsspec is absent: the Python path is not the one used")
    import_voter_file(*NC_FILES)
    settings.VOTERFILE_PARQUET = http_server  # nothing published there
    local_file_gone(VoterFileVersion.objects.get())
    with pytest.raises(NotFound, match="powerbase voterfile publish"):
        answers(data_director)


def test_reading_from_a_url_without_httpfs_or_fsspec_says_what_to_install(
    import_voter_file, data_director, http_server, settings, monkeypatch
):
    if _httpfs_unavailable() is None:
        pytest.skip("httpfs loads here: this is the machine without it")
    monkeypatch.setitem(sys.modules, "fsspec", None)  # as an install without the extra
    import_voter_file(*NC_FILES)
    settings.VOTERFILE_PARQUET = http_server
    local_file_gone(VoterFileVersion.objects.get())
    with pytest.raises(InvalidInput, match="httpfs extension is not installed") as raised:
        answers(data_director)
    assert "powerbase[objectstore]" in str(raised.value)


# --- On S3, through s3fs (not locked; runs where s3fs and moto are installed) ---------------


def _s3_unavailable() -> str | None:
    missing = [
        name for name in ("fsspec", "s3fs", "moto") if importlib.util.find_spec(name) is None
    ]
    if missing:
        return f"{', '.join(missing)} not installed (pip install s3fs 'moto[server]')"
    if _httpfs_unavailable() is None:
        return "httpfs loads here: s3:// would not go through s3fs"
    return None


@pytest.fixture
def s3_bucket(monkeypatch):
    """A local S3 server (moto) with an empty bucket, and the AWS variables pointing at it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }.items():
        monkeypatch.setenv(name, value)
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()
    s3fs.S3FileSystem().mkdir("voterfile")
    yield "s3://voterfile"
    s3fs.S3FileSystem.clear_instance_cache()
    server.stop()


@pytest.mark.skipif(_s3_unavailable() is not None, reason=f"{_s3_unavailable()}")
def test_a_version_published_to_s3_reads_the_same_from_there(
    import_voter_file, data_director, s3_bucket, settings
):
    import_voter_file(*NC_FILES)
    from_duckdb = answers(data_director)
    result = invoke("publish", "1", "--org", "nutmeg", "--to", s3_bucket)
    assert result.exit_code == 0, result.output

    settings.VOTERFILE_PARQUET = s3_bucket
    local_file_gone(VoterFileVersion.objects.get())
    assert answers(data_director) == from_duckdb

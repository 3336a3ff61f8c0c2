"""Where an organization's voter file versions live on disk, and how to open one.

    DATA_DIR/voterfile/<org-slug>/job17.building.duckdb   an import in progress (or killed)
    DATA_DIR/voterfile/<org-slug>/job17.duckdb            a finished version

A version file is written once, by its import, and only read after that: any number of web
processes can open it read-only at the same time. Which file is in use is decided by the
`VoterFileVersion` rows, never by the folder's contents, so a half-written file is never read.

Several app machines read one copy. With `VOTERFILE_PARQUET` set (a folder, or a URL that
DuckDB's httpfs reads: s3://bucket/voterfile, https://files.example.org/voterfile) a finished
import also writes the version's tables as Parquet there (`publish`),

    <base>/<org-slug>/job17/voters.parquet, votes.parquet, ...   one file per table
    <base>/<org-slug>/job17/_schema.parquet                      written last: its views, macros

and readers on any machine open that version as views over `read_parquet` instead of the
local DuckDB file, which only the import's machine has.
"""

import hashlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings

from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.core.models import Organization
from powerbase.voterfile import object_storage
from powerbase.voterfile.models import VoterFileVersion

# DuckDB's working memory for an import; a 5-million-row state file needs well under this.
IMPORT_MEMORY_LIMIT = "2GB"
READ_MEMORY_LIMIT = "1GB"


def folder(organization: Organization) -> Path:
    """Return (creating it) the folder holding *organization*'s voter file versions."""
    path = Path(settings.DATA_DIR) / "voterfile" / organization.slug
    path.mkdir(parents=True, exist_ok=True)
    return path


def building_path(organization: Organization, job_id: int) -> Path:
    return folder(organization) / f"job{job_id}.building.duckdb"


def finished_path(organization: Organization, job_id: int) -> Path:
    return folder(organization) / f"job{job_id}.duckdb"


def path_of(version: VoterFileVersion) -> Path:
    return folder(version.organization) / version.file_name


def upload_folder(organization: Organization) -> Path:
    """Return (creating it) where files uploaded through the web wait for their import."""
    path = Path(settings.DATA_DIR) / "uploads" / "voterfile" / organization.slug
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove(path: Path) -> None:
    """Delete a DuckDB file with its write-ahead log, spill folder and unpacked .zip members,
    if they exist."""
    # A connection this process kept open to the file would stop a new file of that name
    # from being written here ("a different configuration than existing connections").
    with _LOCK:
        for key in [key for key in _open if key[0] == str(path)]:
            _open.pop(key).retire()
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    spill = path.with_name(path.name + ".tmp")
    if spill.is_dir():
        for item in spill.iterdir():
            item.unlink(missing_ok=True)
        spill.rmdir()
    shutil.rmtree(path.with_name(path.name + ".unzipped"), ignore_errors=True)


# Reads run in parallel, across threads as across processes. Each process keeps one read-only
# connection per version file (DuckDB's database instance: its cache, its memory limit), and
# every read gets a connection of its own from it (`cursor()`): a DuckDB connection must not
# be used by two threads at once (two requests sharing one failed with "Table Function with
# name python_arrow_scan does not exist"), but any number of connections to one instance may
# run queries at the same time. _LOCK guards only the table of kept files, never a read.
_LOCK = threading.Lock()
# Opening a version costs 25-150 ms (a page read it up to four times) and starts with a cold
# cache, so each process keeps its last few versions open. A file is written once and never
# changed, so an open connection cannot go stale; the key holds the file's inode and mtime
# all the same, so a file removed and written again under the same name is opened afresh.
_KEPT_OPEN = 4


class _Kept:
    """A version file's read-only database, open in this process, and how many reads use it.
    One pushed out of the table (older, or its file removed) closes when its last read ends."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.readers, self.retired = con, 0, False

    def retire(self) -> None:  # with _LOCK held
        self.retired = True
        if self.readers == 0:
            self.con.close()


_open: dict[tuple, _Kept] = {}


@contextmanager
def reading(version: VoterFileVersion) -> Iterator[duckdb.DuckDBPyConnection]:
    """Lend a read-only connection to *version*'s DuckDB file for a `with` block.

    The connection is this block's alone (tables or views it creates are temporary and go
    with it) and is closed after it; the database behind it stays open for the next reader.
    Any number of threads may read at once. With VOTERFILE_PARQUET set, the version is read
    from its Parquet files there (see the module's docstring).
    """
    with _lending(version, _published_location(version)) as con:
        yield con


@contextmanager
def _file_reading(version: VoterFileVersion) -> Iterator[duckdb.DuckDBPyConnection]:
    """Lend a read-only connection to *version*'s local DuckDB file, wherever readers read."""
    with _lending(version, None) as con:
        yield con


@contextmanager
def _lending(
    version: VoterFileVersion, location: str | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Lend a connection to *version*: its Parquet files at *location*, or its local file."""
    with _LOCK:
        if location is not None:
            key: tuple = ("parquet", location)
            kept = _open.pop(key) if key in _open else _Kept(_connect_parquet(location))
        else:
            path = path_of(version)
            key = _file_key(path, version)
            kept = _open.pop(key) if key in _open else _Kept(_connect(path))
        _open[key] = kept  # most recently used last
        kept.readers += 1
        while len(_open) > _KEPT_OPEN:
            _open.pop(next(iter(_open))).retire()
        try:
            con = kept.con.cursor()
        except BaseException:
            kept.readers -= 1
            raise
    try:
        yield con
    finally:
        with _LOCK:
            con.close()
            kept.readers -= 1
            if kept.retired and kept.readers == 0:
                kept.con.close()


@contextmanager
def opening(version: VoterFileVersion) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open *version*'s DuckDB file read-only on a connection of its own, closed after the
    `with` block: for readers that create tables or views on it (Splink's linkage). Every
    `reading` connection is its own too; this name says the caller relies on it."""
    with reading(version) as con:
        yield con


def _file_key(path: Path, version: VoterFileVersion) -> tuple:
    try:
        found = path.stat()
    except FileNotFoundError:
        raise NotFound(f"The data of voter file version {version.number}") from None
    return (str(path), found.st_ino, found.st_mtime_ns)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:  # with _LOCK held
    # DuckDB hands a new connection the database already open at the same path: a kept
    # connection to an earlier file of that name would read the old file.
    for key in [key for key in _open if key[0] == str(path)]:
        _open.pop(key).retire()
    return duckdb.connect(
        str(path), read_only=True, config={"memory_limit": READ_MEMORY_LIMIT, "threads": 2}
    )


def voter_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Return the columns of a version's voters table.

    Versions built before a column was added (the local districts, `confidential`) lack it;
    readers check here instead of failing on an older version put back in use.
    """
    return {
        row[0]
        for row in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'voters' "
            "AND database_name = current_database()"
        ).fetchall()
    }


# --- Parquet: one copy of each version that every app machine reads ----------------------

SCHEMA_FILE = "_schema.parquet"
# Locations seen published in this process: a published version is never written again, so
# the check (a file read, over the network for a URL) is made once per process.
_published: set[str] = set()


def parquet_base() -> str:
    """Return where versions are published as Parquet (VOTERFILE_PARQUET), or ''."""
    return str(getattr(settings, "VOTERFILE_PARQUET", "") or "")


def parquet_location(version: VoterFileVersion, base: str) -> str:
    """Return the folder (or URL prefix) of *version*'s Parquet files under *base*."""
    return location_under(base, version.organization, version.file_name)


def location_under(base: str, organization: Organization, file_name: str) -> str:
    """Return where the version stored locally as *file_name* is published under *base*."""
    return f"{base.rstrip('/')}/{organization.slug}/{Path(file_name).stem}"


def publish_new(organization: Organization, path: Path) -> str | None:
    """Publish the version file just finished at *path*, if VOTERFILE_PARQUET is set;
    return its location there. An import calls this before the version is numbered."""
    base = parquet_base()
    if not base:
        return None
    location = location_under(base, organization, path.name)
    with duckdb.connect(str(path), read_only=True) as con:
        publish_file(con, location)
    return location


def is_remote(location: str) -> bool:
    """Whether *location* is a URL (s3://, https://, ...) rather than a local folder."""
    return "://" in location


def publish(version: VoterFileVersion, base: str | None = None) -> str:
    """Write *version*'s tables, views and macros as Parquet under *base* (default: the
    VOTERFILE_PARQUET setting); return the version's location there.

    Read from the version's local DuckDB file, so this runs on the machine that imported it.
    A local folder is written aside and renamed into place; at a URL the schema file is
    written last, so a reader never opens a version whose tables are not all there.
    """
    base = base or parquet_base()
    if not base:
        raise InvalidInput(
            "Say where to publish: pass --to (a folder, s3://... or https://...) or set "
            "POWERBASE_VOTERFILE_PARQUET."
        )
    path = path_of(version)
    if not path.exists():
        raise NotFound(f"The data of voter file version {version.number} ({path})")
    location = parquet_location(version, base)
    with _file_reading(version) as con:
        publish_file(con, location)
    return location


def publish_file(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """Write the tables, views and macros of the database *con* reads to *location*."""
    try:
        _publish(con, location)
    except (duckdb.Error, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error).strip()
        raise InvalidInput(
            f"Could not write the voter file's Parquet copy to {location}: "
            f"{(reason or type(error).__name__).splitlines()[0]}"
        ) from None


def _publish(con: duckdb.DuckDBPyConnection, location: str) -> None:
    schema = _schema_rows(con)
    if is_remote(location):
        load_httpfs(con, location)
        _write_parquet(con, location, schema)
        return
    final = Path(location)
    aside = final.with_name(f"{final.name}.publishing-{uuid.uuid4().hex[:8]}")
    aside.mkdir(parents=True)
    try:
        _write_parquet(con, str(aside), schema)
        if final.exists():  # published before: the same version, written again
            shutil.rmtree(final)
        os.replace(aside, final)
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _schema_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, str]]:
    """Return (position, kind, name, sql) for each table, view and macro, tables first:
    what a reader needs to recreate the database over the Parquet files."""
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    views = con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal "
        "AND database_name = current_database() AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()
    macros = con.execute(
        "SELECT function_name, function_type, parameters, macro_definition "
        "FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') "
        "AND NOT internal AND database_name = current_database() ORDER BY function_name"
    ).fetchall()
    rows = [("table", name, "") for name in tables]
    # Macros before views: a view may call a macro; the macros here read only tables.
    rows += [
        (
            "macro",
            name,
            f"CREATE MACRO {name}({', '.join(parameters)}) AS "
            f"{'TABLE ' if kind == 'table_macro' else ''}{definition}",
        )
        for name, kind, parameters, definition in macros
    ]
    rows += [("view", name, sql) for name, sql in views]
    return [(position, *row) for position, row in enumerate(rows)]


def _write_parquet(
    con: duckdb.DuckDBPyConnection, location: str, schema: list[tuple[int, str, str, str]]
) -> None:
    for _, kind, name, _ in schema:
        if kind == "table":
            target = _sql_text(f"{location}/{name}.parquet")
            con.execute(f"COPY \"{name}\" TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    described = pa.table(
        {
            "position": [row[0] for row in schema],
            "kind": [row[1] for row in schema],
            "name": [row[2] for row in schema],
            "sql": [row[3] for row in schema],
        }
    )
    target = _sql_text(f"{location}/{SCHEMA_FILE}")
    cursor = con.cursor()
    try:
        cursor.register("powerbase_schema_rows", described)
        cursor.execute(f"COPY powerbase_schema_rows TO '{target}' (FORMAT parquet)")
    finally:
        cursor.close()


def _published_location(version: VoterFileVersion) -> str | None:
    """Return where to read *version* as Parquet, or None to read its local DuckDB file.

    With VOTERFILE_PARQUET set, a version published there is read there; one that was not
    (imported before the setting) is read from its local file, if this machine has it.
    """
    base = parquet_base()
    if not base:
        return None
    location = parquet_location(version, base)
    if location in _published:
        return location
    if _has_schema(location) or not path_of(version).exists():
        _published.add(location)
        return location
    return None


def written_as(version: VoterFileVersion) -> str | None:
    """Return a name for the data readers of *version* read, as written, for cache keys: its
    Parquet copy's location (published once, never changed) on a machine that reads that,
    else its local file's inode and time; None when neither is there."""
    location = _published_location(version)
    if location is not None:
        return "parquet-" + hashlib.sha256(location.encode()).hexdigest()[:16]
    try:
        written = path_of(version).stat()
    except OSError:
        return None
    return f"{written.st_ino}.{written.st_mtime_ns}"


def _has_schema(location: str) -> bool:
    if not is_remote(location):
        return Path(location, SCHEMA_FILE).is_file()
    try:
        with duckdb.connect() as con:
            load_httpfs(con, location)
            con.execute("SELECT count(*) FROM read_parquet(?)", [f"{location}/{SCHEMA_FILE}"])
    except duckdb.Error:
        return False
    return True


def _connect_parquet(location: str) -> duckdb.DuckDBPyConnection:  # with _LOCK held
    """Open an in-memory database whose tables are views over *location*'s Parquet files."""
    con = duckdb.connect(config={"memory_limit": READ_MEMORY_LIMIT, "threads": 2})
    try:
        if is_remote(location):
            load_httpfs(con, location)
        quoted = _sql_text(location)
        try:
            schema = con.execute(
                "SELECT kind, name, sql FROM read_parquet(?) ORDER BY position",
                [f"{location}/{SCHEMA_FILE}"],
            ).fetchall()
        except duckdb.IOException:
            raise NotFound(
                f"The voter file version published at {location} (`powerbase voterfile "
                "publish` writes it)"
            ) from None
        for kind, name, sql in schema:
            if kind == "table":
                # A view's definition cannot take parameters; the location is quoted.
                source = f"read_parquet('{quoted}/{name}.parquet')"
                con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {source}')  # noqa: S608
            else:
                con.execute(sql)
    except BaseException:
        con.close()
        raise
    return con


def load_httpfs(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """Let *con* read and write *location*, an s3:// or https:// URL: through DuckDB's httpfs
    extension when it loads, else through Python (`voterfile.object_storage`, fsspec).

    DuckDB downloads httpfs on first use; a machine that cannot reach DuckDB's extension
    repository reads through Python when `powerbase[objectstore]` is installed, and tries the
    download only when it is not (docs/deploy.md).
    """
    try:
        con.execute("LOAD httpfs")
        return
    except duckdb.Error:
        pass
    try:
        object_storage.register(con, location.partition("://")[0].lower())
        return
    except object_storage.NotAvailable as missing:
        lacking = str(missing)
    try:
        con.execute("INSTALL httpfs")
        con.execute("LOAD httpfs")
    except duckdb.Error as error:
        raise InvalidInput(
            f"Cannot reach {location}: DuckDB's httpfs extension is not installed and "
            f"could not be downloaded ({str(error).splitlines()[0]}), and reading it through "
            f"Python needs {lacking}. Install one of them (`INSTALL httpfs` once where the "
            "machine can reach DuckDB's extension repository), or publish to a shared folder "
            "instead."
        ) from None


def _sql_text(text: str) -> str:
    return text.replace("'", "''")

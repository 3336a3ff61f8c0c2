"""Where an organization's voter file versions live on disk, and how to open one.

    DATA_DIR/voterfile/<org-slug>/job17.building.duckdb   an import in progress (or killed)
    DATA_DIR/voterfile/<org-slug>/job17.duckdb            a finished version

A version file is written once, by its import, and only read after that: any number of web
processes can open it read-only at the same time. Which file is in use is decided by the
`VoterFileVersion` rows, never by the folder's contents, so a half-written file is never read.
"""

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from django.conf import settings

from powerbase.core.exceptions import NotFound
from powerbase.core.models import Organization
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
    Any number of threads may read at once.
    """
    path = path_of(version)
    with _LOCK:
        key = _file_key(path, version)
        kept = _open.pop(key, None)
        if kept is None:
            kept = _Kept(_connect(path))
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

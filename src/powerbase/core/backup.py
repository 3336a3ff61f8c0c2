"""One archive holding a whole install, and putting it back into an empty one.

    powerbase backup /backups/powerbase-2026-12-07.tar.gz
    powerbase restore /backups/powerbase-2026-12-07.tar.gz     (into an empty install)

An archive is a gzipped tar:

    database.sqlite3 | database.pgdump   the database (SQLite's backup API, or `pg_dump -Fc`)
    data/...                             the data dir: DuckDB voter-file versions, uploaded
                                         lists, exports, the power map's files, dev-secret-key
    manifest.json                        last: when, versions, migrations, and a checksum of
                                         every file and of every table's rows

The database is read once, as one snapshot: PostgreSQL's `pg_dump` and the table checksums
share an exported snapshot, and SQLite's checksums are taken from the copy its backup API made.
The voter-file versions are written once and never changed, so copying them after the
database is consistent; a voter-file import still building is left out (it is not in use).

With POWERBASE_BACKUP_KEY set the archive is encrypted (Fernet, in chunks of 4 MiB, each
numbered so that none can be dropped or reordered unnoticed). `restore` checks every checksum
before anything is put in place, and the tables' again once the database is restored.
"""

import contextlib
import hashlib
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection, connections

from powerbase.core.exceptions import PowerbaseError

FORMAT = 1
ENCRYPTED_MAGIC = b"POWERBASE-BACKUP-FERNET-1\n"
CHUNK = 4 * 1024 * 1024
# What in the data dir is not part of an install's state: the collected static files, an
# import or a demo load in progress, DuckDB's spill folders, unpacked .zip files, a restore's
# staging folder.
SKIPPED = re.compile(
    r"(^static/|\.building\.duckdb|\.duckdb\.tmp/|\.unzipped/|^demo-voterfile-|^\.restoring-)"
)
# Tables Django fills itself on `migrate`, and the housekeeping a worker queues when it starts:
# an install with rows only there is still empty (the restored database replaces them).
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "powerbase_cache",
    "django_tasks_database_dbtaskresult",
}


class BackupError(PowerbaseError):
    pass


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


# Reading the database ----------------------------------------------------------------------


def table_sums(cursor: Any, tables: list[str]) -> dict[str, TableSum]:
    """Return each table's row count and a checksum of its rows, in any order.

    The checksum adds up a hash of every row, so it needs no ORDER BY and reads each table once.
    Compare sums made through the same kind of connection (a raw SQLite file, or psycopg).
    """
    found = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalog
        rows, total = 0, 0
        while batch := cursor.fetchmany(5000):
            for row in batch:
                rows += 1
                plain = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                digest = hashlib.sha256(repr(plain).encode()).digest()
                total = (total + int.from_bytes(digest[:16])) % (1 << 128)
        found[table] = TableSum(rows, f"{total:032x}")
    return found


def sqlite_tables(con: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return [name for (name,) in con.execute(query)]


def postgres_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [name for (name,) in cursor.fetchall()]


def sqlite_file_sums(path: Path) -> dict[str, TableSum]:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return table_sums(con.cursor(), sqlite_tables(con))


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _pg_connect():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _check_client(program: str, server_major: int) -> str:
    """Return `program --version`, refusing one older than the server (it cannot read it)."""
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not installed; it comes with PostgreSQL's client "
            f"(Debian: apt-get install postgresql-client-{server_major})."
        )
    version = subprocess.run(  # noqa: S603 - a fixed program from PATH
        [program, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    found = re.search(r"\)\s*(\d+)", version)
    major = int(found.group(1)) if found else 0
    if major < server_major:
        raise BackupError(
            f"{version} is older than the PostgreSQL {server_major} server and cannot read it: "
            f"install postgresql-client-{server_major}."
        )
    return version


def _applied_migrations(cursor: Any) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


# Writing an archive ----------------------------------------------------------------------


class _EncryptingWriter(io.RawIOBase):
    """A file that Fernet-encrypts what is written to it, chunk by chunk, into *out*.

    Each chunk's plain text starts with its number and whether it is the last, so a chunk
    dropped, repeated, reordered or cut off at the end is noticed when reading.
    """

    def __init__(self, out: IO[bytes], fernet: MultiFernet) -> None:
        self.out, self.fernet, self.buffer, self.number = out, fernet, bytearray(), 0
        out.write(ENCRYPTED_MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) >= CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()

    def _emit(self, plain: bytes, *, last: bool) -> None:
        token = self.fernet.encrypt(struct.pack(">Q?", self.number, last) + plain)
        self.out.write(struct.pack(">I", len(token)) + token)
        self.number += 1


class _DecryptingReader(io.RawIOBase):
    def __init__(self, source: IO[bytes], fernet: MultiFernet, name: str) -> None:
        self.source, self.fernet, self.name_ = source, fernet, name
        self.pending, self.number, self.done = b"", 0, False

    def close(self) -> None:
        self.source.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self.pending and not self.done:
            self._next_chunk()
        count = min(len(target), len(self.pending))
        target[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count

    def _next_chunk(self) -> None:
        header = self.source.read(4)
        if len(header) < 4:
            raise BackupError(f"{self.name_} is cut short: its last part is missing.")
        size = struct.unpack(">I", header)[0]
        token = self.source.read(size)
        if len(token) < size:
            raise BackupError(f"{self.name_} is cut short: its last part is missing.")
        try:
            plain = self.fernet.decrypt(token)
        except InvalidToken:
            raise BackupError(
                f"{self.name_} cannot be decrypted with POWERBASE_BACKUP_KEY: it was made "
                "with another key, or the file is damaged."
            ) from None
        number, last = struct.unpack(">Q?", plain[:9])
        if number != self.number:
            raise BackupError(f"{self.name_} is damaged: its part {self.number} is out of order.")
        self.number += 1
        self.pending, self.done = plain[9:], last


class _Hashing(io.RawIOBase):
    """Read a file while hashing what was read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.sha256 = source, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        data = self.source.read(len(target))
        target[: len(data)] = data
        self.sha256.update(data)
        return len(data)


def _fernet(keys: list[str]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise BackupError(
            "POWERBASE_BACKUP_KEY is not a Fernet key (32 url-safe base64-encoded bytes): "
            "make one with `powerbase keys new`."
        ) from None


def _data_files(data_dir: Path, leave_out: set[Path]) -> Iterator[tuple[str, Path]]:
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir).as_posix()
        if path.is_file() and path not in leave_out and not SKIPPED.search(relative + "/"):
            yield relative, path


def _key_ids(keys: list[str]) -> list[str]:
    return [hashlib.sha256(key.encode()).hexdigest()[:12] for key in keys]


def backup(out: Path, *, encrypt: bool) -> dict:
    """Write the whole install into the archive *out*; return its manifest."""
    data_dir = Path(settings.DATA_DIR).resolve()
    out = out.resolve()
    keys = settings.BACKUP_KEYS
    if out.is_relative_to(data_dir):
        raise BackupError(
            f"{out} is inside the data dir ({data_dir}), which the archive holds: write it "
            "somewhere else, and copy it off this machine."
        )
    if encrypt and not keys:
        raise BackupError("Encrypting needs a key in POWERBASE_BACKUP_KEY (`powerbase keys new`).")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        manifest = _manifest_start()
        if _is_postgres():
            dump, database_files = _dump_postgres(Path(work), manifest), set()
        else:
            dump = _dump_sqlite(Path(work), manifest)
            database_files = {
                _sqlite_path().resolve().with_name(_sqlite_path().name + suffix)
                for suffix in ("", "-wal", "-shm", "-journal")
            }
        with open(partial, "wb") as raw:
            sink: IO[bytes] = _EncryptingWriter(raw, _fernet(keys)) if encrypt else raw  # type: ignore[assignment]
            with tarfile.open(fileobj=sink, mode="w|gz", compresslevel=1) as archive:
                manifest["files"][dump.name] = _add(archive, dump, dump.name)
                leave_out = database_files
                for relative, path in _data_files(data_dir, leave_out):
                    with contextlib.suppress(FileNotFoundError):  # an export deleted meanwhile
                        manifest["files"][f"data/{relative}"] = _add(
                            archive, path, f"data/{relative}"
                        )
                manifest["encrypted"] = encrypt
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(body), int(datetime.now(UTC).timestamp())
                archive.addfile(info, io.BytesIO(body))
            if encrypt:
                sink.close()
        os.replace(partial, out)
    return manifest


def _manifest_start() -> dict:
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "powerbase": metadata.version("powerbase"),
            "python": platform.python_version(),
            "django": metadata.version("django"),
            "duckdb": metadata.version("duckdb"),
        },
        "field_keys": {
            "from_environment": settings.FIELD_KEYS_FROM_ENVIRONMENT,
            "ids": _key_ids(settings.FIELD_ENCRYPTION_KEYS),
        },
        "files": {},
    }


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as source:
        info = archive.gettarinfo(fileobj=source, arcname=name)
        hashing = _Hashing(source)
        archive.addfile(info, io.BufferedReader(hashing))
    return {"sha256": hashing.sha256.hexdigest(), "size": info.size}


def _dump_sqlite(work: Path, manifest: dict) -> Path:
    dump = work / "database.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(_sqlite_path())) as live,
        contextlib.closing(sqlite3.connect(dump)) as copy,
    ):
        live.backup(copy)
    with contextlib.closing(sqlite3.connect(dump)) as con:
        cursor = con.cursor()
        manifest["database"] = {
            "engine": "sqlite",
            "server": sqlite3.sqlite_version,
            "migrations": _applied_migrations(cursor),
            "tables": _as_dict(table_sums(cursor, sqlite_tables(con))),
        }
    return dump


def _dump_postgres(work: Path, manifest: dict) -> Path:
    """`pg_dump -Fc` and the tables' checksums, both from one exported snapshot."""
    dump = work / "database.pgdump"
    import psycopg

    with _pg_connect() as con:
        server_major = con.info.server_version // 10000
        pg_dump = _check_client("pg_dump", server_major)
        con.isolation_level, con.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
        snapshot = con.execute("SELECT pg_export_snapshot()").fetchone()[0]
        done = subprocess.run(  # noqa: S603 - fixed program, our own arguments
            ["pg_dump", "-Fc", "--no-owner", "--snapshot", snapshot, "-f", str(dump)],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        cursor = con.cursor()
        manifest["database"] = {
            "engine": "postgresql",
            "server": con.execute("SHOW server_version").fetchone()[0],
            "client": pg_dump,
            "migrations": _applied_migrations(cursor),
            "tables": _as_dict(table_sums(con.cursor("sums"), postgres_tables(cursor))),
        }
        con.rollback()
    return dump


def _as_dict(sums: dict[str, TableSum]) -> dict:
    return {name: {"rows": s.rows, "checksum": s.checksum} for name, s in sums.items()}


# Restoring -------------------------------------------------------------------------------


def open_archive(path: Path) -> IO[bytes]:
    """Open *path* for reading, decrypting it if it is encrypted."""
    raw = open(path, "rb")  # noqa: SIM115 - the caller closes the reader
    if raw.read(len(ENCRYPTED_MAGIC)) != ENCRYPTED_MAGIC:
        raw.seek(0)
        return raw
    if not settings.BACKUP_KEYS:
        raw.close()
        raise BackupError(f"{path.name} is encrypted: set POWERBASE_BACKUP_KEY to its key.")
    return io.BufferedReader(_DecryptingReader(raw, _fernet(settings.BACKUP_KEYS), path.name))


def emptiness_problems() -> list[str]:
    """Say what makes this install not empty (a restore would mix two installs)."""
    problems = []
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in sorted(set(tables) - BOOKKEEPING):
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 - catalog names
            if cursor.fetchone():
                problems.append(f"the database's table {table} has rows")
                break
    data_dir = Path(settings.DATA_DIR).resolve()
    database_names = (
        set() if _is_postgres() else {_sqlite_path().name + s for s in ("", "-wal", "-shm")}
    )
    for relative, _ in _data_files(data_dir, set()):
        if relative not in database_names and relative != "dev-secret-key":
            problems.append(f"the data dir holds {data_dir / relative}")
            break
    return problems


def restore(archive_path: Path) -> dict:
    """Put the install in *archive_path* into this empty install; return its manifest."""
    if problems := emptiness_problems():
        raise BackupError(
            "This install is not empty (" + "; ".join(problems) + "). Restore only into a new "
            "install: a new DATABASE_URL database and an empty POWERBASE_DATA_DIR."
        )
    data_dir = Path(settings.DATA_DIR).resolve()
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restoring-"))
    try:
        manifest = _unpack(archive_path, staging)
        _check_migrations_known(manifest)
        engine = "postgresql" if _is_postgres() else "sqlite"
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"{archive_path.name} holds a {manifest['database']['engine']} database; this "
                f"install uses {engine}. Restore it into an install of the same kind."
            )
        connections.close_all()
        if engine == "sqlite":
            _restore_sqlite(staging / "database.sqlite3", manifest)
        else:
            _restore_postgres(staging / "database.pgdump", manifest)
        for relative in manifest["files"]:
            if relative.startswith("data/"):
                target = data_dir / relative.removeprefix("data/")
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _unpack(archive_path: Path, staging: Path) -> dict:
    with open_archive(archive_path) as source:
        try:
            with tarfile.open(fileobj=source, mode="r|gz") as archive:
                archive.extractall(staging, filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(
                f"{archive_path.name} is not a powerbase backup, or it is damaged ({error})."
            ) from None
    manifest_file = staging / "manifest.json"
    if not manifest_file.exists():
        raise BackupError(f"{archive_path.name} has no manifest.json: it is cut short.")
    manifest = json.loads(manifest_file.read_text())
    for relative, expected in manifest["files"].items():
        path = staging / relative
        if not path.is_file():
            raise BackupError(f"{archive_path.name} lacks {relative}, listed in its manifest.")
        digest = hashlib.sha256()
        with open(path, "rb") as unpacked:
            while block := unpacked.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"{archive_path.name}: {relative} does not match its checksum.")
    return manifest


def _check_migrations_known(manifest: dict) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    if unknown := sorted(set(manifest["database"]["migrations"]) - known):
        raise BackupError(
            f"The archive was made by a newer powerbase ({manifest['versions']['powerbase']}): "
            f"this one does not know its migrations {', '.join(unknown[:3])}. Restore with the "
            "release that made it, then upgrade."
        )


def _compare_sums(found: dict[str, TableSum], manifest: dict) -> None:
    expected = manifest["database"]["tables"]
    for table, want in expected.items():
        got = found.get(table)
        if got is None or (got.rows, got.checksum) != (want["rows"], want["checksum"]):
            rows = "missing" if got is None else f"{got.rows} rows"
            raise BackupError(
                f"After the restore the table {table} does not match the archive "
                f"({rows}, {want['rows']} expected)."
            )


def _restore_sqlite(dump: Path, manifest: dict) -> None:
    _compare_sums(sqlite_file_sums(dump), manifest)
    target = _sqlite_path()
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(dump, target)


def _restore_postgres(dump: Path, manifest: dict) -> None:
    with _pg_connect() as con:
        _check_client("pg_restore", con.info.server_version // 10000)
    done = subprocess.run(  # noqa: S603 - fixed program, our own arguments
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            _pg_env()["PGDATABASE"],
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    with _pg_connect() as con:
        cursor = con.cursor()
        _compare_sums(table_sums(con.cursor("sums"), postgres_tables(cursor)), manifest)

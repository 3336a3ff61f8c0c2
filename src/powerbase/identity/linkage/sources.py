"""Where the records come from: a CSV or Parquet file, an Arrow table, or a DuckDB table.

Every source becomes a SQL relation in the engine's DuckDB workspace, so a five-million-row
voter table is read by DuckDB where it lies and never copied into Python.
"""

import csv
import os
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from powerbase.identity.linkage.errors import LinkageError

type SourceInput = pa.Table | str | os.PathLike
PARQUET_SUFFIXES = (".parquet", ".pq")
SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class Source:
    """One input, readable with `SELECT ... FROM {relation}` in the workspace."""

    name: str
    relation: str
    headers: list[str]


class Workspace:
    """A DuckDB connection for one linkage run, with its scratch tables in a private catalog.

    Given the caller's connection, work in a cursor on it (so its stored tables are readable
    in place) but write every scratch table into an attached in-memory database that is
    detached at the end: the caller's database file is never written to. Without one, use a
    fresh in-memory database limited to *memory_limit*.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection | None = None,
        *,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
    ):
        self.tag = uuid.uuid4().hex[:8]
        self.catalog = f"powerbase_linkage_{self.tag}"
        self._owned: duckdb.DuckDBPyConnection | None = None
        self._spill: tempfile.TemporaryDirectory | None = None
        if connection is None:
            if temp_directory is None:
                # Where DuckDB spills what does not fit in memory_limit; removed at close.
                self._spill = tempfile.TemporaryDirectory(prefix="powerbase-linkage-")
                temp_directory = self._spill.name
            # Typed as duckdb's parameter: a dict[str, str] would not be accepted (invariance).
            config: dict[str, str | bool | int | float | list[str]] = {
                "temp_directory": temp_directory
            }
            if memory_limit:
                config["memory_limit"] = memory_limit
            connection = self._owned = duckdb.connect(config=config)
        self.con = connection.cursor()
        self.home = self.scalar("SELECT current_database() || '.' || current_schema()")
        # READ_WRITE: an in-memory scratch database is allowed even in a read-only instance.
        self.con.execute(f"ATTACH ':memory:' AS {self.catalog} (READ_WRITE)")
        self.con.execute(f"USE {self.catalog}")
        self.con.execute(f"SET search_path = '{self.catalog}.main,{self.home}'")
        self._count = 0
        self._on_close: list[Callable[[], object]] = []

    def on_close(self, callback: Callable[[], object]) -> None:
        """Call *callback* when the workspace closes (an engine's own clean-up)."""
        self._on_close.append(callback)

    def scalar(self, sql: str, parameters: list | None = None):
        """Return the first value of the first row of *sql*."""
        return self.con.execute(sql, parameters or []).fetchall()[0][0]

    def new_name(self, stem: str) -> str:
        """Return a fresh table name, unique across every attached database.

        Unqualified (Splink looks tables up by bare name), it lands in the private catalog
        because that is the one in use.
        """
        self._count += 1
        return f"pbl_{self.tag}_{stem}_{self._count}"

    def close(self) -> None:
        """Drop the scratch catalog and, if the workspace opened its own database, close it."""
        for callback in self._on_close:
            callback()
        self.con.execute(f"USE {self.home.split('.')[0]}")
        self.con.execute(f"DETACH {self.catalog}")
        self.con.close()
        if self._owned is not None:
            self._owned.close()
        if self._spill is not None:
            self._spill.cleanup()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_source(workspace: Workspace, source: SourceInput, *, label: str) -> Source:
    """Make *source* readable in *workspace*; *label* ("left", "members") names it if unnamed.

    A path (or a string naming an existing file) is read as CSV, or Parquet by its suffix,
    with every CSV column as text so ids and zip codes keep their leading zeros. Any other
    string names a stored table or view in the caller's DuckDB connection.
    """
    if isinstance(source, pa.Table):
        name = workspace.new_name(f"arrow_{label}")
        workspace.con.register(name, source)
        return _described(workspace, name=f"the {label} table", relation=name)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and Path(source).is_file()):
        return _file_source(workspace, Path(source))
    if isinstance(source, str):
        return _table_source(workspace, source)
    raise LinkageError(
        f"Cannot read the {label} records from a {type(source).__name__}: "
        "give a CSV or Parquet path, a pyarrow Table or a DuckDB table name."
    )


def _file_source(workspace: Workspace, path: Path) -> Source:
    if not path.is_file():
        raise LinkageError(f"{path} does not exist or is not a file.")
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _described(workspace, name=str(path), relation=f"read_parquet('{quoted}')")
    encoding = _csv_encoding(path)
    headers, delimiter = _csv_header(path, encoding)
    # The dialect and columns come from the header line: left to guess, DuckDB's sniffer
    # gives up on a file with one malformed row and reads every line as a single column.
    columns = ", ".join(f"'{_sql_text(header)}': 'VARCHAR'" for header in headers)
    relation = (
        f"read_csv('{quoted}', header = true, auto_detect = false, "
        f"delim = '{_sql_text(delimiter)}', quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, encoding = '{encoding}')"
    )
    return Source(name=str(path), relation=relation, headers=headers)


def _csv_header(path: Path, encoding: str) -> tuple[list[str], str]:
    """Return the header row of a CSV file and its delimiter (comma, semicolon, tab or bar)."""
    with path.open(
        encoding="latin-1" if encoding == "latin-1" else "utf-8-sig", newline=""
    ) as file:
        first_line = file.readline()
    if not first_line.strip():
        raise LinkageError(f"{path} is empty: expected a header row naming its columns.")
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    headers = next(csv.reader([first_line], delimiter=delimiter))
    headers = [
        header.strip() or f"column{number}" for number, header in enumerate(headers, start=1)
    ]
    repeated = next((header for header in headers if headers.count(header) > 1), None)
    if repeated is not None:
        raise LinkageError(
            f"{path}: the header names the column '{repeated}' twice; "
            "rename one so each field is read from one column."
        )
    return headers, delimiter


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def describe_read_error(source: Source, error: Exception) -> str:
    """Return a sentence about a read failure, naming the line for a malformed CSV row."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and counts:
        return (
            f"{source.name}, line {line[1]}: the row has {counts[2]} columns but the "
            f"header has {counts[1]}."
        )
    if line and "unterminated quote" in text:
        return f"{source.name}, line {line[1]}: a quotation mark is opened and never closed."
    if line:
        return f"{source.name}, line {line[1]}: {first_line(error)}"
    return f"Could not read {source.name}: {first_line(error)}"


def _csv_encoding(path: Path) -> str:
    """Return 'latin-1' when the file's first megabyte is not UTF-8, as old exports often are."""
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if error.start < len(head) - 3:
            return "latin-1"
    return "utf-8"


def _table_source(workspace: Workspace, name: str) -> Source:
    parts = name.split(".")
    home_db, home_schema = workspace.home.split(".")
    if len(parts) == 1:
        candidates = [(home_db, home_schema, *parts)]
    elif len(parts) == 2:  # schema.table, or database.table
        candidates = [(home_db, *parts), (parts[0], "main", parts[1])]
    else:
        candidates = [tuple(parts)]
    for candidate in candidates:
        relation = ".".join(f'"{part}"' for part in candidate)
        try:
            return _described(workspace, name=name, relation=relation)
        except duckdb.CatalogException:
            continue
    raise LinkageError(
        f"There is no table or view called '{name}' in the DuckDB database "
        "(temporary views of another connection are not visible; pass the "
        "records as a pyarrow Table instead)."
    )


def _described(workspace: Workspace, *, name: str, relation: str) -> Source:
    try:
        rows = workspace.con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608
    except duckdb.CatalogException:
        raise
    except duckdb.Error as error:
        raise LinkageError(f"Could not read {name}: {first_line(error)}") from error
    return Source(name=name, relation=relation, headers=[row[0] for row in rows])


def first_line(error: Exception) -> str:
    """Return the first line of an error's message (DuckDB's can run to a page)."""
    return str(error).strip().splitlines()[0]

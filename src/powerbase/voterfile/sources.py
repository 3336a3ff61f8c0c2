"""Read a state's files into DuckDB, counting malformed rows instead of stopping on them.

DuckDB's CSV reader does the work in parallel. Rows it cannot read (too few or too many
columns, a quote never closed) are kept in a rejects table with their byte position; we report
them with the line number a person would see in a text editor. Rows whose bytes are not UTF-8
(a county's Windows-1252 accents) are read again from those bytes with the layout's fallback
encoding (cp1252 unless the layout says otherwise), so one "Peña" does not cost a voter their
record.

Files are refused before any row is read when they cannot be text a state publishes: UTF-16
(Excel's "Unicode text"; the error says so and how to save it) and files holding NUL bytes
(binary or damaged). `.zip` archives (NCSBE's downloads) are read from the archive: their
headers are checked in place and the members unpacked beside the version being built;
`.gz` files are read as they are.
"""

import fnmatch
import gzip
import io
import mmap
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import duckdb

from powerbase.voterfile.expressions import ident, literal
from powerbase.voterfile.layout import FileFormat, Layout, LayoutError

EXAMPLES_KEPT = 20
SAMPLE_BYTES = 65536  # read from the start of each file to check its encoding
DELIMITER_CANDIDATES = (",", "\t", "|", ";")
PROBLEMS = {
    "MISSING COLUMNS": "has too few columns",
    "TOO MANY COLUMNS": "has too many columns",
    "UNQUOTED VALUE": "has a quote that is not closed where the value ends",
    "LINE SIZE OVER MAXIMUM": "is longer than 2 MB",
    "INVALID ENCODING": "has bytes that are neither UTF-8 nor the fallback encoding",
    "INVALID STATE": "could not be split into columns",
    "CAST": "has a value of the wrong type",
}


@dataclass(frozen=True)
class SourceFile:
    """One input file, the role it plays, and the columns it holds."""

    path: Path
    role: str  # "voters" or "history"
    format: FileFormat
    columns: tuple[str, ...]
    delimiter: str
    member: str = ""  # the file inside *path* when *path* is a .zip archive

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name


@dataclass(frozen=True)
class MalformedRow:
    file: str
    line: int
    problem: str
    text: str

    def sentence(self) -> str:
        return f"{self.file}, line {self.line}: the row {self.problem}."


@dataclass
class ReadReport:
    """What reading the files found: rows per file and the malformed rows, with examples."""

    files: list[dict] = field(default_factory=list)
    malformed_count: int = 0
    examples: list[MalformedRow] = field(default_factory=list)

    def add_malformed(self, count: int, examples: list[MalformedRow]) -> None:
        """Count *count* malformed rows, keeping *examples* while there is room."""
        self.malformed_count += count
        room = EXAMPLES_KEPT - len(self.examples)
        if room > 0:
            self.examples.extend(examples[:room])


ProgressCallback = Callable[[float], None]


def assign_files(paths: list[Path], layout: Layout) -> list[SourceFile]:
    """Decide which files hold registrations and which hold history; read their headers.

    Raises LayoutError naming the file when a file is missing, matches no role, or lacks a
    column the layout reads.
    """
    if not paths:
        raise LayoutError("No files were given to import.")
    history_format = layout.history.file if layout.history else None
    sources = []
    for path, member in _files_in(paths):
        name = Path(member).name if member else path.name
        if history_format and fnmatch_any(name, history_format):
            role, file_format = "history", history_format
        elif fnmatch_any(name, layout.voters.file):
            role, file_format = "voters", layout.voters.file
        else:
            raise LayoutError(
                f"{name} does not look like a file of the {layout.title} layout: "
                f"registration files are named like {', '.join(layout.voters.file.match)}"
                + (
                    f" and history files like {', '.join(history_format.match)}"
                    if history_format
                    else ""
                )
                + "."
            )
        source = SourceFile(
            path=path,
            role=role,
            format=file_format,
            columns=(),
            delimiter=file_format.delimiter,
            member=member,
        )
        check_encoding(source)
        delimiter, columns = _columns_of(source, layout)
        sources.append(
            SourceFile(
                path=path,
                role=role,
                format=file_format,
                columns=columns,
                delimiter=delimiter,
                member=member,
            )
        )
    if not any(source.role == "voters" for source in sources):
        raise LayoutError(
            f"None of the files is a registration file of the {layout.title} "
            f"layout (named like {', '.join(layout.voters.file.match)})."
        )
    return sources


def unpack(sources: list[SourceFile], folder: Path) -> list[SourceFile]:
    """Return *sources* with each .zip member unpacked into *folder*, to be read from there.

    The caller removes *folder* when the build is done (see `remove_unpacked`).
    """
    unpacked = []
    for source in sources:
        if not source.member:
            unpacked.append(source)
            continue
        target = folder / str(len(unpacked)) / source.name  # two archives may hold one name
        target.parent.mkdir(parents=True, exist_ok=True)
        with _open(source) as packed, target.open("wb") as out:
            shutil.copyfileobj(packed, out, 16 * 1024 * 1024)
        unpacked.append(replace(source, path=target, member=""))
    return unpacked


def remove_unpacked(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def check_encoding(source: SourceFile) -> None:
    """Refuse a file that is UTF-16 or holds NUL bytes, naming it; look at its first bytes."""
    with _open(source) as handle:
        sample = handle.read(SAMPLE_BYTES)
    _refuse_bad_bytes(source.name, sample, offset=0, start=True)


def _refuse_bad_bytes(name: str, sample: bytes, *, offset: int, start: bool) -> None:
    if start and sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LayoutError(_utf16(name, "it starts with a UTF-16 byte order mark"))
    nul = sample.find(b"\x00")
    if nul < 0:
        return
    if start and sample.count(b"\x00") * 4 >= len(sample):
        raise LayoutError(_utf16(name, "every other byte is a NUL byte"))
    raise LayoutError(
        f"{name} holds a NUL byte (at byte {offset + nul:,}), which no text file a state "
        "publishes does: it is a binary file or was damaged in the download. Download it "
        "again, or open it and save it as text."
    )


def _utf16(name: str, evidence: str) -> str:
    return (
        f'{name} is UTF-16 text ({evidence}), as Excel writes "Unicode text". Voter '
        'files are read as UTF-8 or Windows-1252 (cp1252): save it as "CSV UTF-8" or '
        "plain text in one of those, and import it again."
    )


def refuse_nul_bytes(source: SourceFile) -> None:
    """Scan the whole file for NUL bytes; refuse it if any.

    A plain file is mapped into memory and searched in place (about 3 GB a second, no copy);
    a .gz file is decompressed into one reused buffer, which is slower.
    """
    if source.member or source.path.suffix.lower() == ".gz":
        _scan_stream(source)
        return
    with source.path.open("rb") as handle:
        if source.path.stat().st_size == 0:
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            nul = mapped.find(b"\x00")
            if nul >= 0:
                _refuse_bad_bytes(source.name, b"\x00", offset=nul, start=False)


def _scan_stream(source: SourceFile) -> None:
    offset = 0
    buffer = bytearray(16 * 1024 * 1024)
    with _open(source) as handle:
        while size := handle.readinto(buffer):
            nul = buffer.find(b"\x00", 0, size)
            if nul >= 0:
                _refuse_bad_bytes(source.name, b"\x00", offset=offset + nul, start=False)
            offset += size


def read_file(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    *,
    insert_sql: str,
    report: ReadReport,
    on_progress: ProgressCallback,
    scan_id: int,
) -> int:
    """Run *insert_sql* over the rows of *source* and return how many rows it inserted.

    *insert_sql* is an `INSERT INTO ... SELECT ... FROM {rows}` statement; `{rows}` is
    replaced by the reader of the file (plain replacement: layouts may hold braces).
    Malformed rows go to *report*.
    """
    rejects = f"pb_rejects_{scan_id}"
    reader = _reader_sql(source, source.path, header=source.format.header, rejects=rejects)
    inserted = _run_with_progress(con, insert_sql.replace("{rows}", reader), on_progress)
    bad_encoding = _rejected_lines(con, rejects, encoding=True)
    if bad_encoding:
        inserted += _read_with_fallback(con, source, bad_encoding, insert_sql, report, scan_id)
    # A file may hold many malformed rows: count them all, describe only the first few.
    malformed = _count_rejected(con, rejects)
    repaired: set[int] = set()
    if 0 < malformed <= REPAIR_LIMIT and source.format.quote == '"':
        inserted_again, repaired = _read_with_stray_quotes(
            con, source, _rejected_lines(con, rejects, encoding=False), insert_sql, scan_id
        )
        inserted += inserted_again
        malformed -= len(repaired)
    examples = [
        example
        for example in _rejected_lines(
            con, rejects, encoding=False, limit=EXAMPLES_KEPT + len(repaired)
        )
        if example["position"] not in repaired
    ][:EXAMPLES_KEPT]
    report.add_malformed(malformed, _malformed_rows(source, examples))
    report.files.append(
        {
            "name": source.name,
            "role": source.role,
            "bytes": source.path.stat().st_size,
            "rows": inserted,
            "malformed": malformed,
            "cut_off": bool(malformed) and _ends_mid_row(con, source, rejects),
        }
    )
    return inserted


# Files and headers --------------------------------------------------------------------------


def fnmatch_any(name: str, file_format: FileFormat) -> bool:
    """True when the file *name* matches one of the format's name patterns."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in file_format.match)


def _files_in(paths: list[Path]) -> list[tuple[Path, str]]:
    """Return (path, member) for each file: member "" for a plain file, or each file inside a
    .zip archive."""
    found = []
    for path in paths:
        if not path.is_file():
            raise LayoutError(f"{path} does not exist or is not a file.")
        if path.suffix.lower() != ".zip":
            found.append((path, ""))
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    info.filename
                    for info in archive.infolist()
                    if not info.is_dir() and not Path(info.filename).name.startswith(".")
                ]
        except zipfile.BadZipFile:
            raise LayoutError(
                f"{path.name} is not a readable zip archive: it may be cut off. Download it again."
            ) from None
        if not members:
            raise LayoutError(f"{path.name} is an empty zip archive.")
        found.extend((path, member) for member in members)
    return found


def _ends_mid_row(con: duckdb.DuckDBPyConnection, source: SourceFile, rejects: str) -> bool:
    """True when the file stops without a final line break and its last row was malformed:
    a download cut off mid-row."""
    if source.path.suffix.lower() == ".gz":
        return False  # a cut-off gzip stream fails to read at all
    size = source.path.stat().st_size
    with source.path.open("rb") as handle:
        handle.seek(max(0, size - SAMPLE_BYTES))
        tail = handle.read()
    if not tail or tail.endswith(b"\n"):
        return False
    last_line_start = size - len(tail) + tail.rfind(b"\n") + 1
    last_reject = con.execute(f"SELECT max(line_byte_position) FROM {ident(rejects)}").fetchall()[  # noqa: S608
        0
    ][0]  # noqa: S608
    return last_reject is not None and last_reject >= last_line_start - 1


def _columns_of(source: SourceFile, layout: Layout) -> tuple[str, tuple]:
    """Return the delimiter and column names of *source*, from its header or the layout."""
    file_format = source.format
    first_line = _first_line(source, file_format.encoding_fallback)
    delimiter = file_format.delimiter
    if delimiter == "auto":
        delimiter = max(DELIMITER_CANDIDATES, key=first_line.count)
        if first_line.count(delimiter) == 0:
            raise LayoutError(
                f"{source.name}: the first line has no comma, tab, pipe or "
                "semicolon, so its columns cannot be told apart."
            )
    if not file_format.header:
        columns = file_format.columns
        if (
            layout.history
            and layout.history.layout == "groups"
            and file_format is layout.voters.file
        ):
            columns = columns + layout.history.group_column_names()
        return delimiter, columns
    names = [
        name.strip().strip(file_format.quote or '"').strip() for name in first_line.split(delimiter)
    ]
    if not any(names):
        raise LayoutError(
            f"{source.name}: the first line is empty, but this layout expects a "
            "header row naming the columns."
        )
    return delimiter, tuple(_unique(names))


def _open(source: SourceFile | Path) -> AbstractContextManager[io.BufferedIOBase]:
    """Open a file for reading bytes: through gzip for a .gz file (DuckDB reads those too),
    from inside its archive for a .zip member. A compressed file that is cut off or damaged
    raises LayoutError naming it, wherever it is read."""
    path = source if isinstance(source, Path) else source.path
    member = "" if isinstance(source, Path) else source.member
    return _opened(path, member)


@contextmanager
def _opened(path: Path, member: str) -> Iterator[io.BufferedIOBase]:
    where = f"{member} in {path.name}" if member else path.name
    try:
        if member:
            with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
                # The stubs type `ZipFile.open` as IO[bytes]; it returns a ZipExtFile, buffered.
                yield cast(zipfile.ZipExtFile, handle)
        elif path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                yield cast(io.BufferedIOBase, handle)
        else:
            with path.open("rb") as handle:
                yield handle
    except gzip.BadGzipFile:
        raise LayoutError(
            f"{where} is not a gzip file, though its name ends in .gz: rename it without "
            "the .gz, or download it again."
        ) from None
    except (EOFError, zlib.error):
        raise LayoutError(
            f"{where} is cut off: the compressed file ends before its last row (or is "
            "damaged), so it was not read. Download it again."
        ) from None
    except zipfile.BadZipFile:
        raise LayoutError(
            f"{where} is damaged (its checksum does not match what the archive says), so "
            "it was not read. Download it again."
        ) from None


def _first_line(source: SourceFile, fallback: str) -> str:
    with _open(source) as handle:
        raw = handle.readline(1_000_000)
    raw = raw.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(fallback, errors="replace")


def _unique(names: list[str]) -> list[str]:
    """Name blank or repeated header cells so every column can be addressed."""
    seen: dict[str, int] = {}
    unique = []
    for position, name in enumerate(names, start=1):
        name = name or f"column_{position}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


# Reading ------------------------------------------------------------------------------------


def _reader_sql(source: SourceFile, path: Path, *, header: bool, rejects: str) -> str:
    columns = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in source.columns)
    quote = source.format.quote
    return (
        f"read_csv({literal(str(path))}, delim={literal(source.delimiter)}, "
        f"header={'true' if header else 'false'}, quote={literal(quote)}, "
        f"escape={literal(quote)}, columns={{{columns}}}, auto_detect=false, "
        f"null_padding={'true' if source.format.pad_short_rows else 'false'}, "
        f"ignore_errors=true, store_rejects=true, rejects_table={literal(rejects)}, "
        f"rejects_scan={literal(rejects + '_scans')}, max_line_size=2097152)"
    )


def _run_with_progress(
    con: duckdb.DuckDBPyConnection, sql: str, on_progress: ProgressCallback
) -> int:
    """Run *sql* in a helper thread while this thread reports DuckDB's progress."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["rows"] = con.execute(sql).fetchall()[0][0]
        except BaseException as error:  # re-raised in the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="voterfile-read", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.25)
        try:
            percent = con.query_progress()
        except duckdb.Error:
            percent = -1
        if percent >= 0:
            on_progress(min(percent, 100.0) / 100)
    if "error" in outcome:
        raise outcome["error"]
    on_progress(1.0)
    return int(outcome.get("rows", 0))


# DuckDB logs a short row once per missing column: one line can have several rejects. A line
# with bytes that are not UTF-8 is decided by reading it again (see _read_with_fallback).
_ENCODING = "error_type = 'INVALID ENCODING'"
_NOT_ENCODING = "line NOT IN (SELECT line FROM {table} WHERE error_type = 'INVALID ENCODING')"


def _rejected_lines(
    con: duckdb.DuckDBPyConnection, rejects: str, *, encoding: bool, limit: int | None = None
) -> list[dict]:
    """Return one entry per rejected line, in file order: encoding errors or the others."""
    table = ident(rejects)
    where = _ENCODING if encoding else _NOT_ENCODING.format(table=table)
    rows = con.execute(
        f"SELECT line, min(line_byte_position), min(error_type::VARCHAR), min(csv_line) "  # noqa: S608
        f"FROM {table} WHERE {where} GROUP BY line ORDER BY min(line_byte_position)"
        + (f" LIMIT {int(limit)}" if limit else "")
    ).fetchall()
    return [
        {"line": line, "position": position, "error_type": error_type, "text": text}
        for line, position, error_type, text in rows
    ]


def _count_rejected(con: duckdb.DuckDBPyConnection, rejects: str) -> int:
    """Return how many lines were rejected for a reason other than their encoding."""
    table = ident(rejects)
    return int(
        con.execute(
            f"SELECT count(DISTINCT line) FROM {table} "  # noqa: S608
            f"WHERE {_NOT_ENCODING.format(table=table)}"
        ).fetchall()[0][0]
    )


def _read_with_fallback(
    con, source: SourceFile, errors: list[dict], insert_sql: str, report: ReadReport, scan_id: int
) -> int:
    """Decode the rejected lines with the fallback encoding and read them again."""
    lines = _raw_lines(source.path, [error["position"] for error in errors])
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=".txt", delete=False, newline=""
    ) as temp:
        for raw in lines:
            temp.write(raw.decode(source.format.encoding_fallback, errors="replace") + "\n")
        temp_path = Path(temp.name)
    rejects = f"pb_rejects_{scan_id}_fallback"
    try:
        reader = _reader_sql(source, temp_path, header=False, rejects=rejects)
        inserted = con.execute(insert_sql.replace("{rows}", reader)).fetchall()[0][0]
        still_bad = _rejected_lines(con, rejects, encoding=False)
    finally:
        temp_path.unlink(missing_ok=True)
    originals = {number: error for number, error in enumerate(errors, start=1)}
    report.add_malformed(
        len(still_bad),
        _malformed_rows(
            source, [{**bad, "position": originals[bad["line"]]["position"]} for bad in still_bad]
        ),
    )
    return int(inserted)


REPAIR_LIMIT = 10_000  # more malformed rows than this: a wrong layout, not stray quotes


def _read_with_stray_quotes(
    con, source: SourceFile, errors: list[dict], insert_sql: str, scan_id: int
) -> tuple[int, set[int]]:
    """Read again the rejected rows whose every value is quoted but holds a quote inside
    (NCSBE writes a nickname as "ROBERT "BOB"", not doubled): split on quote, delimiter,
    quote, and keep the rows that then have the file's number of columns.

    Returns the rows inserted and the byte positions (as rejected) of the lines repaired.
    """
    separator = '"' + source.delimiter + '"'
    fixed: dict[int, str] = {}
    for error, raw in zip(
        errors, _raw_lines(source.path, [error["position"] for error in errors]), strict=True
    ):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode(source.format.encoding_fallback, errors="replace")
        if len(line) < 2 or not (line.startswith('"') and line.endswith('"')):
            continue
        cells = line[1:-1].split(separator)
        if len(cells) != len(source.columns) or not any('"' in cell for cell in cells):
            continue
        fixed[error["position"]] = source.delimiter.join(
            '"' + cell.replace('"', '""') + '"' for cell in cells
        )
    if not fixed:
        return 0, set()
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=".txt", delete=False, newline=""
    ) as temp:
        temp.writelines(line + "\n" for line in fixed.values())
        temp_path = Path(temp.name)
    rejects = f"pb_rejects_{scan_id}_quotes"
    try:
        reader = _reader_sql(source, temp_path, header=False, rejects=rejects)
        inserted = con.execute(insert_sql.replace("{rows}", reader)).fetchall()[0][0]
        still_bad = {bad["line"] for bad in _rejected_lines(con, rejects, encoding=False)}
    finally:
        temp_path.unlink(missing_ok=True)
    repaired = {
        position for number, position in enumerate(fixed, start=1) if number not in still_bad
    }
    return int(inserted), repaired


def _raw_lines(path: Path, positions: list[int]) -> list[bytes]:
    """Return the whole lines around *positions*.

    DuckDB's line position can point just past an opening quote, so each line is taken from
    the newline before the position.
    """
    lines = []
    with _open(path) as handle:
        for position in positions:
            window = max(0, position - 4096)
            handle.seek(window)
            before = handle.read(position - window)
            handle.seek(window + before.rfind(b"\n") + 1)
            lines.append(handle.readline().rstrip(b"\r\n"))
    return lines


def _malformed_rows(source: SourceFile, errors: list[dict]) -> list[MalformedRow]:
    """Describe the first rejects so a person can find them: line number, problem, text."""
    examples = sorted(errors, key=lambda error: error["position"])[:EXAMPLES_KEPT]
    lines = _line_numbers(source.path, [error["position"] for error in examples])
    rows = []
    for line, error in zip(lines, examples, strict=True):
        problem = PROBLEMS.get(error["error_type"], "could not be read")
        if error["error_type"] in {"MISSING COLUMNS", "TOO MANY COLUMNS"}:
            problem += f" (expected {len(source.columns)})"
        rows.append(
            MalformedRow(
                file=source.name, line=line, problem=problem, text=(error["text"] or "")[:200]
            )
        )
    return rows


def _line_numbers(path: Path, positions: list[int]) -> list[int]:
    """Count the newlines before each byte position (positions sorted ascending)."""
    numbers, counted, offset = [], 0, 0
    chunk_size = 16 * 1024 * 1024
    with _open(path) as handle:
        for position in positions:
            while offset + chunk_size <= position:
                counted += handle.read(chunk_size).count(b"\n")
                offset += chunk_size
            head = handle.read(position - offset)
            counted += head.count(b"\n")
            offset = position
            numbers.append(counted + 1)
    return numbers

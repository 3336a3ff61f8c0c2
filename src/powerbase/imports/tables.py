"""What every reader produces: a Table of numbered Rows, and the rules all files share.

The rules a header must meet and the way rows are numbered, fitted to the header and held to
the size limits are the same for CSV and XLSX; they live here, with the uploaded source that
both readers reopen for each pass.
"""

import contextlib
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO, Literal, cast

from powerbase.imports.errors import FileRefused

Cell = str | int | float | bool | date | datetime | time | timedelta
Source = bytes | bytearray | memoryview | str | os.PathLike | BinaryIO

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """How big a file may be before it is refused; generous for real lists, small for attacks."""

    max_file_bytes: int = 200 * 2**20
    max_unpacked_bytes: int = 1 * 2**30  # an XLSX after unzipping: stops zip bombs
    max_rows: int = 1_000_000  # data rows, the header not counted
    max_columns: int = 500
    max_line_chars: int = 1_000_000
    max_cell_chars: int = 32_767  # what Excel itself allows in one cell


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as a spreadsheet shows it, and one cell per header column."""

    number: int
    cells: tuple[Cell, ...]
    # Why the row itself cannot be trusted (cells past the named columns): a list import
    # rejects just this row; readers that need every row whole refuse the file.
    problem: str = ""


@dataclass
class Table:
    """A readable file: its header, how it was read, and `rows()` to stream its data rows."""

    file_name: str
    kind: Literal["csv", "xlsx"]
    header: tuple[str, ...]
    encoding: str | None = None  # CSV only: the text encoding used
    delimiter: str | None = None  # CSV only
    sheet_name: str | None = None  # XLSX only: the sheet read
    sheet_names: tuple[str, ...] = ()  # XLSX only: every sheet, to offer a choice
    date1904: bool = False  # XLSX only: date serial numbers count from 1904, not 1900
    formula_cells: int = 0  # XLSX only: formula cells read as the value Excel saved
    first_column: int = 0  # XLSX only: index of the sheet column that holds header[0]
    # Data rows, for a progress bar before the rows are read. Exact for XLSX; for CSV it
    # counts lines, so a cell holding line breaks makes it a little high.
    rows_estimate: int = 0
    _source: "Upload | None" = field(default=None, repr=False)
    _limits: ReadLimits = field(default_factory=ReadLimits, repr=False)
    _read_rows: Callable[["Table"], Iterator[Row]] | None = field(default=None, repr=False)

    def rows(self) -> Iterator[Row]:
        """Yield every data row in order; raise FileRefused at the first row that breaks a rule."""
        if self._read_rows is None:
            raise ValueError(f"The table of {self.file_name} was made without its rows.")
        return self._read_rows(self)

    def upload(self) -> "Upload":
        """Return the file the rows are read from (every table read from a file has one)."""
        if self._source is None:
            raise ValueError(f"The table of {self.file_name} was not read from a file.")
        return self._source

    @property
    def delimiter_name(self) -> str:
        """Say how a CSV table's cells are separated: 'comma', 'tab'..."""
        assert self.delimiter is not None, "a CSV table is read with a delimiter"
        return DELIMITER_NAMES[self.delimiter]

    def column_letter(self, index: int) -> str:
        """Return the spreadsheet letter (A, B, ..., AA) of header column *index*."""
        return column_letter(index + self.first_column)

    @property
    def description(self) -> str:
        """Say in words how the file was read, for a person checking the result."""
        if self.kind == "xlsx":
            return f"Excel workbook, sheet '{self.sheet_name}'"
        return f"CSV text in {encoding_label(self.encoding)}, {self.delimiter_name}-separated"


def cell_text(cell: Cell) -> str:
    """Return a cell as the text a person would see in the spreadsheet."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        # Spreadsheets store every number as a float; 6511.0 was typed as 6511.
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of the zero-based column *index* (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def encoding_label(encoding: str | None) -> str:
    """Return the name people know an encoding by (Windows-1252 rather than cp1252)."""
    names = {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
        "utf-32": "UTF-32",
        "cp1252": "Windows-1252",
        "latin-1": "Latin-1",
        "latin_1": "Latin-1",
        "iso8859-1": "Latin-1",
    }
    if encoding is None:
        return "an unknown encoding"
    return names.get(encoding.lower(), encoding)


# ---------------------------------------------------------------------------------------------
# Sources: bytes, a path, or a file object, each reopenable for a second pass.


class Upload:
    """Hold what was uploaded and open it as a binary stream as often as needed."""

    def __init__(self, source: Source, file_name: str | None):
        if isinstance(source, bytearray | memoryview):
            source = bytes(source)
        self.source = source
        self.name = file_name or self._default_name()

    def _default_name(self) -> str:
        if isinstance(self.source, str | os.PathLike):
            return Path(self.source).name
        name = getattr(self.source, "name", None)
        if isinstance(name, str) and name:
            return Path(name).name
        return "The uploaded file"

    def size(self) -> int:
        if isinstance(self.source, bytes):
            return len(self.source)
        if isinstance(self.source, str | os.PathLike):
            try:
                return os.stat(self.source).st_size
            except OSError as error:
                raise FileRefused(
                    file=self.name, problem=(f"The file cannot be opened ({error.strerror}).")
                ) from error
        self.source.seek(0, io.SEEK_END)
        return self.source.tell()

    def head(self, count: int) -> bytes:
        with self.opened() as stream:
            return stream.read(count)

    @contextlib.contextmanager
    def opened(self) -> Iterator[BinaryIO]:
        """Yield a binary stream at the start of the file; close it only if it was opened here."""
        if isinstance(self.source, bytes):
            yield io.BytesIO(self.source)
        elif isinstance(self.source, str | os.PathLike):
            with open(self.source, "rb") as stream:
                yield stream
        else:
            self.source.seek(0)
            yield _as_buffered(self.source)


def _as_buffered(stream) -> BinaryIO:
    """Return *stream* as an io stream TextIOWrapper accepts (Django upload objects are not)."""
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        return cast(BinaryIO, stream)  # typeshed's BinaryIO is a protocol of its own
    return io.BufferedReader(_RawReader(stream))


class _RawReader(io.RawIOBase):
    """Adapt any object with read() to io.RawIOBase, without ever closing it."""

    def __init__(self, stream):
        self.stream = stream

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.stream.seek(offset, whence)
        return self.stream.tell()

    def tell(self) -> int:
        return self.stream.tell()

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # the caller owns the stream
        pass


# ---------------------------------------------------------------------------------------------
# Rules shared by CSV and XLSX


def checked_header(
    file: str, cells: Sequence[Cell], limits: ReadLimits, first_column: int = 0
) -> tuple[str, ...]:
    """Return the header names, or refuse a header a person would have to fix first."""
    names = [" ".join(cell_text(cell).replace("\ufeff", "").split()) for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FileRefused(file=file, row=1, problem=blank_header_problem())
    if len(names) > limits.max_columns:
        raise FileRefused(
            file=file,
            row=1,
            problem=(
                f"This row names {len(names):,} columns; an import may have at most "
                f"{limits.max_columns:,}."
            ),
        )
    if all(_looks_like_data(cell) for cell, name in zip(cells, names, strict=False) if name):
        shown = ", ".join(f"'{name}'" for name in names[:3] if name)
        raise FileRefused(
            file=file,
            row=1,
            problem=(
                f"The first row holds data ({shown}), not column names. Add a first row that names "
                "each column, for example First name, Last name, Email."
            ),
        )
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        letter = column_letter(index + first_column)
        if not name:
            raise FileRefused(
                file=file,
                row=1,
                problem=(
                    f"Column {letter} has no name. Give every column a name in the first row, or "
                    "delete the column."
                ),
            )
        if len(name) > 200:
            raise FileRefused(
                file=file,
                row=1,
                problem=(
                    f"Column {letter} has a name of {len(name):,} characters; the first row "
                    "should hold short column names."
                ),
            )
        key = name.casefold()
        if key in seen:
            raise FileRefused(
                file=file,
                row=1,
                problem=(
                    f"Columns {column_letter(seen[key] + first_column)} and {letter} are both "
                    "named "
                    f"'{name}'. Give each column its own name, for example 'Phone' and 'Phone 2'."
                ),
            )
        seen[key] = index
    return tuple(names)


def blank_header_problem() -> str:
    return (
        "The first row is blank. The first row must name each column, for example "
        "First name, Last name, Email."
    )


_DATA_TEXT = re.compile(
    r"[\s\d.,:/+()\-]*|[^@\s]+@[^@\s]+\.[^@\s]+|"
    r"\d{1,2}[-/ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]\d{2,4}",
    re.IGNORECASE,
)


def _looks_like_data(cell: Cell) -> bool:
    """Return True for a value that is a number, date, phone or email rather than a name."""
    if isinstance(cell, str):
        return _DATA_TEXT.fullmatch(cell.strip()) is not None
    return True  # numbers, dates, booleans


def numbered_rows(
    table: Table, records: Iterable[Sequence[Cell]], first_number: int
) -> Iterator[Row]:
    """Number the records, fit them to the header, and refuse rows that break a rule."""
    all_text = table.kind == "csv"
    width = len(table.header)
    limits = table._limits
    last_allowed = limits.max_rows + 1
    for number, record in enumerate(records, start=first_number):
        if number > last_allowed:
            raise FileRefused(file=table.file_name, problem=too_many_rows_problem(limits))
        problem = ""
        if len(record) > limits.max_columns:
            raise FileRefused(
                file=table.file_name,
                row=number,
                problem=(
                    f"This row has more than {limits.max_columns:,} cells; an import may have at "
                    f"most {limits.max_columns:,} columns. Check that this is the right file."
                ),
            )
        if len(record) > width:
            record, problem = _without_empty_overflow(table, record, width)
        elif len(record) < width:
            record = [*record, *([""] * (width - len(record)))]
        # A CSV row holds text only, and len() is the fast measure of text.
        measured = map(len, cast(Sequence[str], record)) if all_text else map(_text_length, record)
        if max(measured) > limits.max_cell_chars:
            index = next(
                i for i, cell in enumerate(record) if _text_length(cell) > limits.max_cell_chars
            )
            raise FileRefused(
                file=table.file_name,
                row=number,
                column=table.header[index],
                problem=(
                    f"This cell holds {_text_length(record[index]):,} "
                    f"characters; a cell may hold at most "
                    f"{limits.max_cell_chars:,}."
                ),
            )
        yield Row(number, tuple(record), problem)


def _text_length(cell: Cell) -> int:
    return len(cell) if isinstance(cell, str) else 0


def _without_empty_overflow(
    table: Table, record: Sequence[Cell], width: int
) -> tuple[Sequence[Cell], str]:
    """Drop empty cells past the last column; say what is wrong with a row with data there."""
    extra = record[width:]
    if all(cell_text(cell).strip() == "" for cell in extra):
        return record[:width], ""
    if table.kind == "csv":
        hint = (
            f"A {table.delimiter_name} inside a cell that is not in quotes "
            "usually causes this; put such cells in double quotes."
        )
    else:
        hint = "Give the extra columns a name in the first row, or clear them."
    last = max(i for i, cell in enumerate(record) if cell_text(cell).strip()) + 1
    return record[:width], (
        f"This row has {last} cells but the first row names only {width} columns. {hint}"
    )


def too_many_rows_problem(limits: ReadLimits) -> str:
    return (
        f"The file has more than {limits.max_rows:,} rows; an import may have at most "
        f"{limits.max_rows:,}. Split it into smaller files."
    )


def size_text(size: int) -> str:
    if size < 2**20:
        return f"{size:,} bytes" if size < 2**10 else f"{size / 2**10:,.0f} KB"
    return f"{size / 2**20:,.1f} MB"

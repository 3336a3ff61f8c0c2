"""Open an uploaded CSV or XLSX file as a header and a stream of numbered rows.

    table = open_table(upload_bytes, file_name="roster.csv")
    table.header            # ("First name", "Last name", "Cell", ...)
    for row in table.rows():
        row.number          # as a spreadsheet shows it: the header is row 1, data starts at 2
        row.cells           # one value per header column, padded with "" when a row is short

What kind of file it is comes from its content, not its name. CSV text may be UTF-8 (with or
without a byte-order mark), UTF-16 or a legacy encoding such as Windows-1252; the delimiter
may be a comma, semicolon, tab or pipe. XLSX cells keep their types (numbers, dates, booleans)
so a zip code typed as a number or a date typed as a date can be read as what it is.

`open_table` checks everything it can before the first row is read (size, kind, encoding,
header). What can only be found while reading (a ragged row, an unclosed quote, a cell that is
too long, too many rows) raises FileRefused from `rows()`, naming the row. Nothing here writes
anything, so a refusal at any point leaves nothing behind; callers that write should read the
whole file once (the dry run) before writing.

`rows()` can be called again for a second pass: each call reopens the source. CSV rows are
streamed; an XLSX sheet is held by calamine in compact Rust memory and turned into Python
values one row at a time.
"""

import codecs
import contextlib
import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO, Literal
from xml.etree.ElementTree import Element, ParseError

import charset_normalizer
import defusedxml.ElementTree as SafeXML
import python_calamine
from defusedxml import DefusedXmlException

from powerbase.imports.errors import FileRefused

Cell = str | int | float | bool | date | datetime | time | timedelta
Source = bytes | bytearray | memoryview | str | os.PathLike | BinaryIO

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
CHUNK_BYTES = 1 << 20
SAMPLE_CHARS = 64 * 1024
# Where charset-normalizer reads a file equally well as several legacy encodings, prefer what
# Excel on a US Windows machine writes: organizers' lists mostly come from there.
PREFERRED_LEGACY_ENCODING = "cp1252"
# Encodings a file without a byte-order mark is never guessed to be: the UTF-16/32 cases are
# handled by looking at where the zero bytes fall, and UTF-7 would let anything through.
NEVER_GUESSED = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7"]

BYTE_ORDER_MARKS = (  # longest first: a UTF-32 LE mark starts like a UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of files people upload by mistake, with what to tell them.
SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel 97-2003 workbook (.xls) or a "
     "password-protected workbook; open it in Excel or LibreOffice and save it as .xlsx "
     "without a password, or as .csv"),
    (b"%PDF", "a PDF document, not a spreadsheet"),
    (b"\x89PNG", "a PNG image, not a spreadsheet"),
    (b"\xff\xd8\xff", "a JPEG image, not a spreadsheet"),
    (b"GIF8", "a GIF image, not a spreadsheet"),
    (b"\x1f\x8b", "a gzip archive; unpack it and upload the spreadsheet inside"),
    (b"BZh", "a bzip2 archive; unpack it and upload the spreadsheet inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it and upload the spreadsheet inside"),
    (b"Rar!", "a RAR archive; unpack it and upload the spreadsheet inside"),
    (b"{\\rtf", "a rich-text document, not a spreadsheet; save the list as .csv or .xlsx"),
    (b"\x7fELF", "a program, not a spreadsheet"),
)
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class ReadLimits:
    """How big a file may be before it is refused; generous for real lists, small for attacks."""

    max_file_bytes: int = 200 * 2**20
    max_unpacked_bytes: int = 1 * 2**30  # an XLSX after unzipping: stops zip bombs
    max_rows: int = 1_000_000  # data rows, the header not counted
    max_columns: int = 500
    max_line_chars: int = 1_000_000
    max_cell_chars: int = 32_767  # what Excel itself allows in one cell


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number as a spreadsheet shows it, and one cell per header column."""

    number: int
    cells: tuple[Cell, ...]


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
    _source: "_Source" = field(default=None, repr=False)
    _limits: ReadLimits = field(default_factory=ReadLimits, repr=False)

    def rows(self) -> Iterator[Row]:
        """Yield every data row in order; raise FileRefused at the first row that breaks a rule."""
        if self.kind == "csv":
            return _csv_data_rows(self)
        return _xlsx_data_rows(self)

    def column_letter(self, index: int) -> str:
        """Return the spreadsheet letter (A, B, ..., AA) of header column *index*."""
        return column_letter(index + self.first_column)

    @property
    def description(self) -> str:
        """Say in words how the file was read, for a person checking the result."""
        if self.kind == "xlsx":
            return f"Excel workbook, sheet '{self.sheet_name}'"
        return (f"CSV text in {encoding_label(self.encoding)}, "
                f"{DELIMITER_NAMES[self.delimiter]}-separated")


def open_table(source: Source, *, file_name: str | None = None, sheet: str | int | None = None,
               encoding: str | None = None, delimiter: str | None = None,
               limits: ReadLimits = ReadLimits()) -> Table:
    """Check *source* and return its Table, or raise FileRefused saying what is wrong.

    *source* is the file's bytes, a path, or a binary file object that can seek. *sheet*
    chooses an XLSX sheet by name or index (the first sheet by default). *encoding* and
    *delimiter* override detection for CSV files.
    """
    src = _Source(source, file_name)
    size = src.size()
    if size == 0:
        raise FileRefused(file=src.name, problem="The file is empty: there is nothing to import.")
    if size > limits.max_file_bytes:
        raise FileRefused(file=src.name, problem=(
            f"The file is {_megabytes(size)}, more than the {_megabytes(limits.max_file_bytes)} "
            "an import may be. Split it into smaller files."))
    head = src.head(8192)
    if head.startswith(ZIP_SIGNATURES):
        return _open_xlsx(src, sheet, limits)
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            raise FileRefused(file=src.name, problem=f"This is {what}.")
    return _open_csv(src, encoding, delimiter, limits)


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
    names = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
             "utf-16-be": "UTF-16", "utf-32": "UTF-32", "cp1252": "Windows-1252",
             "latin-1": "Latin-1", "latin_1": "Latin-1", "iso8859-1": "Latin-1"}
    if encoding is None:
        return "an unknown encoding"
    return names.get(encoding.lower(), encoding)


# ---------------------------------------------------------------------------------------------
# Sources: bytes, a path, or a file object, each reopenable for a second pass.


class _Source:
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
                raise FileRefused(file=self.name, problem=(
                    f"The file cannot be opened ({error.strerror}).")) from error
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
        return stream
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
# CSV


def _open_csv(src: _Source, encoding: str | None, delimiter: str | None,
              limits: ReadLimits) -> Table:
    encoding = encoding or _detect_encoding(src)
    _check_decodes(src, encoding)
    sample = _text_sample(src, encoding, limits)
    _refuse_binary_text(src, sample)
    if delimiter is None:
        delimiter = _detect_delimiter(sample)
    elif delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS!r}, not {delimiter!r}")
    table = Table(file_name=src.name, kind="csv", header=(), encoding=encoding,
                  delimiter=delimiter, _source=src, _limits=limits)
    records = _csv_records(table)
    try:
        first = next(records, None)
    finally:
        records.close()
    table.header = _checked_header(src.name, first or [], limits)
    return table


def _detect_encoding(src: _Source) -> str:
    """Return the encoding to read *src* with, or refuse a file that is not text."""
    head = src.head(4096)
    for mark, name in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return name
    utf16 = _utf16_without_mark(head)
    if utf16:
        return utf16
    scan = _scan_bytes(src)
    if scan.has_nul or _control_bytes(head) > max(10, len(head) // 50):
        raise FileRefused(file=src.name, problem=_BINARY_PROBLEM)
    if scan.utf8_ok:
        return "utf-8"
    if scan.utf8_seen:
        raise FileRefused(file=src.name, row=_row_of_first_bad_line(src, "utf-8"), problem=(
            "The file mixes two text encodings: most of it is UTF-8 but this row is not. "
            "Open it in a spreadsheet program and save it again as CSV UTF-8."))
    return _guess_legacy_encoding(src, scan.non_ascii_lines)


@dataclass
class _ByteScan:
    has_nul: bool = False
    utf8_ok: bool = True
    utf8_seen: bool = False  # valid multi-byte UTF-8 appeared before the first invalid byte
    non_ascii_lines: bytes = b""


def _scan_bytes(src: _Source) -> _ByteScan:
    """Read *src* once: look for zero bytes, check UTF-8, keep a sample of non-ASCII lines."""
    scan = _ByteScan()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    samples: list[bytes] = []
    sampled = 0
    with src.opened() as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                scan.has_nul = True
                return scan
            if chunk.isascii():
                continue
            if scan.utf8_ok:
                try:
                    decoder.decode(chunk)
                    scan.utf8_seen = True
                except UnicodeDecodeError as error:
                    scan.utf8_ok = False
                    scan.utf8_seen = scan.utf8_seen or not chunk[: error.start].isascii()
            if sampled < SAMPLE_CHARS:
                for line in chunk.splitlines():
                    if not line.isascii():
                        samples.append(line)
                        sampled += len(line)
    if scan.utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8_ok = False
    scan.non_ascii_lines = b"\n".join(samples)[: SAMPLE_CHARS * 2]
    return scan


def _utf16_without_mark(head: bytes) -> str | None:
    """Return utf-16-le or utf-16-be when zero bytes fall on alternate positions, else None."""
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _guess_legacy_encoding(src: _Source, sample: bytes) -> str:
    """Return the legacy encoding the non-ASCII *sample* reads best as, checked on the whole file.

    Windows-1252 comes first when it reads the sample as Western text (accented letters
    among plain ones): short lists of names give charset-normalizer too little to go on and
    it then picks Central European or Korean encodings for Spanish names. Other scripts
    (Cyrillic, Chinese, ...) read as runs of accented Latin letters and go to charset-normalizer.
    """
    candidates = []
    if _reads_as_western_text(sample):
        candidates.append(PREFERRED_LEGACY_ENCODING)
    matches = charset_normalizer.from_bytes(sample, cp_exclusion=NEVER_GUESSED)
    for match in matches:
        if match.encoding == PREFERRED_LEGACY_ENCODING and match.chaos <= matches[0].chaos + 0.05:
            candidates.append(match.encoding)
    candidates += [match.encoding for match in matches]
    for candidate in dict.fromkeys(candidates):
        if _decodes(src, candidate):
            return candidate
    raise FileRefused(file=src.name, problem=(
        "The text encoding of this file cannot be recognised. Open it in a spreadsheet "
        "program and save it again as CSV UTF-8."))


_WESTERN_PUNCTUATION = set("\u00a0’‘“”–—…•«»°·©®™€£¥§¶¿¡")


def _reads_as_western_text(sample: bytes) -> bool:
    try:
        text = sample.decode(PREFERRED_LEGACY_ENCODING)
    except UnicodeDecodeError:
        return False
    foreign = [i for i, char in enumerate(text) if not char.isascii()]
    if not foreign:
        return False
    if not all(text[i].isalpha() or text[i] in _WESTERN_PUNCTUATION for i in foreign):
        return False
    # In Western text an accented letter sits among plain ones ("Müller", "Peña"); in another
    # script read as Windows-1252, every letter of a word is "accented".
    positions = set(foreign)
    crowded = sum(1 for i in foreign if i - 1 in positions or i + 1 in positions)
    return crowded <= len(foreign) * 0.3


def _decodes(src: _Source, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with src.opened() as stream:
            while chunk := stream.read(CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_decodes(src: _Source, encoding: str) -> None:
    """Refuse the file, naming the first bad row, if it is not all valid *encoding*."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"unknown text encoding {encoding!r}") from None
    if not _decodes(src, encoding):
        raise FileRefused(file=src.name, row=_row_of_first_bad_line(src, encoding), problem=(
            f"This row cannot be read as {encoding_label(encoding)} text. Open the file in a "
            "spreadsheet program and save it again as CSV UTF-8."))


def _row_of_first_bad_line(src: _Source, encoding: str) -> int | None:
    """Return the line number of the first line that does not decode (single-byte-safe only)."""
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return None  # lines cannot be split on b"\n" in these encodings
    with src.opened() as stream:
        for number, line in enumerate(stream, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _text_sample(src: _Source, encoding: str, limits: ReadLimits) -> str:
    """Return the first lines of the file as text, refusing a first line that is too long."""
    with src.opened() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            first = text.readline(limits.max_line_chars + 1)
            if len(first) > limits.max_line_chars:
                raise _long_line_refusal(src.name, 1, first, limits)
            rest = text.read(max(0, SAMPLE_CHARS - len(first)))
        finally:
            text.detach()
    # Drop the last, probably cut, line unless it is all there is.
    lines = rest.splitlines(keepends=True)
    if len(lines) > 1 and not lines[-1].endswith(("\n", "\r")):
        lines.pop()
    return first + "".join(lines)


def _refuse_binary_text(src: _Source, sample: str) -> None:
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if "\x00" in sample or controls > max(10, len(sample) // 50):
        raise FileRefused(file=src.name, problem=_BINARY_PROBLEM)


_BINARY_PROBLEM = ("This is not a text file or an XLSX workbook: it contains binary data. "
                   "Upload the list as .csv or .xlsx.")
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 13})


def _control_bytes(data: bytes) -> int:
    """Count the bytes that text never holds (control characters other than tab and newline)."""
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def _detect_delimiter(sample: str) -> str:
    """Return the delimiter that splits the sample into the most consistent columns."""
    lines = sample.splitlines(keepends=True)[:100]
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        widths = []
        with contextlib.suppress(csv.Error):
            for record in csv.reader(lines, delimiter=delimiter, skipinitialspace=True):
                if any(cell.strip() for cell in record):
                    widths.append(len(record))
        if not widths or widths[0] < 2:
            continue
        consistency = sum(width == widths[0] for width in widths) / len(widths)
        score = (consistency, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _LineTooLong(Exception):
    def __init__(self, line: str):
        self.line = line


def _limited_lines(text: io.TextIOWrapper, max_chars: int) -> Iterator[str]:
    """Yield the lines of *text*, stopping with _LineTooLong at a line over *max_chars*."""
    readline = text.readline
    while line := readline(max_chars + 1):
        if len(line) > max_chars:
            raise _LineTooLong(line)
        yield line


def _csv_records(table: Table) -> Iterator[list[str]]:
    """Yield the parsed records of a CSV table, the header first, refusing what breaks a rule."""
    src, limits = table._source, table._limits
    number = 1
    with src.opened() as raw:
        text = io.TextIOWrapper(raw, encoding=table.encoding, errors="strict", newline="")
        try:
            reader = csv.reader(_limited_lines(text, limits.max_line_chars), strict=True,
                                delimiter=table.delimiter, skipinitialspace=True)
            for record in reader:
                yield record
                number += 1
        except _LineTooLong as error:
            raise _long_line_refusal(src.name, number, error.line, limits) from None
        except csv.Error as error:
            raise FileRefused(file=src.name, row=number,
                              problem=_csv_error_problem(str(error))) from None
        except UnicodeDecodeError:
            raise FileRefused(file=src.name, row=number, problem=(
                f"This row cannot be read as {encoding_label(table.encoding)} text. Open the file "
                "in a spreadsheet program and save it again as CSV UTF-8.")) from None
        finally:
            text.detach()


def _csv_error_problem(message: str) -> str:
    if "expected after" in message:
        return ("A cell starts with a quote (\") but has more text after the closing quote. "
                "Put the whole cell in quotes and write each quote inside it twice (\"\").")
    if "end of data" in message:
        return ("A quote (\") opened in this row is never closed, so the rest of the file "
                "would run into one cell. Close the quote or remove it.")
    if "field limit" in message:
        return ("A cell in this row is longer than 131,072 characters; this usually means a "
                "quote (\") that is never closed.")
    return f"This row cannot be read as CSV ({message})."


def _long_line_refusal(file: str, row: int, line: str, limits: ReadLimits) -> FileRefused:
    if max(line.count(d) for d in DELIMITERS) >= limits.max_columns:
        return FileRefused(file=file, row=row, problem=(
            f"This row has more than {limits.max_columns:,} columns; an import may have at "
            f"most {limits.max_columns:,}."))
    return FileRefused(file=file, row=row, problem=(
        f"This row is longer than {limits.max_line_chars:,} characters, which no list of "
        "people needs. Check that this is the right file."))


def _csv_data_rows(table: Table) -> Iterator[Row]:
    records = _csv_records(table)
    next(records, None)  # the header, checked when the table was opened
    yield from _data_rows(table, records, first_number=2)


# ---------------------------------------------------------------------------------------------
# XLSX


def _open_xlsx(src: _Source, sheet: str | int | None, limits: ReadLimits) -> Table:
    with src.opened() as raw:
        package = _inspect_package(src.name, raw, sheet, limits)
    with _workbook(src) as workbook:
        calamine_sheet = workbook.get_sheet_by_name(package.sheet_name)
        table = Table(file_name=src.name, kind="xlsx", header=(), sheet_name=package.sheet_name,
                      sheet_names=tuple(workbook.sheet_names), date1904=package.date1904,
                      formula_cells=package.formula_cells, _source=src, _limits=limits)
        start = calamine_sheet.start
        where = f"Sheet '{package.sheet_name}'"
        if start is None:
            raise FileRefused(file=src.name, problem=f"{where} is empty: there is nothing to "
                              "import.")
        if calamine_sheet.width > limits.max_columns:
            raise FileRefused(file=src.name, problem=(
                f"{where} has {calamine_sheet.width:,} columns; an import may have at most "
                f"{limits.max_columns:,}."))
        if calamine_sheet.height - 1 > limits.max_rows:
            raise FileRefused(file=src.name, problem=_too_many_rows(limits))
        if start[0] > 0:
            raise FileRefused(file=src.name, row=1, problem=_blank_header_problem())
        table.first_column = start[1]
        first = next(iter(calamine_sheet.iter_rows()), [])
        table.header = _checked_header(src.name, first, limits, first_column=start[1])
    return table


@dataclass
class _Package:
    sheet_name: str
    date1904: bool
    formula_cells: int


def _inspect_package(file: str, raw: BinaryIO, sheet: str | int | None,
                     limits: ReadLimits) -> _Package:
    """Check the zip is a sane XLSX workbook and the sheet has no unsaved formulas."""
    try:
        with zipfile.ZipFile(raw) as archive:
            return _inspect_archive(file, archive, sheet, limits)
    except _DAMAGED as error:
        raise FileRefused(file=file, problem=(
            "This looks like an XLSX workbook or a ZIP archive, but it is damaged and cannot "
            "be read.")) from error


# What the zip and XML libraries raise on a damaged or hostile archive.
_DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError, NotImplementedError,
            RuntimeError, ParseError, DefusedXmlException, UnicodeDecodeError)


def _inspect_archive(file: str, archive: zipfile.ZipFile, sheet: str | int | None,
                     limits: ReadLimits) -> _Package:
    names = set(archive.namelist())
    if "mimetype" in names and "content.xml" in names:
        raise FileRefused(file=file, problem=(
            "This is an OpenDocument spreadsheet (.ods); save it as .xlsx or .csv."))
    workbook_path = _workbook_path(archive, names)
    if workbook_path is None:
        raise FileRefused(file=file, problem=(
            "This is a ZIP archive, not an XLSX workbook; unpack it and upload the "
            "spreadsheet inside."))
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(file=file, problem=(
            f"This workbook unpacks to {_megabytes(unpacked)}, more than the "
            f"{_megabytes(limits.max_unpacked_bytes)} an import may be."))
    sheets, date1904 = _workbook_sheets(archive, workbook_path)
    sheet_name, sheet_path = _choose_sheet(file, sheets, sheet)
    formula_cells = _count_formula_cells(file, archive, sheet_name, sheet_path)
    return _Package(sheet_name=sheet_name, date1904=date1904, formula_cells=formula_cells)


def _workbook_path(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        for target, kind in _relationships(archive.read("_rels/.rels")).values():
            if kind.endswith("/officeDocument"):
                path = target.lstrip("/")
                return path if path in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _relationships(xml: bytes) -> dict[str, tuple[str, str]]:
    """Return {relationship id: (target, type)} from a .rels part."""
    root = _parse_xml(xml)
    return {element.get("Id"): (element.get("Target", ""), element.get("Type", ""))
            for element in root if _local(element.tag) == "Relationship"}


def _workbook_sheets(archive: zipfile.ZipFile,
                     workbook_path: str) -> tuple[list[tuple[str, str]], bool]:
    """Return [(sheet name, path of its XML)] in workbook order, and the date1904 flag."""
    folder = workbook_path.rpartition("/")[0]
    rels_path = f"{folder}/_rels/{workbook_path.rpartition('/')[2]}.rels"
    root = _parse_xml(archive.read(workbook_path))
    relationships = _relationships(archive.read(rels_path))
    date1904 = False
    sheets = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            rel_id = next((value for key, value in element.attrib.items()
                           if _local(key) == "id"), None)
            target = relationships.get(rel_id, ("", ""))[0]
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            sheets.append((element.get("name", ""), path))
    return sheets, date1904


def _choose_sheet(file: str, sheets: list[tuple[str, str]],
                  sheet: str | int | None) -> tuple[str, str]:
    if not sheets:
        raise FileRefused(file=file, problem="This workbook has no sheets.")
    if sheet is None:
        return sheets[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
    else:
        for name, path in sheets:
            if name == sheet:
                return name, path
    names = ", ".join(f"'{name}'" for name, _ in sheets)
    raise FileRefused(file=file, problem=f"This workbook has no sheet {sheet!r}; its sheets "
                      f"are {names}.")


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _count_formula_cells(file: str, archive: zipfile.ZipFile, sheet_name: str,
                         sheet_path: str) -> int:
    """Count the sheet's formula cells; refuse one that has no saved value to read.

    A formula cell stores the formula and, if the program that wrote it calculated it, the
    result. We never evaluate formulas, so a cell without a saved result cannot be read.
    """
    with archive.open(sheet_path) as stream:
        if not _contains(stream, _FORMULA_TAG):
            return 0
    count = 0
    with archive.open(sheet_path) as stream:
        for _, element in SafeXML.iterparse(stream):
            if _local(element.tag) != "c":
                continue
            children = {_local(child.tag): child for child in element}
            if "f" in children:
                count += 1
                value = children.get("v")
                if (value is None or not value.text) and element.get("t") != "str":
                    raise FileRefused(file=file, problem=(
                        f"Cell {element.get('r', '?')} of sheet '{sheet_name}' holds a formula "
                        "with no saved value, and formulas are never run here. Open the "
                        "workbook in Excel or LibreOffice, save it, and upload it again."))
            element.clear()
    return count


def _contains(stream, pattern: re.Pattern) -> bool:
    tail = b""
    while chunk := stream.read(CHUNK_BYTES):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _parse_xml(xml: bytes) -> Element:
    return SafeXML.fromstring(xml)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


@contextlib.contextmanager
def _workbook(src: _Source) -> Iterator[python_calamine.CalamineWorkbook]:
    """Open the workbook with calamine; turn what calamine raises, here or later, into a refusal."""
    with src.opened() as raw:
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(raw)
        except python_calamine.PasswordError as error:
            raise FileRefused(file=src.name, problem=(
                "This workbook is protected by a password; save a copy without one.")) from error
        except (python_calamine.CalamineError, OSError, ValueError) as error:
            raise _damaged(src.name, error) from error
        try:
            yield workbook
        except python_calamine.CalamineError as error:  # a sheet that cannot be loaded
            raise _damaged(src.name, error) from error
        finally:
            workbook.close()


def _damaged(file: str, error: Exception) -> FileRefused:
    return FileRefused(file=file, problem=(
        f"This XLSX workbook is damaged and cannot be read ({error})."))


def _xlsx_data_rows(table: Table) -> Iterator[Row]:
    with _workbook(table._source) as workbook:
        rows = workbook.get_sheet_by_name(table.sheet_name).iter_rows()
        next(rows, None)  # the header, checked when the table was opened
        yield from _data_rows(table, rows, first_number=2)


# ---------------------------------------------------------------------------------------------
# Rules shared by CSV and XLSX


def _checked_header(file: str, cells: list[Cell], limits: ReadLimits,
                    first_column: int = 0) -> tuple[str, ...]:
    """Return the header names, or refuse a header a person would have to fix first."""
    names = [" ".join(cell_text(cell).replace("\ufeff", "").split()) for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FileRefused(file=file, row=1, problem=_blank_header_problem())
    if len(names) > limits.max_columns:
        raise FileRefused(file=file, row=1, problem=(
            f"This row names {len(names):,} columns; an import may have at most "
            f"{limits.max_columns:,}."))
    if all(_looks_like_data(cell) for cell, name in zip(cells, names, strict=False) if name):
        shown = ", ".join(f"'{name}'" for name in names[:3] if name)
        raise FileRefused(file=file, row=1, problem=(
            f"The first row holds data ({shown}), not column names. Add a first row that names "
            "each column, for example First name, Last name, Email."))
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        letter = column_letter(index + first_column)
        if not name:
            raise FileRefused(file=file, row=1, problem=(
                f"Column {letter} has no name. Give every column a name in the first row, or "
                "delete the column."))
        if len(name) > 200:
            raise FileRefused(file=file, row=1, problem=(
                f"Column {letter} has a name of {len(name):,} characters; the first row "
                "should hold short column names."))
        key = name.casefold()
        if key in seen:
            raise FileRefused(file=file, row=1, problem=(
                f"Columns {column_letter(seen[key] + first_column)} and {letter} are both named "
                f"'{name}'. Give each column its own name, for example 'Phone' and 'Phone 2'."))
        seen[key] = index
    return tuple(names)


def _blank_header_problem() -> str:
    return ("The first row is blank. The first row must name each column, for example "
            "First name, Last name, Email.")


_DATA_TEXT = re.compile(
    r"[\s\d.,:/+()\-]*|[^@\s]+@[^@\s]+\.[^@\s]+|"
    r"\d{1,2}[-/ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]\d{2,4}",
    re.IGNORECASE)


def _looks_like_data(cell: Cell) -> bool:
    """Return True for a value that is a number, date, phone or email rather than a name."""
    if isinstance(cell, str):
        return _DATA_TEXT.fullmatch(cell.strip()) is not None
    return True  # numbers, dates, booleans


def _data_rows(table: Table, records: Iterable[list[Cell]], first_number: int) -> Iterator[Row]:
    """Number the records, fit them to the header, and refuse rows that break a rule."""
    all_text = table.kind == "csv"
    width = len(table.header)
    limits = table._limits
    last_allowed = limits.max_rows + 1
    for number, record in enumerate(records, start=first_number):
        if number > last_allowed:
            raise FileRefused(file=table.file_name, problem=_too_many_rows(limits))
        if len(record) > width:
            record = _without_empty_overflow(table, number, record, width)
        elif len(record) < width:
            record = [*record, *([""] * (width - len(record)))]
        if max(map(len if all_text else _text_length, record)) > limits.max_cell_chars:
            index = next(i for i, cell in enumerate(record)
                         if _text_length(cell) > limits.max_cell_chars)
            raise FileRefused(file=table.file_name, row=number, column=table.header[index],
                              problem=(f"This cell holds {_text_length(record[index]):,} "
                                       f"characters; a cell may hold at most "
                                       f"{limits.max_cell_chars:,}."))
        yield Row(number, tuple(record))


def _text_length(cell: Cell) -> int:
    return len(cell) if isinstance(cell, str) else 0


def _without_empty_overflow(table: Table, number: int, record: list[Cell],
                            width: int) -> list[Cell]:
    """Drop empty cells past the last column; refuse a row with data there."""
    extra = record[width:]
    if all(cell_text(cell).strip() == "" for cell in extra):
        return record[:width]
    if table.kind == "csv":
        hint = (f"A {DELIMITER_NAMES[table.delimiter]} inside a cell that is not in quotes "
                "usually causes this; put such cells in double quotes.")
    else:
        hint = "Give the extra columns a name in the first row, or clear them."
    last = max(i for i, cell in enumerate(record) if cell_text(cell).strip()) + 1
    raise FileRefused(file=table.file_name, row=number, problem=(
        f"This row has {last} cells but the first row names only {width} columns. {hint}"))


def _too_many_rows(limits: ReadLimits) -> str:
    return (f"The file has more than {limits.max_rows:,} rows; an import may have at most "
            f"{limits.max_rows:,}. Split it into smaller files.")


def _megabytes(size: int) -> str:
    if size < 2**20:
        return f"{size:,} bytes" if size < 2**10 else f"{size / 2**10:,.0f} KB"
    return f"{size / 2**20:,.1f} MB"

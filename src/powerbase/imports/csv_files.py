"""CSV files: find the text encoding and the delimiter, and parse quoted cells strictly.

Encodings, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without a mark when
zero bytes fall on alternate positions; UTF-8 when the whole file is valid UTF-8; otherwise a
legacy encoding, Windows-1252 first when the text reads as Western. A file with zero bytes or
many control characters is binary and refused. The delimiter is whichever of comma,
semicolon, tab and pipe splits the first lines into the most consistent columns. Quoting
follows RFC 4180 strictly, so an unclosed quote is found at the row that opens it instead of
swallowing the rest of the file.
"""

import codecs
import contextlib
import csv
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass

import charset_normalizer

from powerbase.imports.errors import FileRefused
from powerbase.imports.tables import (
    CHUNK_BYTES,
    ReadLimits,
    Row,
    Table,
    Upload,
    checked_header,
    encoding_label,
    numbered_rows,
)

DELIMITERS = (",", ";", "\t", "|")
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


def open_csv(src: Upload, encoding: str | None, delimiter: str | None, limits: ReadLimits) -> Table:
    """Return the Table of a CSV upload, detecting what *encoding* and *delimiter* leave open."""
    encoding = encoding or _detect_encoding(src)
    _check_decodes(src, encoding)
    sample = _text_sample(src, encoding, limits)
    _refuse_binary_text(src, sample)
    if delimiter is None:
        delimiter = _detect_delimiter(sample)
    elif delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS!r}, not {delimiter!r}")
    table = Table(
        file_name=src.name,
        kind="csv",
        header=(),
        encoding=encoding,
        delimiter=delimiter,
        _source=src,
        _limits=limits,
        _read_rows=_csv_data_rows,
    )
    records = _csv_records(table)
    try:
        first = next(records, None)
    finally:
        records.close()
    table.header = checked_header(src.name, first or [], limits)
    table.rows_estimate = max(0, _count_lines(src) - 1)
    return table


def _count_lines(src: Upload) -> int:
    """Count the file's lines (the last one need not end with a line break)."""
    lines, last = 0, b""
    with src.opened() as stream:
        while chunk := stream.read(CHUNK_BYTES):
            lines += chunk.count(b"\n") or chunk.count(b"\r")
            last = chunk
    return lines + (0 if last.rstrip(b"\x00").endswith((b"\n", b"\r")) else 1)


def _detect_encoding(src: Upload) -> str:
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
        raise FileRefused(
            file=src.name,
            row=_row_of_first_bad_line(src, "utf-8"),
            problem=(
                "The file mixes two text encodings: most of it is UTF-8 but this row is not. "
                "Open it in a spreadsheet program and save it again as CSV UTF-8."
            ),
        )
    return _guess_legacy_encoding(src, scan.non_ascii_lines)


@dataclass
class _ByteScan:
    has_nul: bool = False
    utf8_ok: bool = True
    utf8_seen: bool = False  # valid multi-byte UTF-8 appeared before the first invalid byte
    non_ascii_lines: bytes = b""


def _scan_bytes(src: Upload) -> _ByteScan:
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


def _guess_legacy_encoding(src: Upload, sample: bytes) -> str:
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
    raise FileRefused(
        file=src.name,
        problem=(
            "The text encoding of this file cannot be recognised. Open it in a spreadsheet "
            "program and save it again as CSV UTF-8."
        ),
    )


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


def _decodes(src: Upload, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with src.opened() as stream:
            while chunk := stream.read(CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_decodes(src: Upload, encoding: str) -> None:
    """Refuse the file, naming the first bad row, if it is not all valid *encoding*."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"unknown text encoding {encoding!r}") from None
    if not _decodes(src, encoding):
        raise FileRefused(
            file=src.name,
            row=_row_of_first_bad_line(src, encoding),
            problem=(
                f"This row cannot be read as {encoding_label(encoding)} text. Open the file in a "
                "spreadsheet program and save it again as CSV UTF-8."
            ),
        )


def _row_of_first_bad_line(src: Upload, encoding: str) -> int | None:
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


def _text_sample(src: Upload, encoding: str, limits: ReadLimits) -> str:
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


def _refuse_binary_text(src: Upload, sample: str) -> None:
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if "\x00" in sample or controls > max(10, len(sample) // 50):
        raise FileRefused(file=src.name, problem=_BINARY_PROBLEM)


_BINARY_PROBLEM = (
    "This is not a text file or an XLSX workbook: it contains binary data. "
    "Upload the list as .csv or .xlsx."
)
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


def _csv_records(table: Table) -> Generator[list[str], None, None]:
    """Yield the parsed records of a CSV table, the header first, refusing what breaks a rule."""
    src, limits = table.upload(), table._limits
    assert table.delimiter is not None, "a CSV table is read with a delimiter"
    number = 1
    with src.opened() as raw:
        text = io.TextIOWrapper(raw, encoding=table.encoding, errors="strict", newline="")
        try:
            reader = csv.reader(
                _limited_lines(text, limits.max_line_chars),
                strict=True,
                delimiter=table.delimiter,
                skipinitialspace=True,
            )
            for record in reader:
                yield record
                number += 1
        except _LineTooLong as error:
            raise _long_line_refusal(src.name, number, error.line, limits) from None
        except csv.Error as error:
            raise FileRefused(
                file=src.name, row=number, problem=_csv_error_problem(str(error))
            ) from None
        except UnicodeDecodeError:
            raise FileRefused(
                file=src.name,
                row=number,
                problem=(
                    f"This row cannot be read as {encoding_label(table.encoding)} text. Open the "
                    "file "
                    "in a spreadsheet program and save it again as CSV UTF-8."
                ),
            ) from None
        finally:
            text.detach()


def _csv_error_problem(message: str) -> str:
    if "expected after" in message:
        return (
            'A cell starts with a quote (") but has more text after the closing quote. '
            'Put the whole cell in quotes and write each quote inside it twice ("").'
        )
    if "end of data" in message:
        return (
            'A quote (") opened in this row is never closed, so the rest of the file '
            "would run into one cell. Close the quote or remove it."
        )
    if "field limit" in message:
        return (
            "A cell in this row is longer than 131,072 characters; this usually means a "
            'quote (") that is never closed.'
        )
    return f"This row cannot be read as CSV ({message})."


def _long_line_refusal(file: str, row: int, line: str, limits: ReadLimits) -> FileRefused:
    if max(line.count(d) for d in DELIMITERS) >= limits.max_columns:
        return FileRefused(
            file=file,
            row=row,
            problem=(
                f"This row has more than {limits.max_columns:,} columns; an import may have at "
                f"most {limits.max_columns:,}."
            ),
        )
    return FileRefused(
        file=file,
        row=row,
        problem=(
            f"This row is longer than {limits.max_line_chars:,} characters, which no list of "
            "people needs. Check that this is the right file."
        ),
    )


def _csv_data_rows(table: Table) -> Iterator[Row]:
    records = _csv_records(table)
    next(records, None)  # the header, checked when the table was opened
    yield from numbered_rows(table, records, first_number=2)

"""Write rows to CSV or XLSX, streaming, with every cell escaped against formula injection.

    write_csv(rows, stream, header=["Name", "Email"])         # a text stream (newline="")
    for chunk in csv_chunks(rows, header=[...]): ...            # for a streaming HTTP response
    write_xlsx(rows, "people.xlsx", header=[...])                # a path or a binary stream

Text that starts with = + - @, a tab or a carriage return gets an apostrophe in front (see
formulas.py), header included. XLSX cannot hold control characters or a lone carriage return:
the first are dropped, the second becomes a line feed. Dates are written as ISO dates in CSV
and as date cells in XLSX; None is an empty cell. Rows are consumed one at a time, so a
generator over a database cursor is written without holding the list in memory (openpyxl's
write-only mode for XLSX).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from powerbase.imports.formulas import escape_formula

BYTE_ORDER_MARK = "\ufeff"  # lets Excel know a CSV file is UTF-8
XLSX_MAX_CELL_CHARS = 32_767
XLSX_MAX_SHEET_NAME = 31


class ExportTooLarge(ValueError):
    """A value does not fit in a spreadsheet cell."""


def write_csv(
    rows: Iterable[Sequence[object]],
    stream: TextIO,
    *,
    header: Sequence[str] | None = None,
    byte_order_mark: bool = True,
) -> int:
    """Write *header* and *rows* to a text *stream* as CSV; return the number of rows written.

    Open a file for this with `newline=""`. The byte-order mark makes Excel read UTF-8
    correctly; powerbase's own reader ignores it.
    """
    if byte_order_mark:
        stream.write(BYTE_ORDER_MARK)
    writer = csv.writer(stream, lineterminator="\r\n")
    if header is not None:
        writer.writerow([_csv_value(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return count


def csv_chunks(
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] | None = None,
    byte_order_mark: bool = True,
    rows_per_chunk: int = 500,
) -> Iterator[str]:
    """Yield the CSV text in chunks of *rows_per_chunk* rows, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if byte_order_mark:
        buffer.write(BYTE_ORDER_MARK)
    if header is not None:
        writer.writerow([_csv_value(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_xlsx(
    rows: Iterable[Sequence[object]],
    target: str | BinaryIO,
    *,
    header: Sequence[str] | None = None,
    sheet_name: str = "People",
) -> int:
    """Write *header* and *rows* to an XLSX workbook at *target*; return the rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_name))
    if header is not None:
        sheet.append([_xlsx_value(name, 1, column) for column, name in enumerate(header)])
    count = 0
    try:
        for count, row in enumerate(rows, start=1):
            sheet.append(
                [_xlsx_value(value, count + 1, column) for column, value in enumerate(row)]
            )
    except BaseException:
        sheet.close()  # end openpyxl's half-written sheet now rather than at garbage collection
        raise
    workbook.save(target)
    return count


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return escape_formula(str(value))


def _xlsx_value(value: object, row: int, column: int) -> object:
    if value is None or isinstance(value, bool | int | float | date | time):
        return value
    # XML turns a lone carriage return into a line feed on reading; say so by writing one.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = escape_formula(text)
    if len(text) > XLSX_MAX_CELL_CHARS:
        raise ExportTooLarge(
            f"Row {row}, column {column + 1} holds {len(text):,} characters; "
            f"an XLSX cell holds at most {XLSX_MAX_CELL_CHARS:,}. Export to "
            "CSV instead."
        )
    return text


def _sheet_title(name: str) -> str:
    cleaned = "".join(char for char in name if char not in "[]:*?/\\")
    return (cleaned or "Sheet")[:XLSX_MAX_SHEET_NAME]

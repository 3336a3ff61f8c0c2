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

This module picks the reader by the file's first bytes; csv_files.py and workbooks.py hold
the two readers, and tables.py the Table, the Row and the rules both follow.
"""

from powerbase.imports.csv_files import open_csv
from powerbase.imports.errors import FileRefused
from powerbase.imports.tables import (
    DEFAULT_LIMITS,
    Cell,
    ReadLimits,
    Row,
    Source,
    Table,
    Upload,
    cell_text,
    column_letter,
    encoding_label,
    size_text,
)
from powerbase.imports.workbooks import open_xlsx

__all__ = [
    "Cell",
    "ReadLimits",
    "Row",
    "Source",
    "Table",
    "cell_text",
    "column_letter",
    "encoding_label",
    "named_rows",
    "open_table",
]

# Signatures of files people upload by mistake, with what to tell them.
SIGNATURES = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel 97-2003 workbook (.xls) or a "
        "password-protected workbook; open it in Excel or LibreOffice and save it as .xlsx "
        "without a password, or as .csv",
    ),
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


def open_table(
    source: Source,
    *,
    file_name: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Table:
    """Check *source* and return its Table, or raise FileRefused saying what is wrong.

    *source* is the file's bytes, a path, or a binary file object that can seek. *sheet*
    chooses an XLSX sheet by name or index (the first sheet by default). *encoding* and
    *delimiter* override detection for CSV files.
    """
    src = Upload(source, file_name)
    size = src.size()
    if size == 0:
        raise FileRefused(file=src.name, problem="The file is empty: there is nothing to import.")
    if size > limits.max_file_bytes:
        raise FileRefused(
            file=src.name,
            problem=(
                f"The file is {size_text(size)}, more than the {size_text(limits.max_file_bytes)} "
                "an import may be. Split it into smaller files."
            ),
        )
    head = src.head(8192)
    if head.startswith(ZIP_SIGNATURES):
        return open_xlsx(src, sheet, limits)
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            raise FileRefused(file=src.name, problem=f"This is {what}.")
    return open_csv(src, encoding, delimiter, limits)


def named_rows(
    source: Source,
    *,
    file_name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    limits: ReadLimits = DEFAULT_LIMITS,
):
    """Yield (row number, {column: text}) for each non-blank row of a file with fixed columns.

    For files whose header names its columns (results, census tables): the header is matched
    without case or surrounding spaces, and a missing required column refuses the file at row
    1. Cells come back as trimmed text (NUL characters dropped: PostgreSQL text cannot hold
    them), whatever the file's encoding or whether it is CSV or XLSX. Raises FileRefused.
    """
    table = open_table(source, file_name=file_name, limits=limits)
    names = [str(name).strip().lower() for name in table.header]
    missing = [column for column in required if column not in names]
    if missing:
        expected = ", ".join(required) + (
            f" and optionally {', '.join(optional)}" if optional else ""
        )
        raise FileRefused(
            file=table.file_name,
            row=1,
            column=missing[0],
            problem=(f"the header lacks the column(s) {', '.join(missing)}; expected {expected}."),
        )
    wanted = {name: index for index, name in enumerate(names) if name in (*required, *optional)}
    for row in table.rows():
        if row.problem:
            raise FileRefused(file=table.file_name, row=row.number, problem=row.problem)
        values = {
            name: cell_text(row.cells[index]).replace("\x00", "").strip()
            for name, index in wanted.items()
        }
        if any(values.values()):
            yield row.number, values

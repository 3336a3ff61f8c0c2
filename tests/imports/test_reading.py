"""Reading uploaded files: what is refused and why, encodings, delimiters, XLSX cells."""

import io
import zipfile
from datetime import date, datetime

import pytest

from powerbase.imports.errors import FileRefused
from powerbase.imports.reading import ReadLimits, named_rows, open_table

from .conftest import ROSTER, csv_bytes, with_saved_formula_value, xlsx_bytes


def refusal(data: bytes, name: str = "roster.csv", **options) -> str:
    """Return the message of the refusal reading *data* (the whole file) raises."""
    with pytest.raises(FileRefused) as refused:
        table = open_table(data, file_name=name, **options)
        list(table.rows())
    return refused.value.message


def cells(data: bytes, **options) -> list[tuple]:
    return [row.cells for row in open_table(data, file_name="roster.csv", **options).rows()]


# --- refusals: the whole file, with a sentence naming the file and, where it applies, the row


def test_an_empty_file_is_refused():
    assert refusal(b"") == "roster.csv: The file is empty: there is nothing to import."


def test_a_png_image_is_refused_as_an_image():
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    assert refusal(png, "photo.csv") == "photo.csv: This is a PNG image, not a spreadsheet."


def test_random_binary_bytes_are_refused_as_binary():
    message = refusal(bytes(range(1, 256)) * 20, "data.bin")
    assert message.startswith("data.bin: This is not a text file or an XLSX workbook")


def test_a_zip_archive_that_is_not_a_workbook_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("minutes.txt", "The meeting started at 7.")
    message = refusal(archive.getvalue(), "lists.zip")
    assert message == (
        "lists.zip: This is a ZIP archive, not an XLSX workbook; unpack it and "
        "upload the spreadsheet inside."
    )


def test_an_old_excel_workbook_is_refused_with_how_to_save_it():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert "save it as .xlsx" in refusal(ole, "roster.xls")


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_the_row():
    data = "First,Last\nJosé,Peña\n".encode() + "Renée,Müller\n".encode("cp1252")
    assert refusal(data) == (
        "roster.csv, row 3: The file mixes two text encodings: most of it is UTF-8 but this row "
        "is not. Open it in a spreadsheet program and save it again as CSV UTF-8."
    )


def test_a_chosen_encoding_the_file_is_not_in_is_refused_naming_the_row():
    data = "First,Last\nMaria,Lopez\nRenée,Müller\n".encode("cp1252")
    assert refusal(data, encoding="utf-8").startswith(
        "roster.csv, row 3: This row cannot be read as UTF-8 text."
    )


def test_a_first_row_of_numbers_is_refused_as_data():
    assert refusal(b"1,2,3\n4,5,6\n") == (
        "roster.csv, row 1: The first row holds data ('1', '2', '3'), not column names. Add a "
        "first row that names each column, for example First name, Last name, Email."
    )


def test_a_first_row_of_dates_and_emails_is_refused_as_data():
    message = refusal(b"2024-03-05,maria@example.org,05-Mar-2024\n")
    assert "The first row holds data" in message


def test_a_blank_first_row_is_refused():
    assert refusal(b"\nFirst,Last\nMaria,Lopez\n") == (
        "roster.csv, row 1: The first row is blank. The first row must name each column, for "
        "example First name, Last name, Email."
    )


def test_two_columns_with_the_same_name_are_refused_naming_both():
    assert refusal(b"First,Email,EMAIL\n") == (
        "roster.csv, row 1: Columns B and C are both named 'EMAIL'. Give each column its own "
        "name, for example 'Phone' and 'Phone 2'."
    )


def test_a_column_without_a_name_is_refused_naming_its_letter():
    assert refusal(b"First,,Last\nMaria,x,Lopez\n") == (
        "roster.csv, row 1: Column B has no name. Give every column a name in the first row, "
        "or delete the column."
    )


def test_a_row_with_more_cells_than_columns_carries_its_problem_and_the_rest_is_read():
    data = b"First,Last\nMaria,Lopez\nJose,Pena,123 Main St, Apt 4\nAna,Diaz\n"
    rows = list(open_table(data, file_name="roster.csv").rows())
    assert [(row.number, row.problem) for row in rows] == [
        (2, ""),
        (
            3,
            (
                "This row has 4 cells but the first row names only 2 columns. A comma inside a "
                "cell "
                "that is not in quotes usually causes this; put such cells in double quotes."
            ),
        ),
        (4, ""),
    ]


def test_a_broken_row_is_rejected_alone_by_a_list_import():
    from powerbase.imports.validating import validate_table

    data = b"First,Last\nMaria,Lopez\nJose,Pena,123 Main St, Apt 4\nAna,Diaz\n"
    report = validate_table(
        open_table(data, file_name="roster.csv"), {"First": "given_name", "Last": "family_name"}
    )
    assert (report.accepted, report.rejected) == (2, 1)
    assert report.errors[0].message.startswith("Row 3: This row has 4 cells")


def test_a_file_read_by_name_refuses_a_broken_row():
    data = b"First,Last\nMaria,Lopez\nJose,Pena,123 Main St, Apt 4\n"
    with pytest.raises(FileRefused, match="roster.csv, row 3: This row has 4 cells"):
        list(named_rows(data, file_name="roster.csv", required=("first",)))


def test_a_ten_megabyte_line_is_refused_naming_the_row():
    data = b"First,Notes\nMaria," + b"x" * (10 * 2**20) + b"\n"
    assert refusal(data) == (
        "roster.csv, row 2: This row is longer than 1,000,000 characters, which no list of "
        "people needs. Check that this is the right file."
    )


def test_a_million_columns_are_refused_as_too_many_columns():
    data = b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n"
    assert refusal(data) == (
        "roster.csv, row 1: This row has more than 500 columns; an import may have at most 500."
    )


def test_more_columns_than_the_limit_are_refused():
    data = csv_bytes([[f"Column {i}" for i in range(12)]])
    assert refusal(data, limits=ReadLimits(max_columns=10)) == (
        "roster.csv, row 1: This row names 12 columns; an import may have at most 10."
    )


def test_more_rows_than_the_limit_are_refused():
    data = csv_bytes([["First"]] + [[f"Person {i}"] for i in range(6)])
    assert refusal(data, limits=ReadLimits(max_rows=5)) == (
        "roster.csv: The file has more than 5 rows; an import may have at most 5. Split it "
        "into smaller files."
    )


def test_exactly_as_many_rows_as_the_limit_are_read():
    data = csv_bytes([["First"]] + [[f"Person {i}"] for i in range(5)])
    assert len(cells(data, limits=ReadLimits(max_rows=5))) == 5


def test_a_file_larger_than_the_limit_is_refused_before_reading():
    assert refusal(csv_bytes(ROSTER), limits=ReadLimits(max_file_bytes=50)) == (
        "roster.csv: The file is 149 bytes, more than the 50 bytes an import may be. Split it "
        "into smaller files."
    )


def test_an_unclosed_quote_is_refused_naming_the_row_it_opens_in():
    data = b'First,Notes\nMaria,"Met at the rally\nJose,Called back\n'
    assert refusal(data) == (
        'roster.csv, row 2: A quote (") opened in this row is never closed, so the rest of the '
        "file would run into one cell. Close the quote or remove it."
    )


def test_text_after_a_closing_quote_is_refused():
    assert "has more text after the closing quote" in refusal(b'First,Last\n"Bud" Smith,Lee\n')


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_naming_the_column():
    data = b"First,Notes\nMaria," + b"y" * 40_000 + b"\n"
    assert refusal(data) == (
        "roster.csv, row 2, column 'Notes': This cell holds 40,000 "
        "characters; a cell may hold at most 32,767."
    )


# --- encodings and delimiters


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_names_with_accents_read_the_same_in_every_common_encoding(encoding):
    table = open_table(csv_bytes(ROSTER, encoding=encoding), file_name="roster.csv")
    assert table.header == tuple(ROSTER[0])
    assert [row.cells[:2] for row in table.rows()] == [("Maria", "Lopez"), ("José", "Peña")]


def test_a_short_windows_1252_list_is_read_as_windows_1252():
    data = "First;Last;City\nJosé;Peña;Hartford\n".encode("cp1252")
    table = open_table(data, file_name="roster.csv")
    assert table.encoding == "cp1252"
    assert table.description == "CSV text in Windows-1252, semicolon-separated"


def test_a_list_in_another_script_is_read_in_its_own_encoding():
    data = ("Имя,Фамилия\n" + "Иван,Петров\nМария,Сидорова\n" * 10).encode("cp1251")
    assert cells(data)[0] == ("Иван", "Петров")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(delimiter):
    rows = [
        ["First", "Last", "Address"],
        ["Maria", "Lopez", "123 Main St, Apt 4"],
        ["Jose", "Pena", "45 Elm St"],
    ]
    table = open_table(csv_bytes(rows, delimiter=delimiter), file_name="roster.csv")
    assert table.delimiter == delimiter
    assert [row.cells for row in table.rows()] == [tuple(row) for row in rows[1:]]


def test_a_single_column_file_reads_as_one_column():
    assert cells(b"Email\nmaria@example.org\njose@example.org\n") == [
        ("maria@example.org",),
        ("jose@example.org",),
    ]


# --- rows as a spreadsheet shows them


def test_rows_are_numbered_as_a_spreadsheet_shows_them_even_with_multi_line_cells():
    data = b'First,Notes\nMaria,"line one\nline two"\nJose,\n'
    rows = list(open_table(data, file_name="roster.csv").rows())
    assert [(row.number, row.cells[0]) for row in rows] == [(2, "Maria"), (3, "Jose")]


def test_short_rows_are_padded_and_empty_cells_past_the_end_ignored():
    assert cells(b"First,Last,Email\nMaria\nJose,Pena,,,\n") == [
        ("Maria", "", ""),
        ("Jose", "Pena", ""),
    ]


def test_old_mac_line_endings_are_rows_too():
    assert cells(b"First,Last\rMaria,Lopez\rJose,Pena\r") == [("Maria", "Lopez"), ("Jose", "Pena")]


@pytest.mark.parametrize(
    ("data", "estimate"),
    [
        (b"First\nMaria\nJose\n", 2),
        (b"First\nMaria\nJose", 2),
        (b"First\rMaria\rJose\r", 2),
        (csv_bytes(ROSTER, encoding="utf-16"), 2),
        (xlsx_bytes(ROSTER), 2),
    ],
)
def test_the_number_of_rows_is_known_before_reading_them_for_a_progress_bar(data, estimate):
    assert open_table(data, file_name="roster").rows_estimate == estimate


def test_rows_can_be_read_twice_for_a_dry_run_then_a_commit(roster_csv):
    table = open_table(roster_csv, file_name="roster.csv")
    assert list(table.rows()) == list(table.rows())


def test_a_path_and_a_file_object_read_like_bytes(tmp_path, roster_csv):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv)
    from_path = open_table(path)
    from_file = open_table(io.BytesIO(roster_csv), file_name="roster.csv")
    assert from_path.file_name == "roster.csv"
    assert list(from_path.rows()) == list(from_file.rows()) == list(open_table(roster_csv).rows())


class UploadedFile:
    """A file object like Django's uploads: read, seek and tell, but no io base class."""

    def __init__(self, data: bytes, name: str):
        self.stream, self.name = io.BytesIO(data), name

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()


@pytest.mark.parametrize("data", [csv_bytes(ROSTER), xlsx_bytes(ROSTER)])
def test_an_upload_object_that_is_not_an_io_stream_is_read_and_left_open(data):
    upload = UploadedFile(data, "uploads/roster-upload")
    table = open_table(upload)
    assert table.file_name == "roster-upload"
    assert [row.cells[:2] for row in table.rows()] == [("Maria", "Lopez"), ("José", "Peña")]
    upload.seek(0)
    assert upload.read() == data  # not closed: its owner may still use it


# --- XLSX


def test_xlsx_cells_keep_their_types(roster_xlsx):
    data = xlsx_bytes(
        [["First", "Zip", "Born", "Texts OK"], ["Maria", 6511, date(1990, 3, 5), True]]
    )
    table = open_table(data, file_name="roster.xlsx")
    assert table.kind == "xlsx" and table.sheet_name == "Members"
    assert next(table.rows()).cells == ("Maria", 6511.0, date(1990, 3, 5), True)


def test_a_date_and_time_cell_reads_as_a_datetime():
    data = xlsx_bytes([["First", "Signed up"], ["Maria", datetime(2024, 3, 5, 18, 30)]])
    assert next(open_table(data).rows()).cells[1] == datetime(2024, 3, 5, 18, 30)


def test_an_xlsx_sheet_can_be_chosen_by_name_or_position():
    data = xlsx_bytes(
        [["Notes"], ["not people"]], sheet="Read me", more_sheets={"People": [["First"], ["Maria"]]}
    )
    assert open_table(data).sheet_names == ("Read me", "People")
    assert next(open_table(data, sheet="People").rows()).cells == ("Maria",)
    assert next(open_table(data, sheet=1).rows()).cells == ("Maria",)


def test_a_sheet_that_does_not_exist_is_refused_listing_the_sheets():
    data = xlsx_bytes([["First"], ["Maria"]], more_sheets={"Tenants": [["First"]]})
    assert refusal(data, "roster.xlsx", sheet="Members 2024") == (
        "roster.xlsx: This workbook has no sheet 'Members 2024'; its sheets are 'Members', "
        "'Tenants'."
    )


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell():
    data = xlsx_bytes([["First", "Dues"], ["Maria", "=10*12"]])
    assert refusal(data, "roster.xlsx") == (
        "roster.xlsx: Cell B2 of sheet 'Members' holds a formula with no saved value, and "
        "formulas are never run here. Open the workbook in Excel or LibreOffice, save it, and "
        "upload it again."
    )


def test_a_formula_with_a_saved_value_is_read_as_that_value_and_counted():
    data = with_saved_formula_value(
        xlsx_bytes([["First", "Dues"], ["Maria", "=10*12"]]), "B2", "120"
    )
    table = open_table(data, file_name="roster.xlsx")
    assert table.formula_cells == 1
    assert next(table.rows()).cells == ("Maria", 120.0)


def test_an_xlsx_whose_first_row_is_blank_is_refused():
    data = xlsx_bytes([[None, None], ["First", "Last"], ["Maria", "Lopez"]])
    assert refusal(data, "roster.xlsx") == (
        "roster.xlsx, row 1: The first row is blank. The first row must name each column, for "
        "example First name, Last name, Email."
    )


def test_an_empty_sheet_is_refused():
    assert refusal(xlsx_bytes([]), "roster.xlsx") == (
        "roster.xlsx: Sheet 'Members' is empty: there is nothing to import."
    )


def test_an_xlsx_row_with_data_past_the_named_columns_carries_its_problem():
    data = xlsx_bytes([["First", "Last"], ["Maria", "Lopez"], ["Jose", "Pena", "stray"]])
    rows = list(open_table(data, file_name="roster.xlsx").rows())
    assert rows[1].problem == (
        "This row has 3 cells but the first row names only 2 columns. Give the extra columns "
        "a name in the first row, or clear them."
    )


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(roster_xlsx):
    message = refusal(roster_xlsx, "roster.xlsx", limits=ReadLimits(max_unpacked_bytes=1000))
    assert message.startswith("roster.xlsx: This workbook unpacks to")


def test_a_damaged_workbook_is_refused(roster_xlsx):
    message = refusal(roster_xlsx[: len(roster_xlsx) // 2], "roster.xlsx")
    assert message.startswith(
        "roster.xlsx: This looks like an XLSX workbook or a ZIP archive, but it is damaged"
    )


def test_an_opendocument_spreadsheet_is_refused_with_what_to_do():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("content.xml", "<office:document-content/>")
    assert refusal(archive.getvalue(), "roster.ods") == (
        "roster.ods: This is an OpenDocument spreadsheet (.ods); save it as .xlsx or .csv."
    )


def test_a_workbook_named_csv_is_still_read_as_a_workbook(roster_xlsx):
    assert open_table(roster_xlsx, file_name="roster.csv").kind == "xlsx"

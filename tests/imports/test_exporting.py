"""Exports: CSV and XLSX with formula injection escaped, read back unchanged by our reader."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from powerbase.imports.exporting import ExportTooLarge, csv_chunks, write_csv, write_xlsx
from powerbase.imports.formulas import escape_formula, looks_like_formula, unescape_formula
from powerbase.imports.reading import open_table

HOSTILE = ["=1+2", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1"]
ROWS = [
    ["Maria", "Lopez", date(1990, 3, 5), 12, None, True],
    *[[value, "Lopez", None, None, None, False] for value in HOSTILE],
    ["'quoted", "José", None, 1.5, "", None],
]
IN_XLSX = [value.replace("\r", "\n") for value in HOSTILE]  # XML has no lone carriage return
HEADER = ["First", "=Last", "Born", "Count", "Empty", "Texts OK"]


@pytest.mark.parametrize("value", HOSTILE)
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Maria", "", "'quoted", "a=b", 12, None])
def test_other_cells_are_left_alone(value):
    assert escape_formula(value) == value


def test_numbers_and_phones_with_a_sign_are_not_taken_for_formulas():
    assert not looks_like_formula("+1 (203) 555-0100")
    assert not looks_like_formula("-12.5")
    assert looks_like_formula("-2+3+cmd|' /C calc'!A0")


def test_unescaping_reverses_escaping_only():
    assert all(unescape_formula(escape_formula(value)) == value for value in HOSTILE)
    assert unescape_formula("'quoted") == "'quoted"


def test_a_csv_export_escapes_every_dangerous_cell_header_included():
    buffer = io.StringIO(newline="")
    assert write_csv(ROWS, buffer, header=HEADER) == len(ROWS)
    rows = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff"), newline="")))
    assert rows[0][1] == "'=Last"
    assert [row[0] for row in rows[2:8]] == ["'" + value for value in HOSTILE]
    assert rows[1] == ["Maria", "Lopez", "1990-03-05", "12", "", "TRUE"]
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row
    )


def test_a_csv_export_reads_back_through_the_import_reader_unchanged():
    buffer = io.StringIO(newline="")
    write_csv(ROWS, buffer, header=HEADER)
    table = open_table(buffer.getvalue().encode("utf-8"), file_name="export.csv")
    assert table.header == ("First", "'=Last", "Born", "Count", "Empty", "Texts OK")
    first_cells = [unescape_formula(row.cells[0]) for row in table.rows()]
    assert first_cells == ["Maria", *HOSTILE, "'quoted"]


def test_csv_chunks_give_the_same_text_as_writing_at_once():
    buffer = io.StringIO(newline="")
    write_csv(ROWS, buffer, header=HEADER)
    assert "".join(csv_chunks(ROWS, header=HEADER, rows_per_chunk=3)) == buffer.getvalue()


def test_an_xlsx_export_escapes_formulas_and_keeps_types(tmp_path):
    path = tmp_path / "people.xlsx"
    assert write_xlsx(ROWS, str(path), header=HEADER, sheet_name="People: Nutmeg/2026") == 8
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "People Nutmeg2026"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "'=Last"
    assert [row[0] for row in values[2:8]] == [escape_formula(value) for value in IN_XLSX]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[1][2].date() == date(1990, 3, 5) and values[1][3] == 12


def test_an_xlsx_export_reads_back_through_the_import_reader():
    buffer = io.BytesIO()
    write_xlsx(ROWS, buffer, header=HEADER)
    table = open_table(buffer.getvalue(), file_name="people.xlsx")
    assert table.formula_cells == 0
    assert [unescape_formula(row.cells[0]) for row in table.rows()] == [
        "Maria",
        *IN_XLSX,
        "'quoted",
    ]


def test_an_xlsx_export_drops_characters_xml_cannot_hold():
    buffer = io.BytesIO()
    write_xlsx([["Ma\x00ria\x07"]], buffer)
    assert next(open_table(buffer.getvalue()).rows(), None) is None  # the row is the header
    assert open_table(buffer.getvalue()).header == ("Maria",)


def test_a_value_too_long_for_an_xlsx_cell_is_refused_with_where_it_is():
    with pytest.raises(ExportTooLarge) as refused:
        write_xlsx([["Maria", "x" * 40_000]], io.BytesIO(), header=["First", "Notes"])
    assert str(refused.value).startswith("Row 2, column 2 holds 40,000 characters")


def test_exports_stream_from_a_generator_without_a_list():
    rows = ([f"Person {number}", f"person{number}@example.org"] for number in range(2000))
    buffer = io.StringIO(newline="")
    assert write_csv(rows, buffer, header=["Name", "Email"]) == 2000

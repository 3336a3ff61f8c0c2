"""Builders for small, fictional import files (555-01xx phones, example.org emails)."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest

ROSTER = [
    ["First Name", "Last Name", "Email", "Cell", "Zip"],
    ["Maria", "Lopez", "maria.lopez@example.org", "(203) 555-0100", "06511"],
    ["José", "Peña", "jose.pena@example.org", "860-555-0101", "06103"],
]


def csv_bytes(rows, *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """Return *rows* as CSV in *encoding* with *delimiter*."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, sheet: str = "Members", more_sheets: dict | None = None) -> bytes:
    """Return *rows* as an XLSX workbook whose first sheet is *sheet*."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for name, other_rows in (more_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_saved_formula_value(xlsx: bytes, cell: str, value: str) -> bytes:
    """Return *xlsx* with *cell*'s formula given a saved result, as Excel writes on save."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>'.encode()
                data = re.sub(pattern, rb"\1<v>" + value.encode() + rb"</v>", data)
            target.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def roster_csv() -> bytes:
    return csv_bytes(ROSTER)


@pytest.fixture
def roster_xlsx() -> bytes:
    return xlsx_bytes(ROSTER)

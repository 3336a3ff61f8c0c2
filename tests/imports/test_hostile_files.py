"""Hostile files: whatever is uploaded, the result is a clean report or a clear refusal.

Hypothesis builds files from random bytes, from text with stray quotes, ragged rows, huge
fields, odd encodings and formula cells, and from workbooks with any cell values. Reading,
mapping and validating each must end in a report whose counts add up, or in FileRefused or
MappingRefused naming the file; any other exception is a bug.
"""

import csv
import io
import re
import unicodedata

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from powerbase.imports.errors import FileRefused, MappingRefused
from powerbase.imports.mapping import check_mapping, propose_mapping
from powerbase.imports.reading import ReadLimits, open_table
from powerbase.imports.validating import ImportOptions, validate_table

from .conftest import xlsx_bytes

KNOWN_COLUMNS = [
    "First Name",
    "Last Name",
    "Name",
    "Email",
    "Cell",
    "Phone",
    "Home Phone",
    "Address",
    "Street",
    "City",
    "State",
    "Zip",
    "DOB",
    "Race",
    "Language",
    "Tags",
    "Notes",
    "Member ID",
    "Role",
    "Member Since",
    "Status",
    "SMS opt-in",
    "Gender",
    "Pronouns",
    "Suffix",
    "Apt",
]
TRICKY_CELLS = [
    "=1+2",
    "+SUM(A1)",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "'=x",
    "#REF!",
    "#N/A",
    "(203) 555-0100",
    "555-01",
    "+44 7400 123456",
    "maria@example.org",
    "maria@",
    "Maria <maria@example.org>",
    "03/05/1990",
    "25/03/1990",
    "1990-02-30",
    "45000",
    "05-Mar-1990",
    "2099-01-01",
    "06511",
    "6511",
    "0651",
    "Black; Puerto Rican",
    "Prefer not to say",
    "123 Main St Apt 4",
    "PO Box 12",
    "behind the church",
    '"',
    '""',
    "\n",
    "\r\n",
    ",",
    ";",
    "\t",
    "|",
    "\x00",
    "\ufeff",
    "é",
    "😀",
    "MARIA O'BRIEN",
    "Steward",
    "janitor",
    "yes",
    "maybe",
    " ",
    "",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1"]
LIMITS = ReadLimits(max_rows=200, max_columns=40, max_line_chars=60_000)
OPTIONS = ImportOptions()

cells = st.one_of(
    st.sampled_from(TRICKY_CELLS), st.text(max_size=20), st.integers(-(10**6), 10**10).map(str)
)
column_names = st.one_of(st.sampled_from(KNOWN_COLUMNS), st.text(max_size=12))


def outcome_of(data: bytes, name: str) -> str:
    """Read, map and validate *data*; return "report" or "refused", checking either is sound."""
    try:
        table = open_table(data, file_name=name, limits=LIMITS)
        mapping = check_mapping(table.header, propose_mapping(table.header))
        report = validate_table(table, mapping, OPTIONS, on_record=check_record)
    except FileRefused as refusal:
        assert refusal.message.startswith(name) and refusal.message.endswith((".", "?"))
        event("file refused")
        return "refused"
    except MappingRefused as refusal:
        assert refusal.problems and all(problem.endswith(".") for problem in refusal.problems)
        event("mapping refused")
        return "refused"
    event(f"report with {'some' if report.rejected else 'no'} rejected rows")
    assert report.rows == report.accepted + report.rejected + report.blank
    rejected_rows = {problem.row for problem in report.errors}
    assert len(rejected_rows) == report.rejected
    for problem in report.errors + report.warnings:
        assert re.match(r"Row \d+(, column '.*')?: ", problem.message, re.DOTALL)
        assert problem.reason.endswith(".")
    return "report"


def check_record(record) -> None:
    """Accepted records hold no control or format characters (notes keep line breaks)."""
    texts = [
        record.given_name,
        record.middle_name,
        record.family_name,
        record.suffix,
        record.preferred_name,
        record.gender,
        record.pronouns,
        record.external_id,
        *record.emails,
        *record.tags,
        *record.languages,
        *(address.original for address in record.addresses),
    ]
    assert not any(unicodedata.category(char)[0] == "C" for text in texts for char in text)
    assert not any(
        unicodedata.category(char)[0] == "C" and char != "\n"
        for note in record.notes
        for char in note
    )


def as_csv_text(header, rows, delimiter: str, quoted: bool) -> str:
    if quoted:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
        return buffer.getvalue()
    return "\n".join(delimiter.join(row) for row in [header, *rows]) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_give_a_report_or_a_refusal(data):
    outcome_of(data, "upload.csv")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(column_names, min_size=1, max_size=8),
    rows=st.lists(st.lists(cells, max_size=10), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoted=st.booleans(),
    encoding=st.sampled_from(ENCODINGS),
)
def test_messy_csv_text_gives_a_report_or_a_refusal(header, rows, delimiter, quoted, encoding):
    text = as_csv_text(header, rows, delimiter, quoted)
    outcome_of(text.encode(encoding, errors="replace"), "roster.csv")


known_headers = st.lists(st.sampled_from(KNOWN_COLUMNS), min_size=1, max_size=10, unique=True).map(
    lambda names: ["Email", *names] if "Email" not in names else names
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    header=known_headers,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_well_formed_lists_with_hostile_cells_give_a_report_or_a_refusal(
    data, header, delimiter, encoding
):
    rows = data.draw(
        st.lists(
            st.lists(cells, min_size=len(header), max_size=len(header)), min_size=1, max_size=12
        )
    )
    text = as_csv_text(header, rows, delimiter, quoted=True)
    outcome_of(text.encode(encoding, errors="replace"), "roster.csv")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.sampled_from([40_000, 70_000, 140_000]), where=st.sampled_from(["cell", "line"]))
def test_huge_fields_and_lines_are_refused_clearly(size, where):
    big = "x" * size if where == "cell" else ",".join(["y"] * (size // 2))
    data = f"First,Notes\nMaria,{big}\n".encode()
    assert outcome_of(data, "roster.csv") == "refused"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=known_headers,
    rows=st.lists(
        st.lists(
            st.one_of(cells, st.floats(allow_nan=False), st.booleans(), st.dates()), max_size=7
        ),
        max_size=8,
    ),
)
def test_workbooks_with_any_cells_give_a_report_or_a_refusal(header, rows):
    clean = [
        [ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row]
        for row in rows
    ]  # characters XML cannot hold
    clean = [
        [cell for cell in row if not (isinstance(cell, str) and cell.startswith("="))]
        for row in clean
    ]  # openpyxl would store those as formulas without saved values
    outcome_of(xlsx_bytes([header, *clean]), "roster.xlsx")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=1, max_value=4000), flip=st.integers(min_value=0, max_value=255))
def test_damaged_workbooks_give_a_report_or_a_refusal(cut, flip):
    data = bytearray(xlsx_bytes([["First", "Email"], ["Maria", "maria@example.org"]]))
    position = cut % len(data)
    data[position] = flip
    outcome_of(bytes(data), "roster.xlsx")
    outcome_of(bytes(data[:position]), "roster.xlsx")

"""Imports that forgive: a bad optional cell is left out with a warning, the person is kept."""

import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbase.imports.errors import InvalidValue
from powerbase.imports.reading import Row, Table, open_table
from powerbase.imports.validating import (
    ImportOptions,
    RowValidator,
    preview_cell,
    validate_table,
)

from .conftest import csv_bytes

OPTIONS = ImportOptions(today=date(2026, 11, 27))
HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "DOB",
    "Member Since",
    "Shop Steward?",
    "Notes",
]
MAPPING = {
    "First Name": "given_name",
    "Last Name": "family_name",
    "Email": "email",
    "Phone": "phone",
    "DOB": "birth_date",
    "Member Since": "affiliate_since",
    "Shop Steward?": "tag_if_yes",
    "Notes": "column_note",
}


def messy_roster(size: int = 200, seed: int = 9) -> list[list[str]]:
    """A roster as affiliates send them: mostly fine, with the usual mess in optional cells."""
    pick = random.Random(seed)
    firsts = ["Ana", "Darnell", "Mei", "José", "Keisha", "Tom", "Priya", "Luis", "Fatima", "Sam"]
    lasts = ["Quiñones", "Price", "Chen", "Peña", "Brown", "O'Neil", "Patel", "Diaz", "Ali"]
    rows = [HEADER]
    for n in range(size):
        first, last = pick.choice(firsts), pick.choice(lasts)
        rows.append(
            [
                first,
                last,
                pick.choice([f"{first.lower()}.{n}@example.org"] * 6 + ["not-an-email", "n/a", ""]),
                pick.choice(
                    [f"203-555-{n % 100:04d}"] * 5
                    + ["n/a", "9999999999", "0000000000", "555-01", ""]
                ),
                pick.choice(
                    ["1984-03-09", "04/22/1979", "01/01/1900", "March 2020", "unknown", ""]
                ),
                pick.choice(["2019-05-01", "March 2020", "2007", "someday", "N/A", ""]),
                pick.choice(["Yes", "No", "Y", "", "maybe", "-"]),
                pick.choice(["", "Met at the rally", "none"]),
            ]
        )
    # Two rows that say nothing about who they are about.
    rows[57] = ["", "", "not-an-email", "n/a", "1984-03-09", "", "Yes", ""]
    rows[123] = ["N/A", "-", "", "555-01", "", "", "", ""]
    return rows


def check(rows, mapping=MAPPING):
    table = open_table(csv_bytes(rows), file_name="roster.csv")
    kept = []
    return validate_table(table, mapping, OPTIONS, on_record=kept.append), kept


def test_a_messy_roster_keeps_nearly_every_person_and_lists_each_dropped_cell():
    report, kept = check(messy_roster())
    assert (report.accepted, report.rejected) == (198, 2)
    assert {p.row for p in report.errors} == {58, 124}
    bad_email = next(p for p in report.warnings if p.value == "not-an-email")
    assert bad_email.message == (
        f"Row {bad_email.row}, column 'Email': 'not-an-email' is not an email address (an email "
        "address must have an @-sign). The cell was left out and the rest of the row kept."
    )
    assert {p.column for p in report.warnings} >= {
        "Email",
        "Phone",
        "DOB",
        "Member Since",
        "Shop Steward?",
    }
    assert all(
        p.reason.endswith("The cell was left out and the rest of the row kept.")
        for p in report.warnings
    )


def test_placeholders_are_read_as_missing_without_a_warning():
    report, kept = check(messy_roster())
    placeholders = {"n/a", "N/A", "9999999999", "0000000000", "01/01/1900", "unknown", "none", "-"}
    assert not [p for p in report.warnings if p.value in placeholders]
    assert all(record.birth_date != date(1900, 1, 1) for record in kept)
    assert all(
        not phone.e164.endswith(("9999999999", "0000000000"))
        for record in kept
        for phone in record.phones
    )
    assert "N/A" not in {record.given_name for record in kept}


def test_each_placeholder_means_missing():
    for value in ["n/a", "N/A", "none", "unknown", "-", "null", "NULL", " n/a "]:
        report, kept = check(
            [["First", "Email"], ["Maria", value]], {"First": "given_name", "Email": "email"}
        )
        assert (kept[0].emails, report.warnings) == ([], []), value
    for value in ["9999999999", "0000000000", "(999) 999-9999", "1234567890"]:
        report, kept = check(
            [["First", "Phone"], ["Maria", value]], {"First": "given_name", "Phone": "phone"}
        )
        assert (kept[0].phones, report.warnings) == ([], []), value
    for value in ["01/01/1900", "1900-01-01", "00/00/0000", "0000-00-00"]:
        report, kept = check(
            [["First", "DOB"], ["Maria", value]], {"First": "given_name", "DOB": "birth_date"}
        )
        assert (kept[0].birth_date, report.warnings) == (None, []), value


def test_a_yes_no_column_becomes_a_tag_named_after_it_and_a_column_a_labelled_note():
    report, kept = check(
        [
            HEADER,
            ["Ana", "Price", "", "", "", "March 2020", "Y", "Met at rally"],
            ["Tom", "Chen", "", "", "", "", "No", ""],
        ]
    )
    ana, tom = kept
    assert (ana.tags, ana.notes) == (["Shop Steward"], ["Notes: Met at rally"])
    assert ana.affiliate_since == date(2020, 3, 1)  # a month is when membership started
    assert tom.tags == []


def test_the_mapping_page_preview_says_what_a_value_becomes():
    assert preview_cell("phone", "Phone", "(203) 555-0100") == (
        True,
        "phones +12035550100 (unknown)",
    )
    assert preview_cell("phone", "Phone", "n/a") == (True, "nothing: read as missing")
    kept, text = preview_cell("email", "Email", "not-an-email")
    assert not kept and text.startswith("left out: 'not-an-email' is not an email address")
    assert preview_cell("tag_if_yes", "Shop Steward?", "yes") == (True, "tags Shop Steward")


# The property: whatever the cells, a value its validator refuses never reaches a record.

FIELD_OF = {
    "First": "given_name",
    "Email": "email",
    "Phone": "phone",
    "DOB": "birth_date",
    "Since": "affiliate_since",
    "Text OK": "sms_consent",
    "Role": "affiliate_role",
    "Status": "affiliate_status",
    "Member ID": "external_id",
    "Steward?": "tag_if_yes",
}
READ = {
    "given_name": lambda r: r.given_name,
    "email": lambda r: r.emails,
    "phone": lambda r: r.phones,
    "birth_date": lambda r: r.birth_date,
    "affiliate_since": lambda r: r.affiliate_since,
    "sms_consent": lambda r: r.sms_consent,
    "affiliate_role": lambda r: r.affiliate_role,
    "affiliate_status": lambda r: r.affiliate_status,
    "external_id": lambda r: r.external_id,
    "tag_if_yes": lambda r: r.tags,
}
SAMPLES = [
    "Maria",
    "maria@example.org",
    "not-an-email",
    "203-555-0100",
    "555-01",
    "n/a",
    "9999999999",
    "1984-03-09",
    "01/01/1900",
    "March 2020",
    "2099-01-01",
    "yes",
    "no",
    "maybe",
    "steward",
    "member",
    "lapsed",
    "#REF!",
    "=1+1",
    "-",
    "",
    " ",
    "x" * 300,
]
cells = st.one_of(st.sampled_from(SAMPLES), st.text(max_size=40))


def validator_refuses(field_key: str, column: str, cell: str) -> bool:
    """Ask the field's own validator, alone, whether it accepts *cell*."""
    table = Table(file_name="", kind="csv", header=(column,))
    outcome, _ = RowValidator(table, {column: field_key}, OPTIONS).read(Row(2, (cell,)))
    return any(problem.dropped for problem in outcome.warnings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({column: cells for column in FIELD_OF}))
def test_a_forgiving_import_never_keeps_a_value_its_validator_refused(row):
    header = tuple(FIELD_OF)
    table = Table(file_name="", kind="csv", header=header)
    outcome = RowValidator(table, FIELD_OF, OPTIONS).check(Row(2, tuple(row[c] for c in header)))
    problems = outcome.warnings + outcome.errors
    for column, field_key in FIELD_OF.items():
        if not validator_refuses(field_key, column, row[column]):
            continue
        assert any(p.column == column and p.dropped for p in problems), (column, row[column])
        if outcome.record is not None:
            value = READ[field_key](outcome.record)
            assert value in (None, "", []), (column, row[column], value)
    if outcome.record is None:
        assert outcome.errors and outcome.errors[-1].column == ""
    assert not [p for p in outcome.warnings if p.dropped and not p.reason.endswith("kept.")]


def test_the_validator_refuses_what_the_property_test_relies_on():
    assert validator_refuses("email", "Email", "not-an-email")
    assert not validator_refuses("email", "Email", "n/a")
    assert isinstance(InvalidValue("x"), ValueError)

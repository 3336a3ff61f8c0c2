"""Validating whole files: clean records, rejected rows with reasons, warnings, the report."""

import csv
import io
from datetime import date

import pytest

from powerbase.imports.addresses import Address
from powerbase.imports.errors import MappingRefused
from powerbase.imports.mapping import propose_mapping
from powerbase.imports.normalizing import RaceEthnicity
from powerbase.imports.reading import open_table
from powerbase.imports.validating import (
    ImportOptions,
    PersonRecord,
    Phone,
    validate_rows,
    validate_table,
)

from .conftest import csv_bytes, xlsx_bytes

OPTIONS = ImportOptions(today=date(2026, 11, 27))


def outcomes(rows, options=OPTIONS, mapping=None, xlsx=False):
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    table = open_table(data, file_name="roster.xlsx" if xlsx else "roster.csv")
    return list(validate_rows(table, mapping or propose_mapping(table.header), options))


def report(rows, options=OPTIONS, mapping=None):
    table = open_table(csv_bytes(rows), file_name="roster.csv")
    return validate_table(table, mapping or propose_mapping(table.header), options)


def test_a_clean_row_becomes_a_normalised_person_record():
    rows = [
        [
            "First Name",
            "LAST NAME",
            "E-mail",
            "Cell",
            "Home Phone",
            "Address",
            "City",
            "State",
            "Zip",
            "DOB",
            "Race",
            "Language",
            "Pronouns",
            "Tags",
            "Notes",
            "Member ID",
            "Role",
            "Member Since",
            "Status",
            "SMS opt-in",
        ],
        [
            "MARIA",
            "O'BRIEN",
            "Maria.OBrien@Example.ORG",
            "(203) 555-0100",
            "203.555.0101",
            "45 elm street",
            "New Haven",
            "ct",
            "6511",
            "3/5/90",
            "Latina; Puerto Rican",
            "Spanish, English",
            "She/Her",
            "rally; housing",
            "Met at the rally",
            "1001",
            "Steward",
            "2020-01-15",
            "In good standing",
            "Y",
        ],
    ]
    [outcome] = outcomes(rows)
    assert outcome.errors == [] and outcome.warnings == []
    assert outcome.record == PersonRecord(
        row=2,
        given_name="Maria",
        family_name="O'Brien",
        birth_date=date(1990, 3, 5),
        emails=["Maria.OBrien@example.org"],
        phones=[Phone("+12035550100", "mobile"), Phone("+12035550101", "unknown", "home")],
        sms_consent=True,
        addresses=[
            Address(
                original="45 elm street, New Haven, ct 6511",
                line1="45 ELM ST",
                city="NEW HAVEN",
                state="CT",
                zip="06511",
                standardized=True,
            )
        ],
        languages=["es", "en"],
        race_ethnicity=RaceEthnicity(("hispanic_or_latino",), "Latina; Puerto Rican"),
        pronouns="she/her",
        tags=["rally", "housing"],
        notes=["Met at the rally"],
        external_id="1001",
        affiliate_role="leader",
        affiliate_since=date(2020, 1, 15),
        affiliate_status="active",
    )


def test_a_bad_phone_is_left_out_and_the_row_kept_with_a_warning():
    rows = [["First", "Phone"]] + [["Maria", "203-555-0100"]] * 39 + [["Jose", "555-01"]]
    last = outcomes(rows)[-1]
    assert last.record.given_name == "Jose" and last.record.phones == []
    assert [problem.message for problem in last.warnings] == [
        "Row 41, column 'Phone': '555-01' is not a phone number (expected 10 digits, found 5). "
        "The cell was left out and the rest of the row kept."
    ]


def test_a_row_is_rejected_only_when_what_is_left_says_nothing_about_who():
    [outcome] = outcomes([["First", "Email", "Phone"], ["n/a", "not-an-email", "555-01"]])
    assert outcome.record is None
    assert [(problem.column, problem.value) for problem in outcome.errors] == [
        ("Email", "not-an-email"),
        ("Phone", "555-01"),
        ("", ""),
    ]
    assert outcome.errors[-1].message == (
        "Row 2: There is no name, email, phone or external id in this row, so it does not say "
        "who it is about."
    )


def test_every_problem_in_a_row_is_reported_not_just_the_first():
    [outcome] = outcomes([["First", "Email", "DOB"], ["Maria", "maria@", "2099-01-01"]])
    assert outcome.errors == []
    assert [(problem.column, problem.value) for problem in outcome.warnings] == [
        ("Email", "maria@"),
        ("DOB", "2099-01-01"),
    ]


def test_a_blank_row_is_skipped_and_counted_as_blank():
    result = report(
        [
            ["First", "Email"],
            ["Maria", "maria@example.org"],
            ["", " "],
            ["Jose", "jose@example.org"],
        ]
    )
    assert (result.rows, result.accepted, result.rejected, result.blank) == (3, 2, 0, 1)


def test_a_row_that_says_nothing_about_who_is_rejected():
    [outcome] = outcomes([["First", "City"], ["", "New Haven"]])
    assert [problem.message for problem in outcome.errors] == [
        "Row 2: There is no name, email, phone or external id in this row, so it does not say "
        "who it is about."
    ]


def test_a_formula_cell_is_kept_as_plain_text_and_flagged():
    [outcome] = outcomes([["First", "Notes"], ["Maria", '=HYPERLINK("http://x.example")']])
    assert outcome.record.notes == ['=HYPERLINK("http://x.example")']
    assert [problem.message for problem in outcome.warnings] == [
        "Row 2, column 'Notes': '=HYPERLINK(\"http://x.example\")' starts with '=', which a "
        "spreadsheet would run as a formula; it was kept as plain text."
    ]


def test_a_phone_starting_with_plus_is_not_flagged_as_a_formula():
    [outcome] = outcomes([["First", "Phone"], ["Maria", "+1 203 555 0100"]])
    assert outcome.warnings == [] and outcome.record.phones[0].e164 == "+12035550100"


def test_a_cell_escaped_by_an_export_reads_back_as_it_was():
    [outcome] = outcomes([["First", "Notes"], ["Maria", "'=1+2"]])
    assert outcome.record.notes == ["=1+2"]


def test_a_spreadsheet_error_is_left_out_and_not_available_counts_as_empty():
    warned, accepted = outcomes(
        [["First", "Phone", "Middle"], ["Maria", "#REF!", ""], ["Jose", "203-555-0100", "#N/A"]]
    )
    assert warned.record.phones == []
    assert warned.warnings[0].message == (
        "Row 2, column 'Phone': '#REF!' is a spreadsheet error, not a value; fix the formula in "
        "the spreadsheet and save it again. The cell was left out and the rest of the row kept."
    )
    assert accepted.record.middle_name == ""


def test_emails_from_several_columns_and_cells_are_merged_without_repeats():
    [outcome] = outcomes(
        [
            ["First", "Email", "Work Email"],
            ["Maria", "maria@example.org; m.lopez@example.org", "MARIA@EXAMPLE.ORG"],
        ]
    )
    assert outcome.record.emails == ["maria@example.org", "m.lopez@example.org"]


def test_the_same_number_in_two_columns_keeps_what_the_columns_say_about_it():
    [outcome] = outcomes([["First", "Phone", "Cell"], ["Maria", "203-555-0100", "2035550100"]])
    assert outcome.record.phones == [Phone("+12035550100", "mobile")]


def test_a_full_name_column_is_split_when_there_are_no_name_parts():
    [outcome] = outcomes([["Name", "Email"], ["Lopez, Maria J.", "maria@example.org"]])
    record = outcome.record
    assert (record.given_name, record.middle_name, record.family_name) == ("Maria", "J.", "Lopez")


def test_an_address_that_cannot_be_read_warns_but_does_not_reject():
    [outcome] = outcomes([["First", "Address"], ["Maria", "behind the church"]])
    assert outcome.record.addresses == [Address(original="behind the church")]
    assert outcome.warnings[0].message == (
        "Row 2, column 'Address': 'behind the church' could not be read as a US street "
        "address; it was kept as written."
    )


def test_race_answers_in_two_columns_are_combined():
    [outcome] = outcomes([["First", "Race", "Ethnicity"], ["Maria", "White", "Cuban"]])
    assert outcome.record.race_ethnicity == RaceEthnicity(("hispanic_or_latino", "white"), "Cuban")


def test_day_first_dates_are_read_when_the_import_says_so():
    rows = [["First", "DOB"], ["Maria", "05/03/1990"]]
    assert outcomes(rows)[0].record.birth_date == date(1990, 5, 3)
    day_first = ImportOptions(today=date(2026, 11, 27), day_first=True)
    assert outcomes(rows, day_first)[0].record.birth_date == date(1990, 3, 5)


def test_a_membership_start_in_the_future_is_left_out():
    [outcome] = outcomes([["First", "Member Since"], ["Maria", "2030-01-01"]])
    assert outcome.record.affiliate_since is None
    assert outcome.warnings[0].reason == (
        "'2030-01-01' is in the future, so it cannot be the date membership started. The cell "
        "was left out and the rest of the row kept."
    )


def test_typed_xlsx_cells_are_read_as_what_they_are():
    rows = [
        ["First", "Zip", "DOB", "Joined", "Cell"],
        ["Maria", 6511, date(1990, 3, 5), 43831, 2035550100],
    ]
    [outcome] = outcomes(rows, xlsx=True)
    record = outcome.record
    assert record.addresses[0].zip == "06511"
    assert record.birth_date == date(1990, 3, 5)
    assert record.affiliate_since == date(2020, 1, 1)  # a date serial number in a number cell
    assert record.phones == [Phone("+12035550100", "mobile")]


def test_the_report_counts_rows_and_keeps_every_problem():
    result = report(
        [
            ["First", "Email"],
            ["Maria", "maria@example.org"],
            ["", "jose@"],
            ["", ""],
            ["Ana", "=1+1@example.org"],
        ]
    )
    assert result.summary() == ("roster.csv: 4 rows read, 2 ready to import, 1 rejected, 1 blank.")
    assert [(p.row, p.column) for p in result.errors] == [(3, "Email"), (3, "")]
    assert [(p.row, p.column) for p in result.warnings] == [(5, "Email")]


def test_the_rejections_download_as_csv_with_row_column_value_reason_escaped():
    result = report(
        [["First", "Email"], ["=cmd|' /C calc'!A0", "maria@example.org"], ["", "jose@"]]
    )
    rows = list(csv.reader(io.StringIO(result.problems_csv().lstrip("\ufeff"))))
    assert rows[:2] == [
        ["row", "column", "value", "reason"],
        [
            "3",
            "Email",
            "jose@",
            "'jose@' is not an email address (there must be something after the @-sign).",
        ],
    ]
    warnings = list(csv.reader(io.StringIO(result.problems_csv(warnings=True))))
    assert warnings[1][2] == "'=cmd|' /C calc'!A0"


def test_each_accepted_record_can_be_handed_on_while_validating():
    seen = []
    table = open_table(csv_bytes([["First"], ["Maria"], ["Jose"]]), file_name="roster.csv")
    validate_table(table, {"First": "given_name"}, OPTIONS, on_record=seen.append)
    assert [record.given_name for record in seen] == ["Maria", "Jose"]


def test_an_unusable_mapping_is_refused_before_any_row_is_read():
    table = open_table(csv_bytes([["First"], ["Maria"]]), file_name="roster.csv")
    with pytest.raises(MappingRefused):
        next(validate_rows(table, {"First": "shoe_size"}))


def test_a_ragged_row_deep_in_the_file_rejects_that_row_only():
    rows = [["First", "Last"]] + [["Maria", "Lopez"]] * 50 + [["Jose", "Pena", "extra"]]
    result = report(rows)
    assert (result.accepted, result.rejected) == (50, 1)
    assert [(p.row, p.column) for p in result.errors] == [(52, "")]


@pytest.mark.parametrize(
    "cell",
    ["203-555-0100 / 203-555-0199", "203-555-0100/203-555-0199", "203-555-0100 or 203-555-0199"],
)
def test_two_phones_in_one_cell_written_with_a_slash_or_or_are_both_kept(cell):
    from powerbase.imports.validating import ImportOptions, _rules

    phones = _rules(ImportOptions(), date1904=False)["phone"].normalize(cell)
    assert [number.e164 for number in phones] == ["+12035550100", "+12035550199"]

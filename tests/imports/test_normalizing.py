"""Normalising one cell: the clean value, or the reason it cannot be one."""

import random
from datetime import date, datetime

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbase.imports.errors import InvalidValue
from powerbase.imports.normalizing import (
    NameParts,
    PhoneNumber,
    RaceEthnicity,
    _nanp_prefix_is_valid,
    guess_day_first,
    normalize_affiliate_role,
    normalize_affiliate_status,
    normalize_birth_date,
    normalize_consent,
    normalize_email,
    normalize_gender,
    normalize_languages,
    normalize_name,
    normalize_notes,
    normalize_phone,
    normalize_pronouns,
    normalize_race_ethnicity,
    normalize_state,
    normalize_suffix,
    normalize_tags,
    normalize_zip,
    parse_date,
    split_full_name,
)

TODAY = date(2026, 11, 27)


def reason(normalizer, *args, **kwargs) -> str:
    with pytest.raises(InvalidValue) as refused:
        normalizer(*args, **kwargs)
    return refused.value.reason


# --- names


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("MARIA", "Maria"),
        ("maria", "Maria"),
        ("O'BRIEN", "O'Brien"),
        ("mcdonald", "McDonald"),
        ("SMITH-JONES", "Smith-Jones"),
        ("DE LA CRUZ", "De la Cruz"),
        ("d’angelo", "D’Angelo"),
        ("JOSÉ", "José"),
        ("  maria   del  carmen ", "Maria del Carmen"),
        ("McDonald", "McDonald"),
        ("deShawn", "deShawn"),
        ("van der Berg", "van der Berg"),
    ],
)
def test_names_keep_their_capitals_unless_typed_in_one_case(typed, kept):
    assert normalize_name(typed) == kept


def test_an_email_in_a_name_column_is_refused():
    assert reason(normalize_name, "maria@example.org") == (
        "'maria@example.org' looks like an email address, not a name."
    )


@pytest.mark.parametrize(
    ("typed", "kept"), [("jr", "Jr."), ("SR.", "Sr."), ("iii", "III"), ("Esq", "Esq.")]
)
def test_suffixes_are_written_the_usual_way(typed, kept):
    assert normalize_suffix(typed) == kept


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Maria Lopez", NameParts("Maria", "", "Lopez")),
        ("Lopez, Maria J.", NameParts("Maria", "J.", "Lopez")),
        ("Dr. Maria J. de la Cruz Jr.", NameParts("Maria", "J.", "de la Cruz", "Jr.")),
        ("Smith, John, Jr", NameParts("John", "", "Smith", "Jr.")),
        ("MARIA", NameParts("Maria")),
    ],
)
def test_a_full_name_is_split_into_parts(full, parts):
    assert split_full_name(full) == parts


# --- phones


@pytest.mark.parametrize(
    "typed",
    [
        "(203) 555-0100",
        "203-555-0100",
        "203.555.0100",
        "+1 203 555 0100",
        "2035550100",
        "1-203-555-0100",
        2035550100.0,
    ],
)
def test_us_phones_in_any_common_format_become_e164(typed):
    assert normalize_phone(typed) == PhoneNumber("+12035550100", "unknown")


def test_a_short_phone_is_refused_saying_how_many_digits_were_expected():
    assert reason(normalize_phone, "555-01") == (
        "'555-01' is not a phone number (expected 10 digits, found 5)."
    )


def test_a_phone_with_an_area_code_that_does_not_exist_is_refused():
    assert reason(normalize_phone, "(999) 555-0100") == (
        "'(999) 555-0100' is not a valid US phone number (there is no such area code or "
        "exchange: 999-555)."
    )


def test_an_extension_is_kept_apart():
    assert normalize_phone("860.555.0142 x12") == PhoneNumber("+18605550142", "unknown", "12")


def test_a_foreign_mobile_says_it_is_a_mobile():
    assert normalize_phone("+44 7400 123456") == PhoneNumber("+447400123456", "mobile")


def test_the_six_digit_validity_shortcut_agrees_with_phonenumbers():
    rng = random.Random(4)
    for _ in range(300):
        national = f"{rng.randrange(200, 1000)}{rng.randrange(200, 1000)}{rng.randrange(10**4):04d}"
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
        assert _nanp_prefix_is_valid(national[:6]) == phonenumbers.is_valid_number(number), national


# --- emails


def test_an_email_keeps_its_local_part_and_lowers_its_domain():
    assert normalize_email("Maria.Lopez@Example.ORG") == "Maria.Lopez@example.org"


@pytest.mark.parametrize(
    "typed", ["Maria Lopez <maria@example.org>", "mailto:maria@example.org", " maria@example.org "]
)
def test_an_email_is_taken_out_of_display_names_and_links(typed):
    assert normalize_email(typed) == "maria@example.org"


def test_a_broken_email_is_refused_saying_what_is_wrong():
    assert reason(normalize_email, "maria@") == (
        "'maria@' is not an email address (there must be something after the @-sign)."
    )


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9._%+'-]{1,12}@[A-Za-z0-9.-]{1,12}\.[A-Za-z]{2,6}", fullmatch=True))
def test_the_plain_email_shortcut_agrees_with_email_validator(text):
    try:
        expected = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = None
    try:
        got = normalize_email(text)
    except InvalidValue:
        got = None
    assert got == expected


# --- dates


@pytest.mark.parametrize(
    "typed",
    [
        "1990-03-05",
        "03/05/1990",
        "3/5/90",
        "05-Mar-1990",
        "March 5, 1990",
        "5 Mar 1990",
        "19900305",
        "1990-03-05T00:00:00",
        "3/5/1990 0:00",
        date(1990, 3, 5),
        datetime(1990, 3, 5, 12, 0),
        32937.0,
    ],
)
def test_dates_are_read_in_every_accepted_format(typed):
    assert parse_date(typed, today=TODAY) == date(1990, 3, 5)


def test_an_excel_serial_from_a_1904_workbook_counts_from_1904():
    assert parse_date(31475.0, date1904=True, today=TODAY) == date(1990, 3, 5)


def test_an_ambiguous_slash_date_is_read_month_first_by_default():
    assert parse_date("03/04/1990", today=TODAY) == date(1990, 3, 4)


def test_an_ambiguous_slash_date_is_read_day_first_when_the_import_says_so():
    assert parse_date("03/04/1990", day_first=True, today=TODAY) == date(1990, 4, 3)


def test_a_day_first_date_in_a_month_first_import_is_refused_saying_how_to_fix_it():
    assert reason(parse_date, "25/03/1990", today=TODAY) == (
        "'25/03/1990' is not a date in month/day/year order; if this file writes the day first, "
        "choose day-first dates for this import."
    )


def test_two_digit_years_are_the_latest_year_not_in_the_future():
    assert parse_date("3/5/26", today=TODAY) == date(2026, 3, 5)
    assert parse_date("3/5/27", today=TODAY) == date(1927, 3, 5)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("02/30/1990", "'02/30/1990' is not a real date (there is no day 30 in February 1990)."),
        ("1990-13-01", "'1990-13-01' is not a real date (there is no month 13)."),
        (
            "sometime in May",
            "'sometime in May' is not a date (write it as YYYY-MM-DD, MM/DD/YYYY or DD-Mon-YYYY).",
        ),
    ],
)
def test_impossible_dates_are_refused(typed, why):
    assert reason(parse_date, typed, today=TODAY) == why


def test_a_date_serial_number_typed_as_text_is_refused_with_a_hint():
    assert "looks like a spreadsheet date number" in reason(parse_date, "45000", today=TODAY)


def test_a_birth_date_in_the_future_is_refused():
    assert reason(normalize_birth_date, "2030-01-01", today=TODAY) == (
        "'2030-01-01' is in the future, so it cannot be a birth date."
    )


def test_a_birth_date_more_than_120_years_ago_is_refused():
    assert reason(normalize_birth_date, "1899-01-01", today=TODAY) == (
        "'1899-01-01' would make this person more than 120 years old; check the year."
    )


def test_the_order_of_slash_dates_is_guessed_from_days_over_twelve():
    assert guess_day_first(["03/04/1990", "25/03/1990"]) is True
    assert guess_day_first(["03/25/1990", "1/2/2001"]) is False
    assert guess_day_first(["03/04/1990"]) is None
    assert guess_day_first(["25/03/1990", "03/25/1990"]) is None


# --- places


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("06511", "06511"),
        ("6511", "06511"),
        (6511.0, "06511"),
        ("06511-1234", "06511-1234"),
        ("065111234", "06511-1234"),
    ],
)
def test_zip_codes_keep_or_regain_their_leading_zero(typed, kept):
    assert normalize_zip(typed) == kept


@pytest.mark.parametrize("typed", ["0651", "ABCDE", "065111"])
def test_a_zip_code_of_the_wrong_length_is_refused(typed):
    assert reason(normalize_zip, typed) == (
        f"'{typed}' is not a ZIP code (expected 5 digits, or 9 written 12345-6789)."
    )


@pytest.mark.parametrize("typed", ["CT", "ct", "Connecticut", "conn."])
def test_states_become_their_postal_code(typed):
    assert normalize_state(typed) == "CT"


# --- self-identification


@pytest.mark.parametrize(
    ("answer", "categories", "described"),
    [
        ("Black", ("black_or_african_american",), ""),
        ("African American", ("black_or_african_american",), ""),
        ("Latinx", ("hispanic_or_latino",), ""),
        ("Middle Eastern", ("middle_eastern_or_north_african",), ""),
        ("Hispanic, White", ("hispanic_or_latino", "white"), ""),
        (
            "Black; Puerto Rican",
            ("black_or_african_american", "hispanic_or_latino"),
            "Black; Puerto Rican",
        ),
        ("Lebanese", ("middle_eastern_or_north_african",), "Lebanese"),
        ("Samoan", ("native_hawaiian_or_pacific_islander",), "Samoan"),
        ("Navajo", ("american_indian_or_alaska_native",), "Navajo"),
        ("Multiracial", (), "Multiracial"),
    ],
)
def test_race_and_ethnicity_map_to_the_2024_categories_and_keep_the_persons_words(
    answer, categories, described
):
    assert normalize_race_ethnicity(answer) == RaceEthnicity(categories, described)


def test_a_declined_answer_is_kept_as_declined_and_unknown_as_nothing():
    assert normalize_race_ethnicity("Prefer not to say") == RaceEthnicity(declined=True)
    assert normalize_race_ethnicity("Unknown") is None


def test_race_labels_read_as_on_a_form():
    assert normalize_race_ethnicity("MENA").labels == ("Middle Eastern or North African",)


def test_languages_become_iso_codes_and_unknown_ones_stay_in_words():
    assert normalize_languages("Spanish; Haitian Creole, english") == ["es", "ht", "en"]
    assert normalize_languages("Klingon") == ["Klingon"]


def test_gender_stays_in_the_persons_words_with_letters_spelled_out():
    assert normalize_gender("F") == "Female"
    assert normalize_gender("Nonbinary") == "Nonbinary"


def test_pronouns_are_written_the_usual_way():
    assert normalize_pronouns("She / Her") == "she/her"
    assert normalize_pronouns("any pronouns") == "any pronouns"


def test_tags_split_on_semicolons_and_commas_without_repeats():
    assert normalize_tags("rally; Housing, housing ; ,") == ["rally", "Housing"]


def test_notes_keep_their_line_breaks():
    assert normalize_notes("  Met at the rally \r\n\r\n wants  a call ") == (
        "Met at the rally\n\nwants a call"
    )


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("Steward", "leader"),
        ("member", "member"),
        ("Building Captain", "leader"),
        ("Staff", "staff"),
    ],
)
def test_affiliate_roles_are_read_from_the_words_lists_use(typed, role):
    assert normalize_affiliate_role(typed) == role


def test_an_unknown_role_is_refused_listing_the_roles():
    assert reason(normalize_affiliate_role, "janitor") == (
        "'janitor' is not a role in the affiliate (expected member, leader (such as steward or "
        "captain) or staff)."
    )


def test_membership_statuses_are_read_from_the_words_lists_use():
    assert normalize_affiliate_status("In arrears") == "lapsed"
    assert reason(normalize_affiliate_status, "??").startswith("'??' is not a membership status")


@pytest.mark.parametrize(
    ("typed", "consent"),
    [("Yes", True), ("Opted in", True), (True, True), ("N", False), ("unsubscribed", False)],
)
def test_consent_answers_are_yes_or_no(typed, consent):
    assert normalize_consent(typed) is consent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar-20", date(2020, 3, 1)),  # Excel's "mmm-yy", as a month-formatted cell exports
        ("Sep-98", date(1998, 9, 1)),
        ("Jul-2015", date(2015, 7, 1)),
        ("2020-03", date(2020, 3, 1)),  # ISO year and month
        ("2020/3", date(2020, 3, 1)),
        ("March 2020", date(2020, 3, 1)),
        ("03/2020", date(2020, 3, 1)),
        ("2007", date(2007, 1, 1)),
    ],
)
def test_a_member_since_date_may_be_a_month_as_spreadsheets_write_it(text, expected):
    from powerbase.imports.normalizing import parse_since

    assert parse_since(text, today=date(2026, 12, 7)) == expected


@pytest.mark.parametrize("text", ["2020-13", "Foo-20", "Mar-2"])
def test_a_month_that_is_not_one_is_still_refused(text):
    from powerbase.imports.normalizing import parse_since

    with pytest.raises(InvalidValue):
        parse_since(text, today=date(2026, 12, 7))


@pytest.mark.parametrize(
    "text",
    [
        "203 555 0103 (cell)",
        "(203) 555-0103 cell",
        "Cell: 203-555-0103",
        "c 203.555.0103",
        "203-555-0103 (H)",
    ],
)
def test_a_phone_with_its_kind_written_beside_it_is_read(text):
    from powerbase.imports.normalizing import normalize_phone

    assert normalize_phone(text).e164 == "+12035550103"


def test_ten_digits_with_words_that_are_not_a_label_say_what_is_wrong():
    from powerbase.imports.normalizing import normalize_phone

    with pytest.raises(InvalidValue) as refused:
        normalize_phone("203 555 0103 call evenings")
    assert "found 10" not in str(refused.value)
    assert "letters" in str(refused.value)


@pytest.mark.parametrize(
    "text", ["MARIA@EXAMPLE.ORG.", "maria@example.org,", " maria@example.org. "]
)
def test_an_email_ending_a_sentence_loses_its_full_stop(text):
    from powerbase.imports.normalizing import normalize_email

    assert normalize_email(text).lower() == "maria@example.org"

"""Column mappings: proposals from the header, saving and reusing, and checking edits."""

import json

import pytest

from powerbase.imports.errors import MappingRefused
from powerbase.imports.mapping import (
    FIELDS,
    apply_saved_mapping,
    check_mapping,
    dump_mapping,
    load_mapping,
    propose_mapping,
    unmapped_columns,
)


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("First", "given_name"),
        ("first_name", "given_name"),
        ("Given Name", "given_name"),
        ("FNAME", "given_name"),
        ("Last", "family_name"),
        ("Surname", "family_name"),
        ("family_name", "family_name"),
        ("Middle", "middle_name"),
        ("Suffix", "suffix"),
        ("Nickname", "preferred_name"),
        ("Preferred name", "preferred_name"),
        ("DOB", "birth_date"),
        ("Birthdate", "birth_date"),
        ("Date of Birth", "birth_date"),
        ("email", "email"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("Primary Email", "email"),
        ("Email 2", "email"),
        ("Cell", "mobile_phone"),
        ("Mobile", "mobile_phone"),
        ("Cell Phone Number", "mobile_phone"),
        ("Phone", "phone"),
        ("phone_number", "phone"),
        ("Home Phone", "home_phone"),
        ("Work Phone", "work_phone"),
        ("Landline", "landline_phone"),
        ("Street", "street"),
        ("Address 1", "street"),
        ("address2", "street2"),
        ("Apt", "street2"),
        ("City", "city"),
        ("State", "state"),
        ("ZIP", "zip"),
        ("Postcode", "zip"),
        ("zip_code", "zip"),
        ("Language", "languages"),
        ("Race/Ethnicity", "race_ethnicity"),
        ("Ethnicity", "race_ethnicity"),
        ("Gender", "gender"),
        ("Pronouns", "pronouns"),
        ("Tags", "tags"),
        ("Notes", "notes"),
        ("External ID", "external_id"),
        ("Member ID", "external_id"),
        ("VANID", "external_id"),
        ("Role", "affiliate_role"),
        ("Member Since", "affiliate_since"),
        ("Status", "affiliate_status"),
        ("SMS opt-in", "sms_consent"),
        ("Nombre", "given_name"),
        ("Apellido", "family_name"),
        ("Teléfono", "phone"),
        ("Correo electrónico", "email"),
    ],
)
def test_common_column_names_are_proposed_whatever_their_case_and_punctuation(column, field):
    assert propose_mapping([column]) == {column: field}


def test_columns_that_fit_no_field_are_reported_as_unmapped():
    mapping = propose_mapping(["First Name", "Shoe size", "Email", "Favourite colour"])
    assert unmapped_columns(mapping) == ["Shoe size", "Favourite colour"]


def test_a_second_column_for_a_single_value_field_is_left_unmapped():
    mapping = propose_mapping(["First Name", "fname", "Email", "Email 2"])
    assert mapping == {
        "First Name": "given_name",
        "fname": None,
        "Email": "email",
        "Email 2": "email",
    }


def test_address_next_to_city_state_and_zip_is_the_street_line():
    assert propose_mapping(["Address", "City", "State", "Zip"])["Address"] == "street"
    assert propose_mapping(["Name", "Address"])["Address"] == "address"


def test_a_saved_mapping_round_trips_through_json():
    mapping = propose_mapping(["First Name", "Cell", "Shoe size"])
    assert load_mapping(dump_mapping(mapping)) == mapping
    assert json.loads(dump_mapping(mapping)) == mapping


def test_a_saved_mapping_is_reused_on_a_new_file_with_differently_written_columns():
    saved = {"First Name": "given_name", "Shoe size": "notes", "Gone": "email"}
    mapping = apply_saved_mapping(["first name", "SHOE SIZE", "Cell"], saved)
    assert mapping == {"first name": "given_name", "SHOE SIZE": "notes", "Cell": "mobile_phone"}


def test_a_saved_choice_wins_over_a_proposal_for_the_same_field():
    saved = {"Preferred": "given_name"}
    mapping = apply_saved_mapping(["Preferred", "First Name"], saved)
    assert mapping == {"Preferred": "given_name", "First Name": None}


def test_a_valid_edited_mapping_is_completed_for_every_column():
    checked = check_mapping(["First", "Last", "Shoe size"], {"First": "given_name"})
    assert checked == {"First": "given_name", "Last": None, "Shoe size": None}


def test_an_unknown_field_is_refused_with_a_suggestion():
    with pytest.raises(MappingRefused) as refused:
        check_mapping(["First", "Cell"], {"First": "given_name", "Cell": "mobile_phon"})
    assert refused.value.problems == [
        "Column 'Cell' is mapped to 'mobile_phon', which is not a powerbase field. Did you "
        "mean 'mobile_phone'? Choose a field from the list, or leave the column out."
    ]


def test_two_columns_for_one_single_value_field_are_refused():
    with pytest.raises(MappingRefused) as refused:
        check_mapping(["First", "Given name"], {"First": "given_name", "Given name": "given_name"})
    assert refused.value.problems == [
        "Columns 'First' and 'Given name' are both mapped to First name, which holds one "
        "value; leave all but one of them out."
    ]


def test_several_columns_may_feed_a_field_that_holds_many_values():
    header = ["Email", "Work email", "Cell", "Home phone"]
    mapping = {"Email": "email", "Work email": "email", "Cell": "phone", "Home phone": "phone"}
    assert check_mapping(header, mapping) == mapping
    assert FIELDS["email"].many and not FIELDS["given_name"].many


def test_a_column_the_file_does_not_have_is_refused():
    with pytest.raises(MappingRefused) as refused:
        check_mapping(["First"], {"First": "given_name", "Cell": "mobile_phone"})
    assert refused.value.problems == [
        "The mapping names column 'Cell', which this file does not have."
    ]


def test_a_mapping_that_says_nothing_about_who_is_refused():
    with pytest.raises(MappingRefused) as refused:
        check_mapping(["City", "Notes"], {"City": "city", "Notes": "notes"})
    assert "No column is mapped to a name, email, phone or external id" in refused.value.message


def test_every_problem_is_listed_at_once():
    with pytest.raises(MappingRefused) as refused:
        check_mapping(["A", "B"], {"A": "shoe", "B": "given_name", "C": "given_name"})
    assert len(refused.value.problems) == 2


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"First": 3}'])
def test_a_saved_mapping_that_is_not_a_mapping_is_refused(text):
    with pytest.raises(MappingRefused):
        load_mapping(text)


def test_a_mapping_of_the_wrong_shape_is_refused_by_the_check():
    with pytest.raises(MappingRefused):
        check_mapping(["First"], ["given_name"])

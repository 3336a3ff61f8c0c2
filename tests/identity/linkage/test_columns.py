"""Columns are found by their usual names, or named with --map, and missing ones are named."""

import pytest

from powerbase.identity.linkage.columns import (
    column_maps,
    parse_map_options,
    recognise_columns,
    with_shared_extras,
)
from powerbase.identity.linkage.errors import MissingColumn, UnknownColumn


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            ["id", "first_name", "last_name", "dob", "zip", "address", "phone", "email"],
            {
                "id": "id",
                "first_name": "first_name",
                "last_name": "last_name",
                "dob": "dob",
                "zip": "zip",
                "address": "address",
                "phone": "phone",
                "email": "email",
            },
        ),
        (
            [
                "Person ID",
                "Given Name",
                "Surname",
                "Date of Birth",
                "Postcode",
                "Street",
                "Cell",
                "Email Address",
            ],
            {
                "id": "Person ID",
                "first_name": "Given Name",
                "last_name": "Surname",
                "dob": "Date of Birth",
                "zip": "Postcode",
                "address": "Street",
                "phone": "Cell",
                "email": "Email Address",
            },
        ),
        (
            ["VOTER_ID", "FIRST", "FAMILY_NAME", "BIRTHDATE", "ZIP_CODE", "ADDRESS1", "MOBILE"],
            {
                "id": "VOTER_ID",
                "first_name": "FIRST",
                "last_name": "FAMILY_NAME",
                "dob": "BIRTHDATE",
                "zip": "ZIP_CODE",
                "address": "ADDRESS1",
                "phone": "MOBILE",
            },
        ),
        (
            ["member-id", "first-name", "last name", "birth_date", "postal code", "phone number"],
            {
                "id": "member-id",
                "first_name": "first-name",
                "last_name": "last name",
                "dob": "birth_date",
                "zip": "postal code",
                "phone": "phone number",
            },
        ),
    ],
)
def test_common_header_names_are_recognised(headers, expected):
    assert dict(recognise_columns(headers, source="list.csv").columns) == expected


def test_a_map_option_names_a_column_recognition_misses():
    headers = ["id", "First", "Last", "Born On", "Contact Number"]
    options = parse_map_options(["dob=Born On", "phone=contact number"])
    (columns,) = column_maps([("list.csv", headers)], shared=options.shared)
    assert columns.column("dob") == "Born On"
    assert columns.column("phone") == "Contact Number"


def test_a_map_option_with_no_column_leaves_a_field_out():
    options = parse_map_options(["email="])
    (columns,) = column_maps(
        [("list.csv", ["id", "first", "last", "email"])], shared=options.shared
    )
    assert columns.column("email") is None


def test_a_map_option_applies_to_the_file_that_has_the_column():
    options = parse_map_options(["phone=Cell Phone #"])
    members, voters = column_maps(
        [
            ("members.csv", ["id", "first", "last", "Cell Phone #", "phone"]),
            ("voters.csv", ["voter_id", "first", "last", "phone"]),
        ],
        shared=options.shared,
    )
    assert members.column("phone") == "Cell Phone #"
    assert voters.column("phone") == "phone"


def test_a_map_option_for_one_side_applies_to_that_side_only():
    options = parse_map_options(["right.dob=DOB_TEXT"])
    members, voters = column_maps(
        [
            ("members.csv", ["id", "first", "last", "dob"]),
            ("voters.csv", ["voter_id", "first", "last", "dob", "DOB_TEXT"]),
        ],
        shared=options.shared,
        own=[options.by_side["left"], options.by_side["right"]],
    )
    assert (members.column("dob"), voters.column("dob")) == ("dob", "DOB_TEXT")


def test_a_map_option_naming_a_column_no_file_has_is_refused():
    options = parse_map_options(["phone=Telefono"])
    with pytest.raises(
        UnknownColumn,
        match="Neither members.csv nor voters.csv has a column 'Telefono' to use for the phone",
    ):
        column_maps(
            [("members.csv", ["id", "first", "last"]), ("voters.csv", ["id", "first", "last"])],
            shared=options.shared,
        )


@pytest.mark.parametrize(
    "option, message",
    [
        ("phone", "is not of the form target=column"),
        ("telephone=Cell", "'telephone' is not a field the linker knows"),
        ("middle.phone=Cell", "'middle' is not a side here; use one of: left, right"),
    ],
)
def test_a_malformed_map_option_is_refused_with_the_reason(option, message):
    with pytest.raises(UnknownColumn, match=message):
        parse_map_options([option])


def test_a_missing_name_column_is_reported_with_the_file_and_what_was_looked_for():
    with pytest.raises(MissingColumn) as caught:
        recognise_columns(["id", "first_name", "Family"], source="members.csv")
    message = str(caught.value)
    assert message.startswith("members.csv has no column for the last name")
    assert "last_name, surname, family_name" in message
    assert "its columns are: id, first_name, Family" in message
    assert caught.value.field == "last_name"


def test_a_missing_id_column_is_reported():
    with pytest.raises(MissingColumn, match="members.csv has no column for the id"):
        recognise_columns(["first_name", "last_name"], source="members.csv")


def test_one_column_cannot_hold_two_fields():
    with pytest.raises(UnknownColumn, match="column 'name' would hold both"):
        recognise_columns(
            ["id", "name", "last"],
            source="a.csv",
            mapping={"first_name": "name", "last_name": "name"},
        )


FEBRL_HEADERS = [
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]


def test_the_febrl_benchmark_headers_are_all_put_to_use():
    (febrl,) = with_shared_extras(column_maps([("4a.csv", FEBRL_HEADERS)]), [FEBRL_HEADERS])
    assert dict(febrl.columns) == {
        "id": "rec_id",
        "first_name": "given_name",
        "last_name": "surname",
        "dob": "date_of_birth",
        "zip": "postcode",
        "address": "address_1",
        "house_number": "street_number",
        "city": "suburb",
        "personal_id": "soc_sec_id",
    }
    # What no field claims is still compared, as it is.
    assert dict(febrl.extras) == {"x_address_2": "address_2", "x_state": "state"}


def test_only_the_columns_both_files_share_are_compared_and_never_bookkeeping():
    left = ["id", "first_name", "last_name", "dob", "Shop Steward?", "Created At", "Local"]
    right = ["voter_id", "first_name", "last_name", "birth_year", "shop_steward", "created_at"]
    maps = with_shared_extras(column_maps([("left", left), ("right", right)]), [left, right])
    assert [dict(m.extras) for m in maps] == [
        {"x_shop_steward": "Shop Steward?"},
        {"x_shop_steward": "shop_steward"},
    ]
    assert maps[1].column("birth_year") == "birth_year"


def test_any_id_column_the_two_files_share_is_named_with_map():
    left, right = ["id", "first", "last", "Card No"], ["id", "first", "last", "card_number"]
    maps = column_maps(
        [("left", left), ("right", right)],
        own=[{"personal_id": "Card No"}, {"personal_id": "card_number"}],
    )
    assert [m.column("personal_id") for m in maps] == ["Card No", "card_number"]

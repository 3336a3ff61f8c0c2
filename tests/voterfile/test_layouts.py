"""Layouts are declarative files; a mistake in one is refused with the key that is wrong."""

import pytest

from powerbase.voterfile.layout import (
    LayoutError,
    available_layouts,
    load_layout,
    parse_layout,
    parse_mapping,
)

MINIMAL = """
name = "test"
title = "Test"
[voters.file]
delimiter = ","
[voters.fields]
voter_id = "id"
"""


def test_every_shipped_layout_documents_its_public_source():
    layouts = {layout.name: layout for layout in available_layouts()}
    assert set(layouts) == {"nc", "ct", "oh", "fl", "generic"}
    for layout in layouts.values():
        assert layout.source["publisher"], layout.name
        assert layout.source["files"], layout.name
    for state in ("nc", "ct", "oh", "fl"):
        assert layouts[state].source["page"].startswith("https://"), state


def test_connecticut_reads_43_registration_columns_and_20_history_groups_of_3():
    ct = load_layout("ct")
    assert len(ct.voters.file.columns) + len(ct.history.group_column_names()) == 103


def test_an_unknown_layout_name_lists_the_layouts_there_are():
    with pytest.raises(LayoutError, match="no layout called 'tx'.*ct, fl, generic, nc, oh"):
        load_layout("tx")


def test_a_field_powerbase_does_not_know_is_refused_naming_the_key():
    with pytest.raises(LayoutError, match="'voters.fields.shoe_size' is not a voter field"):
        parse_layout(MINIMAL + 'shoe_size = "SHOE"\n')


def test_a_date_without_a_format_is_refused():
    with pytest.raises(LayoutError, match="birth_date' is a date and needs a format"):
        parse_layout(MINIMAL + 'birth_date = { column = "DOB", type = "date" }\n')


def test_a_code_table_that_does_not_exist_is_refused():
    with pytest.raises(LayoutError, match=r"uses code table 'parties'.*no \[codes.parties\]"):
        parse_layout(MINIMAL + 'party = { column = "P", codes = "parties" }\n')


def test_an_election_kind_outside_the_shared_four_is_refused():
    text = (
        MINIMAL
        + """
[history]
layout = "rows"
[history.fields]
voter_id = "id"
date = { column = "d", format = "%Y-%m-%d" }
kind = { column = "k", codes = "kinds" }
[codes.kinds]
G = "general"
X = "caucus"
"""
    )
    with pytest.raises(LayoutError, match=r"election kind values \['caucus'\]"):
        parse_layout(text)


def test_a_precinct_within_a_district_the_layout_does_not_read_is_refused():
    text = MINIMAL + '[voters.districts]\nprecinct = { column = "P", within = "county" }\n'
    with pytest.raises(LayoutError, match="within 'county', which the layout does not read"):
        parse_layout(text)


def test_a_mapping_reads_field_equals_column_lines():
    assert parse_mapping(["voter_id = Reg Number", "", "state_house=HD"]) == {
        "voter_id": "Reg Number",
        "state_house": "HD",
    }


def test_a_mapping_line_naming_no_field_is_refused_with_its_line_number():
    with pytest.raises(LayoutError, match="Mapping line 2 names 'shoe'"):
        parse_mapping(["voter_id=ID", "shoe=SIZE"])
    with pytest.raises(LayoutError, match="Mapping line 1, 'voter_id', is not field=COLUMN"):
        parse_mapping(["voter_id"])


def test_every_district_kind_a_layout_can_read_is_a_district_kind_with_a_label():
    from powerbase.voterfile.layout import DISTRICT_KINDS
    from powerbase.voterfile.models import District
    from powerbase.voterfile.views import PLURALS

    assert set(DISTRICT_KINDS) == set(District.Kind.values) == set(PLURALS)
    for kind in ("county_commission", "school_board", "township", "judicial", "superior_court"):
        assert kind in DISTRICT_KINDS


def test_nc_declares_the_older_names_of_its_renamed_columns():
    fields = load_layout("nc").voters.fields
    assert fields["middle_name"].alternatives == (("midl_name",),)
    assert fields["suffix"].alternatives == (("name_sufx_cd",),)
    assert fields["confidential"].optional


def test_an_alternative_must_be_a_column_name_or_a_list_of_them():
    layout = parse_layout(
        MINIMAL.replace(
            'voter_id = "id"',
            'voter_id = "id"\n'
            'middle_name = { column = "mid", '
            'alternatives = ["midl", ["m1", "m2"]] }',
        )
    )
    assert layout.voters.fields["middle_name"].alternatives == (("midl",), ("m1", "m2"))


def test_a_malformed_alternative_is_refused_naming_the_field():
    with pytest.raises(LayoutError, match="'voters.fields.middle_name' alternatives should"):
        parse_layout(
            MINIMAL.replace(
                'voter_id = "id"',
                'voter_id = "id"\nmiddle_name = { column = "mid", alternatives = [3] }',
            )
        )

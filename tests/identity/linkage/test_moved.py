"""Members who moved, married or are known to the voter file by their birth year alone.

North Carolina publishes a voter's birth year, not the date; members move and change their
last name between the list and the file. Each still reaches the review queue (or is linked),
with the evidence shown.
"""

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from powerbase.identity.linkage import DEFAULT_THRESHOLDS, Band, band, link
from powerbase.identity.linkage.explain import explain
from powerbase.identity.linkage.model import Agreement
from powerbase.identity.linkage.synthetic import LOCAL_MOVES, build_synthetic_lists
from tests.identity.linkage.conftest import (
    MEMBER_COLUMNS,
    QUICK,
    VOTER_COLUMNS,
    with_rows,
)

MOVED_VOTERS = [
    # Delphine, whose voter record has only her birth year, has moved across town since.
    ("NC900005", "DELPHINE", "WAXHAVEN", "1969-03-02", "6 TANNERY RIDGE", "06010", None, None),
    # Harriet married and moved; her cell phone is what stayed the same.
    (
        "NC900006",
        "HARRIET",
        "BRIMBLECOMBE",
        "1975-08-19",
        "22 OSIER WAY",
        "06011",
        "2035550163",
        None,
    ),
    # Ottilie's address is spelled out in the voter file; her union standardised it.
    ("NC900007", "OTTILIE", "FARNSWORTH", "1990-11-27", "41 ASHGROVE RIDGE", "06012", None, None),
]
MOVED_MEMBERS = [
    ("C-5", "Delphine", "Waxhaven", "3/2/1969", "1200 Larkspur Drive", "06030", None, None),
    ("C-6", "Harriet", "Okafor", "8/19/1975", "310 Pine Street", "06031", "(203) 555-0163", None),
    ("C-7", "Ottilie", "Farnsworth", None, "41 ASHGROVE RDG", "06012", None, None),
]


def member(member_id: str) -> dict:
    return next(
        dict(zip(MEMBER_COLUMNS, row, strict=True)) for row in MOVED_MEMBERS if row[0] == member_id
    )


def voter(voter_id: str, *, year_only: bool = False) -> dict:
    record = next(
        dict(zip(VOTER_COLUMNS, row, strict=True)) for row in MOVED_VOTERS if row[0] == voter_id
    )
    if year_only:
        record["birth_year"] = record["birth_date"][:4]
        record["birth_date"] = None
    return record


def year_only(voters: pa.Table) -> pa.Table:
    """The voter file as North Carolina publishes it: an empty birth date, a birth year."""
    years = pc.utf8_slice_codeunits(voters["birth_date"], 0, 4)
    blank = pa.nulls(voters.num_rows, pa.string())
    return voters.set_column(
        voters.schema.get_field_index("birth_date"), "birth_date", blank
    ).append_column("birth_year", years)


@pytest.fixture(scope="module")
def members(town_members) -> pa.Table:
    return with_rows(town_members, MEMBER_COLUMNS, MOVED_MEMBERS)


@pytest.fixture(scope="module")
def voters(town_voters) -> pa.Table:
    return with_rows(town_voters, VOTER_COLUMNS, MOVED_VOTERS)


@pytest.fixture(scope="module")
def full_dates(members, voters):
    return link(members, voters, settings=QUICK, threshold=0.01)


@pytest.fixture(scope="module")
def years_only(members, voters):
    return link(members, year_only(voters), settings=QUICK, threshold=0.01)


def probability(result, member_id: str, voter_id: str) -> float:
    return next(
        (
            row["match_probability"]
            for row in result.pairs.to_pylist()
            if (row["left_id"], row["right_id"]) == (member_id, voter_id)
        ),
        0.0,
    )


def test_a_member_who_moved_is_matched_on_the_birth_year_the_voter_file_publishes(years_only):
    assert probability(years_only, "C-5", "NC900005") >= DEFAULT_THRESHOLDS.review
    explanation = explain(years_only.model, member("C-5"), voter("NC900005", year_only=True))
    fields = {field.comparison: field for field in explanation.fields}
    assert (fields["birth_year"].level, fields["birth_year"].agreement) == (
        "same year",
        Agreement.AGREES,
    )
    assert fields["birth_year"].weight > 0
    assert fields["residence"].agreement is Agreement.DIFFERS


def test_a_voter_file_of_birth_years_links_the_town_as_well_as_one_of_dates(town, years_only):
    actual = {
        (row["member_id"], row["voter_id"]) for row in town.truth.to_pylist() if row["voter_id"]
    }
    offered = {
        (row["left_id"], row["right_id"])
        for row in years_only.pairs.to_pylist()
        if row["match_probability"] >= DEFAULT_THRESHOLDS.review
    }
    true_positives = len(offered & actual)
    assert true_positives / len(actual) >= 0.95
    assert true_positives / len(offered) >= 0.98


def test_a_birth_year_column_on_the_members_side_meets_full_dates_in_the_voter_file(
    members, voters
):
    years = pc.utf8_slice_codeunits(pc.utf8_slice_codeunits(members["Date of Birth"], -4), 0)
    with_years = members.drop_columns(["Date of Birth"]).append_column("Year of Birth", years)
    result = link(with_years, voters, settings=QUICK, threshold=0.01)
    assert probability(result, "C-5", "NC900005") >= DEFAULT_THRESHOLDS.review


def test_a_member_who_married_and_moved_is_found_by_her_phone_with_the_evidence_shown(years_only):
    # Nothing but her first name, her birth year and her phone is left in common.
    assert probability(years_only, "C-6", "NC900006") >= DEFAULT_THRESHOLDS.review
    explanation = explain(years_only.model, member("C-6"), voter("NC900006", year_only=True))
    fields = {field.comparison: field for field in explanation.fields}
    assert fields["phone"].agreement is Agreement.AGREES
    assert fields["first_name"].agreement is Agreement.AGREES
    assert fields["birth_year"].agreement is Agreement.AGREES
    assert fields["last_name"].agreement is Agreement.DIFFERS
    assert fields["residence"].agreement is Agreement.DIFFERS


def test_an_address_standardised_on_one_side_only_still_counts_as_the_same(full_dates):
    assert band(probability(full_dates, "C-7", "NC900007")) is Band.AUTO_ACCEPT
    explanation = explain(full_dates.model, member("C-7"), voter("NC900007"))
    fields = {field.comparison: field for field in explanation.fields}
    assert fields["residence"].level == "same address"


@pytest.fixture(scope="module")
def cities():
    """A county of two cities whose members give their city and mostly move within it."""
    return build_synthetic_lists(voters=50_000, members=1500, seed=23, rates=LOCAL_MOVES)


def test_a_city_on_both_sides_does_not_bar_a_move_to_another_city(cities):
    # A zip implies its city: trained on pairs of one zip (as a year-only file is), the
    # city once learned that true pairs never differ there, and every member who had moved
    # to another city fell out, with the evidence of name and birth year unheard.
    result = link(cities.members, year_only(cities.voters), settings=QUICK, threshold=0.01)
    city_of = dict(
        zip(
            cities.voters["voter_id"].to_pylist(),
            cities.voters["res_city"].to_pylist(),
            strict=True,
        )
    )
    moved_away = {
        (row["member_id"], row["voter_id"])
        for row, member_row in zip(
            cities.truth.to_pylist(), cities.members.to_pylist(), strict=True
        )
        if row["voter_id"]
        and member_row["City"]
        and member_row["City"].upper() != city_of[row["voter_id"]]
    }
    offered = {
        (row["left_id"], row["right_id"])
        for row in result.pairs.to_pylist()
        if row["match_probability"] >= DEFAULT_THRESHOLDS.review
    }
    assert len(moved_away) >= 20
    assert len(offered & moved_away) / len(moved_away) >= 0.8
    different = result.model.weights()["city"][-1]
    assert different["label"].startswith("different")
    assert different["weight"] > -5

"""Fixtures for the linkage engine: a small fictional town, and people crafted to test it.

The town (a few thousand voters, a few hundred members, generated with errors) gives the
model enough data to train on; the crafted people are the cases each test is about. Every
name, birth date, address, phone and email here is invented.
"""

from pathlib import Path

import pyarrow as pa
import pytest

from powerbase.identity.linkage import LinkageSettings, link
from powerbase.identity.linkage.synthetic import build_synthetic_lists

FIXTURES = Path(__file__).parent / "fixtures"
# Smaller training samples than the defaults, to keep the tests quick.
QUICK = LinkageSettings(u_sample_pairs=3e5, em_max_pairs=2e5)

VOTER_COLUMNS = (
    "voter_id",
    "first_name",
    "last_name",
    "birth_date",
    "res_street_address",
    "zip_code",
    "phone",
    "email",
)
MEMBER_COLUMNS = (
    "Member ID",
    "First Name",
    "Last Name",
    "Date of Birth",
    "Street Address",
    "Zip Code",
    "Mobile",
    "Email",
)

CRAFTED_VOTERS = [
    # William, known to his union as Bill, who has since moved.
    ("NC900001", "WILLIAM", "QUILLFEATHER", "1971-05-14", "12 ORCHARD ST", "06010", None, None),
    # Rosalind, born on 7 April; her tenant union wrote 4 July.
    (
        "NC900002",
        "ROSALIND",
        "THISTLEWOOD",
        "1983-04-07",
        "48 BEACON AVE APT 2",
        "06010",
        None,
        None,
    ),
    # Eleanor shares the landline and the family email with her husband Theodore, who is
    # a member but not registered to vote.
    (
        "NC900003",
        "ELEANOR",
        "MARCHBANKS",
        "1958-02-11",
        "77 JUNIPER LN",
        "06011",
        "2035550147",
        "marchbanks.home@example.org",
    ),
    # Marguerite, registered under her maiden name, a member under her married one.
    ("NC900004", "MARGUERITE", "ASHCOMBE", "1979-09-23", "5 LINDEN CT", "06012", None, None),
]
CRAFTED_MEMBERS = [
    ("C-1", "Bill", "Quillfeather", "5/14/1971", "940 Meadow Lane", "06020", None, None),
    ("C-2", "Rosalind", "Thistlewood", "7/4/1983", "48 Beacon Avenue, Apt 2", "06010", None, None),
    (
        "C-3",
        "Theodore",
        "Marchbanks",
        None,
        "77 Juniper Lane",
        "6011",
        "(203) 555-0147",
        "Marchbanks.Home@example.org",
    ),
    ("C-4", "Marguerite", "Pellington", "9/23/1979", "5 Linden Court", "06012", None, None),
]


def crafted_voter(voter_id: str) -> dict:
    return next(
        dict(zip(VOTER_COLUMNS, row, strict=True)) for row in CRAFTED_VOTERS if row[0] == voter_id
    )


def crafted_member(member_id: str) -> dict:
    return next(
        dict(zip(MEMBER_COLUMNS, row, strict=True))
        for row in CRAFTED_MEMBERS
        if row[0] == member_id
    )


def with_rows(table: pa.Table, columns: tuple[str, ...], rows: list[tuple]) -> pa.Table:
    extra = pa.table(
        {name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(columns)}
    )
    return pa.concat_tables([table.select(list(columns)), extra])


@pytest.fixture(scope="session")
def town():
    """A fictional town: about 6,000 voters and 600 members, with the truth."""
    return build_synthetic_lists(voters=6000, members=600, seed=21)


@pytest.fixture(scope="session")
def town_members(town) -> pa.Table:
    return with_rows(town.members, MEMBER_COLUMNS, CRAFTED_MEMBERS)


@pytest.fixture(scope="session")
def town_voters(town) -> pa.Table:
    return with_rows(town.voters, VOTER_COLUMNS, CRAFTED_VOTERS)


@pytest.fixture(scope="session")
def town_links(town_members, town_voters):
    """The town's members linked to its voters, keeping pairs down to a 1% probability."""
    return link(town_members, town_voters, settings=QUICK, threshold=0.01)


@pytest.fixture
def fixture_csvs() -> tuple[Path, Path]:
    return FIXTURES / "members.csv", FIXTURES / "voters.csv"

"""Ballots cannot be lined up with voters, during the vote and after, on SQLite and PostgreSQL.

An operator with a copy of the database knows who voted and in which order (participation
rows are numbered as they are written). Each test casts 40 ballots in a known order, then
numbers the ballots by every order the database keeps (SQLite's rowid, PostgreSQL's ctid and
xmin, the primary key, every column) and joins the two numberings, as an attacker would.
Matching at chance is about one voter in 40; we fail above six (a random shuffle gives six or
more in fewer than 6 cases in 10,000) or when the orders are correlated.
"""

import statistics

import pytest
from django.db import connection

from powerbase.democracy import services
from powerbase.democracy.models import CastBallot, Electorate, Participation
from tests.conftest import add_member
from tests.democracy.conftest import voter_codes

VOTERS = 40
MOST_MATCHES_AT_CHANCE = 6
# Spearman's rho of two independent orders of 40 has a standard deviation of about 0.16.
MOST_CORRELATION_AT_CHANCE = 0.6
COLUMN_ORDERS = ["id", "sort_key", "receipt", "marks", "weight", "channel"]


@pytest.fixture
def forty_voters(manager, nutmeg, tenant_union):
    for number in range(VOTERS):
        add_member(nutmeg, tenant_union, f"Voter{number:02d}", "Tester")
    electorate = services.create_electorate(
        actor=manager, name="Forty", kind=Electorate.Kind.MEMBERS
    )
    vote = services.create_vote(
        actor=manager, title="Forty voters", method="irv", electorate=electorate
    )
    for name in ["Homes for All", "Fair Share", "Our Towns"]:
        services.add_candidate(actor=manager, vote=vote, name=name)
    return vote


def cast_in_a_known_order(manager, vote) -> list[str]:
    """Cast one ballot per voter; return the receipts in the order of the participation ids."""
    codes = voter_codes(manager, vote)
    receipt_of = {}
    for name in sorted(codes):
        receipt = services.cast_ballot(code=codes[name], marks=[["Fair Share"]]).code
        receipt_of[Participation.objects.order_by("-id").values_list("id", flat=True)[0]] = (
            receipt.replace("-", "")
        )
    return [receipt_of[key] for key in sorted(receipt_of)]


def hidden_orders() -> list[str]:
    """Return the orders the database keeps without a column saying so."""
    if connection.vendor == "sqlite":
        return ["rowid"]
    return ["ctid", "xmin::text::bigint"]


def ballots_ordered_by(vote, order: str) -> list[str]:
    table = CastBallot._meta.db_table
    with connection.cursor() as cursor:
        # The order is one of ours, never user input.
        cursor.execute(
            f"SELECT receipt FROM {table} WHERE vote_id = %s ORDER BY {order}",  # noqa: S608
            [vote.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def matches(as_cast: list[str], as_stored: list[str]) -> int:
    return sum(1 for cast, stored in zip(as_cast, as_stored, strict=True) if cast == stored)


def correlation(as_cast: list[str], as_stored: list[str]) -> float:
    position = {receipt: index for index, receipt in enumerate(as_stored)}
    return statistics.correlation(
        range(len(as_cast)), [position[r] for r in as_cast], method="ranked"
    )


def assert_chance_level(vote, as_cast: list[str]) -> None:
    for order in hidden_orders() + COLUMN_ORDERS:
        as_stored = ballots_ordered_by(vote, order)
        assert matches(as_cast, as_stored) <= MOST_MATCHES_AT_CHANCE, (
            f"Ordering ballots by {order} lines {matches(as_cast, as_stored)} of {VOTERS} up "
            "with their voters."
        )
        assert abs(correlation(as_cast, as_stored)) <= MOST_CORRELATION_AT_CHANCE, (
            f"Ordering ballots by {order} follows the order of voting."
        )
    if connection.vendor == "postgresql":
        # Every ballot was last written by one transaction: xmin tells no ballot from another.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(DISTINCT xmin::text) FROM "  # noqa: S608
                f"{CastBallot._meta.db_table} WHERE vote_id = %s",
                [vote.pk],
            )
            assert cursor.fetchone()[0] == 1


def test_while_the_vote_is_open_no_order_in_the_database_follows_the_voters(manager, forty_voters):
    as_cast = cast_in_a_known_order(manager, forty_voters)
    assert_chance_level(forty_voters, as_cast)


def test_after_the_count_no_order_in_the_database_follows_the_voters(manager, forty_voters):
    as_cast = cast_in_a_known_order(manager, forty_voters)
    services.close_vote(actor=manager, vote=forty_voters)
    services.count_vote(actor=manager, vote=forty_voters)
    assert_chance_level(forty_voters, as_cast)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite setting")
def test_on_sqlite_the_rewrite_zeroes_the_pages_it_frees(manager, election):
    services.cast_ballot(code=voter_codes(manager, election)["ana"], marks=[["Fair Share"]])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1

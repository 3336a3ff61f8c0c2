"""The base per district is kept between page loads, and never outlives a change to the base.

`identity.base.placements` places the whole base in districts with DuckDB; the whip board, an
official's page, each saved stance and the power map read it, so it is cached under a
fingerprint of what it reads. These tests change the base in each way a page would show and
expect the new count at once.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerbase.identity.models import VoterLink
from powerbase.legislature.queries import base_by_district
from powerbase.people.models import Person
from tests.conftest import add_member
from tests.power.conftest import linked_base, voter_file  # noqa: F401 - fixtures


def house(nutmeg):
    return base_by_district(nutmeg, "state_house")


def test_the_second_read_does_not_place_the_base_again(nutmeg, linked_base):  # noqa: F811
    first = house(nutmeg)
    with CaptureQueriesContext(connection) as again:
        second = house(nutmeg)
    assert second == first
    # Only the fingerprint's counts ran: no voter link was read to place anyone.
    assert not any('"voter_id"' in q["sql"] for q in again.captured_queries)


def test_a_new_voter_link_counts_at_once(nutmeg, tenant_union, linked_base):  # noqa: F811
    before = house(nutmeg)["1"].matched
    newcomer = add_member(nutmeg, tenant_union, "Given03", "Family03")
    VoterLink.objects.create(organization=nutmeg, person=newcomer, voter_id="V03")
    assert house(nutmeg)["1"].matched == before + 1


def test_a_person_leaving_the_base_stops_counting_at_once(nutmeg, linked_base):  # noqa: F811
    before = house(nutmeg)["1"].matched
    Person.objects.filter(pk=linked_base["01"].pk).update(status=Person.Status.DECEASED)
    assert house(nutmeg)["1"].matched == before - 1


def test_each_part_of_the_fingerprint_reads_an_index_only(nutmeg, linked_base):  # noqa: F811
    """The fingerprint runs on every page that shows the base's figures: each of its five
    aggregates is answered from its `*_stamp` index, without reading the table's rows."""
    from powerbase.identity.base import fingerprint_sources

    for label, rows in fingerprint_sources(nutmeg):
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Tiny test tables: the planner would rather read the table, so ask for the index.
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("SET enable_bitmapscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                found = cursor.fetchall()
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_bitmapscan")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                found = cursor.fetchall()
            plan = " ".join(str(part) for row in found for part in row)
        assert "_stamp" in plan, (label, plan)
        assert "COVERING INDEX" in plan or "Index Only Scan" in plan, (label, plan)

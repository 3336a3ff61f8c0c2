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
    aggregates has a `*_stamp` index holding every column it reads, and SQLite answers it from
    that index alone. (PostgreSQL's planner reads these few-row, never-vacuumed test tables
    whole; docs/performance.md has its plans on the full demo.)"""
    from powerbase.identity.base import fingerprint_sources

    for label, rows in fingerprint_sources(nutmeg):
        table = rows.model._meta.db_table
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, table)
        stamps = [found for name, found in indexes.items() if name.endswith("_stamp")]
        assert len(stamps) == 1, (label, table)
        sql, params = rows.query.sql_with_params()
        used = {column for column in stamps[0]["columns"] if f'"{column}"' in sql}
        assert used == set(stamps[0]["columns"]), (label, stamps[0]["columns"])
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
            assert "USING COVERING INDEX" in plan and "_stamp" in plan, (label, plan)

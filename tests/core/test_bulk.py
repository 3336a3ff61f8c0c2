"""The bulk helpers imports stand on: `__among` finds exactly what `__in` finds."""

from datetime import date

from django.db import connection

from powerbase.core.bulk import in_chunks
from powerbase.people.models import EmailAddress, Person
from tests.conftest import add_member


def test_among_finds_what_in_finds_for_text_dates_and_ids(nutmeg, tenant_union):
    ana = add_member(nutmeg, tenant_union, "Ana", "Diaz", email="ana@example.org")
    bo = add_member(nutmeg, tenant_union, "Bo", "Lee", email="bo@example.org")
    Person.objects.filter(pk=ana.pk).update(birth_date=date(1980, 2, 29))
    wanted = ["ana@example.org", "nobody@example.org", "bo@example.org"]
    assert set(
        EmailAddress.objects.filter(address__among=wanted).values_list("person_id", flat=True)
    ) == {ana.pk, bo.pk}
    assert list(Person.objects.filter(birth_date__among=[date(1980, 2, 29)])) == [ana]
    assert list(Person.objects.filter(pk__among=[bo.pk, 0])) == [bo]
    assert not Person.objects.filter(pk__among=[]).exists()


def test_among_sends_one_parameter_on_postgresql(nutmeg):
    sql, params = Person.objects.filter(pk__among=list(range(1, 30_001))).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql and len(params[-1]) == 30_000
    else:
        assert " IN (" in sql


def test_chunks_fit_the_database_parameter_limit(db):
    sizes = [len(chunk) for chunk in in_chunks(list(range(120_000)))]
    assert sum(sizes) == 120_000
    assert max(sizes) <= (50_000 if connection.vendor == "postgresql" else 900)


def test_a_second_refresh_of_districts_updates_the_rows_in_place(nutmeg):
    """`upsert_rows` through the voter file's district refresh: new districts are added,
    known ones keep their row (officials and universes point at it) and take the new counts."""
    from powerbase.voterfile.build import DistrictCount
    from powerbase.voterfile.models import District, VoterFileVersion
    from powerbase.voterfile.services import refresh_districts

    first = VoterFileVersion.objects.create(
        organization=nutmeg, number=1, file_name="1.duckdb", layout="nc"
    )
    refresh_districts(
        version=first,
        counts=[
            DistrictCount(kind="ward", code="32/07", name="WARD 7", voters=10, active_voters=8)
        ],
    )
    ward = District.objects.get(organization=nutmeg, kind="ward", code="32/07")
    second = VoterFileVersion.objects.create(
        organization=nutmeg, number=2, file_name="2.duckdb", layout="nc"
    )
    refresh_districts(
        version=second,
        counts=[
            DistrictCount(kind="ward", code="32/07", name="Ward 7", voters=12, active_voters=9),
            DistrictCount(kind="precinct", code="32/01-07", name="", voters=5, active_voters=5),
        ],
    )
    ward.refresh_from_db()
    assert (ward.name, ward.voter_count, ward.active_voter_count, ward.version) == (
        "Ward 7",
        12,
        9,
        second,
    )
    assert District.objects.filter(organization=nutmeg).count() == 2

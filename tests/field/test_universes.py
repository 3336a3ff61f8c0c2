"""Universes: a saved filter over the voter file joined with the base, counted in DuckDB."""

import pytest

from powerbase.actions.models import LadderLevel, LadderStanding
from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.field import services
from powerbase.field.universes import UniverseFilter
from powerbase.people.models import PersonTag, Tag


def count(organization, **filters) -> dict:
    return services.count_universe(organization, UniverseFilter.from_dict(filters))


def test_every_active_voter_with_an_address_is_in_the_empty_filter(nutmeg, voter_file):
    counts = count(nutmeg)
    # 51 registrations, three of them inactive (every 17th).
    assert counts["voters"] == 48
    assert count(nutmeg, include_inactive=True)["voters"] == 51
    # 38 addresses; at two of them the only voter is inactive.
    assert counts["doors"] == 36
    assert count(nutmeg, include_inactive=True)["doors"] == 38


def test_the_filter_narrows_by_district_party_primaries_and_age(nutmeg, voter_file):
    district = count(nutmeg, district_kind="state_house", districts=["10"])
    assert district["voters"] < count(nutmeg)["voters"]
    democrats = count(nutmeg, district_kind="state_house", districts=["10"], parties=["dem"])
    assert 0 < democrats["voters"] < district["voters"]
    voted_twice = count(nutmeg, min_primaries=2)
    voted_once = count(nutmeg, min_primaries=1)
    assert 0 < voted_twice["voters"] < voted_once["voters"] < count(nutmeg)["voters"]
    assert count(nutmeg, min_age=18, max_age=200 // 2)["voters"] == 48
    assert count(nutmeg, max_age=20)["voters"] == 0  # everyone was born 1950-1999


def test_members_of_the_base_are_found_through_their_voter_link(nutmeg, maria_registered):
    assert count(nutmeg, membership="members") == {"voters": 1, "doors": 1, "members": 1}
    assert count(nutmeg, membership="others")["voters"] == 47


def test_ladder_level_and_tags_filter_members(nutmeg, maria_registered):
    leader = LadderLevel.objects.create(organization=nutmeg, name="Leader", rank=2)
    active = LadderLevel.objects.create(organization=nutmeg, name="Active", rank=1)
    LadderStanding.objects.create(organization=nutmeg, person=maria_registered, level=leader)
    captain = Tag.objects.create(organization=nutmeg, name="Building captain")
    PersonTag.objects.create(
        organization=nutmeg, person=maria_registered, tag=captain, source=maria_registered.source
    )
    assert count(nutmeg, ladder_levels=[leader.pk])["voters"] == 1
    assert count(nutmeg, ladder_levels=[active.pk])["voters"] == 0
    assert count(nutmeg, tags=[captain.pk])["voters"] == 1


def test_saving_a_universe_keeps_its_counts_and_is_audited(district_10):
    assert district_10.voter_count > 0 and district_10.door_count > 0
    assert district_10.survey[0] == {
        "key": "q1",
        "question": "Top issue?",
        "choices": ["Rent", "Wages", "Schools"],
    }
    assert AuditEntry.objects.filter(
        action="universe.created", object_id=str(district_10.pk)
    ).exists()


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"district_kind": "galaxy"}, "district_kind"),
        ({"districts": ["10"]}, "districts"),
        ({"min_primaries": "lots"}, "min_primaries"),
        ({"min_primaries": 5, "last_primaries": 4}, "min_primaries"),
        ({"min_age": 60, "max_age": 30}, "min_age"),
        ({"membership": "maybe"}, "membership"),
    ],
)
def test_a_bad_filter_is_refused_naming_the_field(director, voter_file, filters, field):
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        services.save_universe(actor=director, name="Bad", filters=filters)


def test_a_universe_needs_a_voter_file(director):
    with pytest.raises(InvalidInput, match="no voter file"):
        services.save_universe(actor=director, name="Too early", filters={})


def test_two_universes_cannot_share_a_name(director, district_10):
    with pytest.raises(InvalidInput, match="already exists"):
        services.save_universe(actor=director, name="HD 10 doors", filters={})


def test_a_viewer_cannot_build_a_universe(users_by_role, nutmeg, voter_file):
    from powerbase.core.access import actor_for
    from powerbase.core.models import Role

    viewer = actor_for(users_by_role[Role.VIEWER], nutmeg.slug)
    with pytest.raises(PermissionDenied):
        services.save_universe(actor=viewer, name="Nope", filters={})


def test_counts_run_at_once_in_several_threads(voter_file):
    """A threaded web server opens the same voter file from several threads at once."""
    import threading

    import pyarrow as pa

    from powerbase.field import universes
    from powerbase.voterfile import store

    base = pa.table(
        {"voter_id": ["F00001"], "person_id": [1], "level_id": [None], "tag_ids": [[2]]},
        schema=universes.BASE_SCHEMA,
    )
    errors, found = [], []

    def work():
        try:
            with store.reading(voter_file) as con:
                for _ in range(10):
                    found.append(universes.counts(con, UniverseFilter(tags=(2,)), base))
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert found == [{"voters": 1, "doors": 1, "members": 1}] * 40

"""The power map read from the voter file's Parquet copy (POWERBASE_VOTERFILE_PARQUET), as an
app machine that never imported the voter file reads it: the same figures as from the DuckDB
file."""

import shutil

import pytest
from django.core.cache import cache

from powerbase.identity import base as base_rules
from powerbase.power import map as map_engine
from powerbase.power import queries
from powerbase.voterfile import store
from powerbase.voterfile.models import District, VoterFileVersion
from tests.conftest import act


@pytest.fixture
def viewer_actor(viewer, nutmeg):
    return act(viewer, nutmeg)


def figures(actor, nutmeg) -> dict:
    """What the map and a district page show, every figure the voter file gives them."""
    power = queries.power_map(actor, kind="state_house", sort="district")
    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    page = queries.district_page(actor, district.pk)
    return {
        "party": power.assumptions.party,
        "primaries": power.primaries,
        "rows": [vars(row) for row in power.rows],
        "sizes": (power.base_size, power.base_matched, power.placed),
        "district_voters": page.voters,
        "district_people": page.people_count,
    }


def as_a_new_machine(nutmeg) -> None:
    """Forget everything computed from the DuckDB file: the power map's kept district facts
    (in the process and on disk), the cached figures and the open connections."""
    map_engine._FACTS_CACHE.clear()
    shutil.rmtree(queries.facts_folder(nutmeg), ignore_errors=True)
    cache.clear()
    base_rules.forget_kept()


def test_the_map_reads_the_same_figures_from_the_parquet_copy(
    viewer_actor, nutmeg, linked_base, tmp_path, settings
):
    from_duckdb = figures(viewer_actor, nutmeg)
    assert from_duckdb["rows"][0]["win_number"] == 2  # the map has figures to compare

    version = VoterFileVersion.objects.get()
    shared = tmp_path / "shared-parquet"
    store.publish(version, str(shared))
    settings.VOTERFILE_PARQUET = str(shared)
    store.remove(store.path_of(version))  # this machine never had the DuckDB file
    as_a_new_machine(nutmeg)

    assert figures(viewer_actor, nutmeg) == from_duckdb


def test_district_figures_read_from_parquet_are_kept_like_those_of_a_file(
    viewer_actor, nutmeg, linked_base, tmp_path, settings, monkeypatch
):
    version = VoterFileVersion.objects.get()
    shared = tmp_path / "shared-parquet"
    store.publish(version, str(shared))
    settings.VOTERFILE_PARQUET = str(shared)
    store.remove(store.path_of(version))
    as_a_new_machine(nutmeg)
    district = District.objects.get(organization=nutmeg, kind="state_house", code="1")
    reads = []
    compositions = map_engine.voter_compositions
    monkeypatch.setattr(
        map_engine, "voter_compositions", lambda *a, **k: reads.append(1) or compositions(*a, **k)
    )
    first = queries.district_page(viewer_actor, district.pk).voters
    again = queries.district_page(viewer_actor, district.pk).voters
    assert first == again == {"race": {"B": 5, "W": 4}, "sex": first["sex"]}
    other = District.objects.get(organization=nutmeg, kind="state_house", code="2")
    queries.district_page(viewer_actor, other.pk)
    # The second page, and the first of another district of the kind, read the kept figures,
    # not the Parquet files.
    assert len(reads) == 1

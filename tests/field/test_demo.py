"""The demo's field program: a universe cut into turfs, with some canvass results."""

from powerbase.field.models import Attempt, Turf, Universe
from tests.test_demo import load


def test_the_demo_cuts_a_universe_into_turfs_and_canvasses_some(db, monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")
    job = load()
    assert job.status == "succeeded", job.error
    universe = Universe.objects.get(name__startswith="Primary doors, HD")
    assert "(fictional)" in universe.name and universe.voter_count > 0
    turfs = Turf.objects.filter(universe=universe)
    assert turfs.exists()
    attempts = Attempt.objects.filter(turf__universe=universe)
    assert attempts.exists() and attempts.filter(result="talked").exists()
    counted = attempts.count()
    load()
    assert Universe.objects.filter(name__startswith="Primary doors, HD").count() == 1
    assert Attempt.objects.filter(turf__universe=universe).count() == counted


def test_the_demo_picks_the_district_where_most_members_are_registered(
    nutmeg, voter_file, maria_registered
):
    from powerbase.demo.field import _strongest_district

    assert _strongest_district(nutmeg, voter_file) == "10"

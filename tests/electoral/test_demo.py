"""The electoral demo: past primaries with results, census figures, the pipeline, and an
endorsement decided by the democracy demo's vote."""

import pytest

from powerbase.core.access import actor_for
from powerbase.core.models import Organization, User
from powerbase.demo.electoral import races_with_results
from powerbase.electoral.models import Election, EndorsementProcess, PipelineEntry
from powerbase.legislature.models import Official, Pledge
from powerbase.power import queries as power
from powerbase.power.models import CensusCount
from tests.test_demo import load


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")


def test_the_demo_has_primaries_a_pipeline_an_endorsement_and_a_power_map(db):
    assert load().status == "succeeded"
    nutmeg = Organization.objects.get(slug="nutmeg")
    assert Election.objects.filter(organization=nutmeg, kind="primary").count() == 3
    assert races_with_results(nutmeg) == 2 * 151
    assert CensusCount.objects.filter(organization=nutmeg).exists()
    assert sorted(
        PipelineEntry.objects.filter(organization=nutmeg).values_list("stage", flat=True)
    ) == ["recruited", "running", "trained"]
    process = EndorsementProcess.objects.get(organization=nutmeg)
    assert process.stage == EndorsementProcess.Stage.ENDORSED
    assert process.endorsement_vote.decision is not None and process.pledges
    tied = [q.platform_demand for q in process.questions.all() if q.platform_demand]
    assert len(tied) == 3 and set(process.pledged_demands.all()) == set(tied)
    senator = Official.objects.get(organization=nutmeg, name="Jordan Reyes-Whitfield")
    pledged = set(Pledge.objects.filter(official=senator).values_list("demand", flat=True))
    assert {demand.pk for demand in tied} <= pledged  # carried, or pledged there before
    pledges_before = Pledge.objects.count()
    viewer = actor_for(User.objects.get(email="viewer@nutmeg.example"), nutmeg.slug)
    power_map = power.power_map(viewer, kind="state_house")
    assert len(power_map.rows) == 151
    assert sum(row.last_margin is not None for row in power_map.rows) == 151
    load()
    assert Election.objects.filter(organization=nutmeg).count() == 3
    assert Pledge.objects.count() == pledges_before

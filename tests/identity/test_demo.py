"""The demo's matching runs: a dedupe and a link to the demo voter file, run once."""

import pytest

from powerbase.identity.models import CandidatePair, IdentityRun, Merge, VoterLink
from powerbase.people.models import Person
from tests.test_demo import load


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")


def test_the_demo_runs_matching_once_and_leaves_pairs_to_review(db, data_dir):
    job = load()
    assert job.status == "succeeded", job.error
    runs = IdentityRun.objects.filter(organization__slug="nutmeg")
    assert sorted(runs.values_list("kind", flat=True)) == ["dedupe", "link"]
    assert Merge.objects.exists()
    # Most of the base is registered in the demo voter file, and most of those are linked.
    people = Person.objects.filter(organization__slug="nutmeg").unmerged().count()
    assert VoterLink.objects.count() > people / 2
    assert CandidatePair.objects.filter(status=CandidatePair.Status.PENDING).exists()

    counts = (
        IdentityRun.objects.count(),
        Merge.objects.count(),
        Person.objects.count(),
        VoterLink.objects.count(),
    )
    load()
    assert (
        IdentityRun.objects.count(),
        Merge.objects.count(),
        Person.objects.count(),
        VoterLink.objects.count(),
    ) == counts

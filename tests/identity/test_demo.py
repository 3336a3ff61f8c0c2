"""The demo's matching runs: a dedupe (and, with the demo voter file, a link), run once."""

import pytest

from powerbase.identity.models import CandidatePair, IdentityRun, Merge
from powerbase.people.models import Person
from tests.test_demo import load


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")


def test_the_demo_runs_matching_once_and_leaves_pairs_to_review(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    job = load()
    assert job.status == "succeeded", job.error
    runs = IdentityRun.objects.filter(organization__slug="nutmeg")
    assert IdentityRun.Kind.DEDUPE in set(runs.values_list("kind", flat=True))
    print({run.kind: (run.people_count, run.auto_applied_count, run.review_count)
           for run in runs})
    assert CandidatePair.objects.filter(status=CandidatePair.Status.PENDING).exists()

    counts = (IdentityRun.objects.count(), Merge.objects.count(), Person.objects.count())
    load()
    assert (IdentityRun.objects.count(), Merge.objects.count(), Person.objects.count()) == counts

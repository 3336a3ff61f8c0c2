"""The legislature demo: a fictional legislature on the demo voter file's districts."""

import pytest

from powerbase.core.access import actor_for
from powerbase.core.models import Job, Organization, User
from powerbase.legislature import queries
from powerbase.legislature.models import (
    Demand,
    Official,
    Pledge,
    RollCall,
    Scorecard,
    WhipBoard,
)
from powerbase.legislature.openstates import read_person
from tests.legislature.conftest import shared_openstates
from tests.test_demo import load


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")


def test_the_demo_has_a_fictional_legislature_a_session_and_a_live_whip_count(db, demo_loaded):
    assert demo_loaded.status == Job.Status.SUCCEEDED
    nutmeg = Organization.objects.get(slug="nutmeg")
    officials = Official.objects.filter(organization=nutmeg)
    assert officials.filter(chamber="upper").count() == 36
    assert officials.filter(chamber="lower").count() == 151
    assert officials.filter(district__isnull=True).count() == 0  # all on voter-file districts
    assert officials.filter(party__contains="/").exists()  # fusion lines
    assert Demand.objects.filter(organization=nutmeg).count() == 12
    assert Demand.objects.filter(organization=nutmeg, amount__isnull=False).exists()
    assert RollCall.objects.filter(organization=nutmeg).count() == 20
    card = Scorecard.objects.get(organization=nutmeg)
    assert card.is_published
    results = queries.results(card)
    assert results.bloc_average is not None and results.cohesion.percent is not None
    assert Pledge.objects.filter(organization=nutmeg).exists()
    board = WhipBoard.objects.get(organization=nutmeg, is_live=True)
    count = queries.whip_count(board)
    assert count.total == 151 and 0 < count.likely < 151
    # The base is placed in districts (by voter link, else by address): some undecided
    # representatives sit where it is strong.
    organizer = actor_for(User.objects.get(email="organizer@nutmeg.example"), "nutmeg")
    rows = queries.whip_rows(organizer, board)
    assert any(row.base and row.base.matched for row in rows)
    assert any(row.push_here for row in rows) and rows[0].push_here
    version = Demand.objects.filter(organization=nutmeg).first().plank.version
    assert version.adopted_on is not None and version.decision is not None

    load()
    assert Official.objects.filter(organization=nutmeg).count() == 187


def test_no_demo_official_shares_a_name_with_a_real_legislator(db, demo_loaded):
    folder = shared_openstates()
    if folder is None:
        pytest.skip("The real Open States CT files are absent (../shared/data/openstates-ct).")
    real = {
        read_person(path.name, path.read_text(encoding="utf-8")).name.casefold()
        for path in folder.glob("*.yml")
    }
    demo = set(Official.objects.values_list("name", flat=True))
    assert not {name for name in demo if name.casefold() in real}

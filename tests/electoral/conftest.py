"""Fixtures for the electoral app: an election with a primary race in a district."""

import datetime

import pytest

from powerbase.electoral import services
from powerbase.electoral.models import Election
from tests.conftest import act


@pytest.fixture
def manager(organizer, nutmeg):
    """The organizer acting in Nutmeg: may manage elections and endorsements."""
    return act(organizer, nutmeg)


@pytest.fixture
def primary_2024(manager) -> Election:
    return services.create_election(
        actor=manager,
        name="Democratic primary 2024",
        date=datetime.date(2024, 8, 13),
        kind=Election.Kind.PRIMARY,
    )


@pytest.fixture
def senate_10(manager, primary_2024):
    """A fictional primary for State Senate District 10 with three candidates."""
    race = services.create_race(
        actor=manager,
        election=primary_2024,
        office="State Senate District 10",
        party="dem",
        eligible_voters=40_000,
    )
    for name, incumbent in [
        ("Pat Okafor-Lind", True),
        ("Jordan Reyes-Whitfield", False),
        ("Sam Ortolan", False),
    ]:
        services.add_candidate(
            actor=manager,
            race=race,
            name=name,
            incumbent=incumbent,
            party="DEM",
            fusion_lines=["wfp"] if not incumbent else [],
        )
    return race

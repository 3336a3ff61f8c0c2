"""Fixtures for the field program: a small fictional voter file in use, a data director, a
canvasser, María linked to a voter at 1 Elm St, and a universe cut into turfs."""

import pytest

from powerbase.core.access import actor_for
from powerbase.core.models import Role
from powerbase.field import services
from powerbase.identity.models import VoterLink
from tests.field.voters import make_voter_file


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir):
    """Every test here reads or writes a voter file: each in a folder of its own."""


@pytest.fixture
def voter_file(nutmeg, tmp_path):
    return make_voter_file(nutmeg, tmp_path / "source")


@pytest.fixture
def director(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.DATA], nutmeg.slug)


@pytest.fixture
def organizer_actor(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.ORGANIZER], nutmeg.slug)


@pytest.fixture
def leader_actor(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.LEADER], nutmeg.slug)


@pytest.fixture
def maria_registered(nutmeg, maria, voter_file):
    """María is the voter F00001, at 1 Elm St in precinct 1."""
    VoterLink.objects.create(organization=nutmeg, person=maria, voter_id="F00001")
    return maria


@pytest.fixture
def district_10(director, voter_file, maria_registered):
    """Active voters of house district 10, with a two-question survey."""
    return services.save_universe(
        actor=director,
        name="HD 10 doors",
        filters={"district_kind": "state_house", "districts": ["10"]},
        survey="Top issue? | Rent | Wages | Schools\nWill you vote in the primary? | Yes | No",
        daily_goal=20,
    )


@pytest.fixture
def turfs(director, district_10):
    return services.cut_turfs(actor=director, universe=district_10, doors_per_turf=10)

"""Fixtures for the legislature: fictional officials of a CT-like state, a platform, a bill.

Real legislators (the Open States files under ../shared/data) are imported only in the import
tests, and never given votes, scores or pledges.
"""

from datetime import date
from pathlib import Path

import pytest

from powerbase.legislature import services
from powerbase.legislature.models import Chamber
from tests.conftest import act

FIXTURES = Path(__file__).parent / "fixtures"


def shared_openstates() -> Path | None:
    """The real CT legislators (public domain), read in place from ../shared/data if present."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "openstates-ct"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture
def manager(organizer, nutmeg):
    """The organizer acting in Nutmeg: may manage the legislature."""
    return act(organizer, nutmeg)


@pytest.fixture
def reader(viewer, nutmeg):
    return act(viewer, nutmeg)


def fictional(manager, name: str, chamber: str, district: str, party: str = "Democratic"):
    given, family = name.split(" ", 1)
    return services.create_official(
        actor=manager,
        name=name,
        given_name=given,
        family_name=family,
        chamber=chamber,
        district_code=district,
        party=party,
        jurisdiction="Connecticut",
    )


@pytest.fixture
def senate(manager) -> dict:
    """Five fictional senators, by first name; Ada, Bea and Cy are in the bloc."""
    people = {
        "ada": fictional(manager, "Ada Quill", Chamber.UPPER, "1", "Democratic/Working Families"),
        "bea": fictional(manager, "Bea Marsh", Chamber.UPPER, "2", "Working Families"),
        "cy": fictional(manager, "Cy Thorne", Chamber.UPPER, "3"),
        "dov": fictional(manager, "Dov Elling", Chamber.UPPER, "4"),
        "eve": fictional(manager, "Eve Rook", Chamber.UPPER, "5", "Republican"),
    }
    for name in ("ada", "bea", "cy"):
        services.join_bloc(actor=manager, official=people[name], joined_on=date(2025, 1, 8))
    return people


@pytest.fixture
def platform(manager):
    """A platform with one plank and two demands, one a budget fight."""
    version = services.create_platform(actor=manager, title="People's Platform 2027")
    plank = services.add_plank(
        actor=manager, version=version, title="Tax the rich to fund public schools"
    )
    services.add_demand(actor=manager, plank=plank, title="Pass the Fair Share Amendment")
    services.add_demand(
        actor=manager,
        plank=plank,
        title="Fund the schools",
        amount="300,000,000",
        budget_item="Education Cost Sharing",
    )
    return version


@pytest.fixture
def fair_share(manager, platform):
    """SB 10, which carries the Fair Share demand; we support it."""
    bill = services.create_bill(
        actor=manager,
        jurisdiction="Connecticut",
        session="2027",
        identifier="SB 10",
        title="An Act Concerning Fair Share",
        position="support",
        position_reason="It funds the schools.",
    )
    demand = platform.planks.get().demands.get(order=1)
    services.link_bill(actor=manager, demand=demand, bill=bill)
    return bill

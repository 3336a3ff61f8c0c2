"""Fixtures for bargaining: the teachers' union's unit at the school district with a contract
campaign, and a tenant-union unit (the affiliate lead's own)."""

import datetime

import pytest

from powerbase.bargaining import services
from tests.conftest import act

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def staff(organizer, nutmeg):
    """Nutmeg's organizer."""
    return act(organizer, nutmeg)


@pytest.fixture
def lead(affiliate_lead, nutmeg):
    """The tenant union's affiliate lead."""
    return act(affiliate_lead, nutmeg)


@pytest.fixture
def schools(staff, teachers_union):
    """Educators Local 12's unit at the school district, its contract up next summer."""
    return services.create_unit(
        actor=staff,
        affiliate=teachers_union,
        employer="New Haven Public Schools",
        name="Teachers and paraprofessionals",
        unit_size=1800,
        contract_expires_on=datetime.date(2027, 6, 30),
        bargaining_starts_on=datetime.date(2027, 2, 1),
    )


@pytest.fixture
def housing(staff, tenant_union):
    """The tenant union's unit of the housing authority's maintenance workers."""
    return services.create_unit(
        actor=staff,
        affiliate=tenant_union,
        employer="Elm City Housing Authority",
        unit_size=140,
        contract_expires_on=datetime.date(2028, 3, 31),
    )


@pytest.fixture
def fight(staff, schools):
    """The teachers' contract campaign, with a union demand and a community demand."""
    campaign = services.start_campaign(
        actor=staff, unit=schools, name="Schools Our Students Deserve"
    )
    services.add_demand(actor=staff, campaign=campaign, source="union", title="Class size caps")
    services.add_demand(
        actor=staff, campaign=campaign, source="community", title="A counselor in every school"
    )
    return campaign

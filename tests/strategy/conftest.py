"""Fixtures for the strategy table: Nutmeg's strategy table (María holds the tenants' seat),
the Homes for All campaign with its budget, and a draft platform with one demand."""

import datetime

import pytest

from powerbase.actions import services as actions
from powerbase.core import access
from powerbase.democracy import services as democracy
from powerbase.democracy.models import GoverningBody
from powerbase.legislature import services as legislature
from powerbase.money import services as money
from tests.conftest import act


@pytest.fixture
def staff(organizer, nutmeg):
    """Nutmeg's organizer, who records the table's decisions."""
    return act(organizer, nutmeg)


@pytest.fixture
def table(staff, maria, tenant_union):
    body = democracy.create_body(
        actor=staff, name="Strategy table", kind=GoverningBody.Kind.STRATEGY_TABLE
    )
    democracy.add_seat(
        actor=staff, body=body, title="Tenants' seat", holder=maria, affiliate=tenant_union
    )
    return body


@pytest.fixture
def campaign(staff):
    return actions.create_campaign(
        actor=staff, name="Homes for All", starts_on=datetime.date(2026, 3, 1)
    )


@pytest.fixture
def budget_line(nutmeg, campaign):
    command_line = access.command_line(nutmeg)
    budget = money.create_budget(
        actor=command_line, name="Homes for All", year=2026, campaign=campaign
    )
    return money.set_budget_line(
        actor=command_line, budget=budget, category="Organizers", amount_cents=4_800_000
    )


@pytest.fixture
def demand(staff):
    version = legislature.create_platform(actor=staff, title="People's Platform 2027")
    plank = legislature.add_plank(actor=staff, version=version, title="Homes are for people")
    return legislature.add_demand(actor=staff, plank=plank, title="Cap rent rises at 3%")

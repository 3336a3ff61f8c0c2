"""Fixtures for actions: a campaign, a rally coming up, and a leader in the tenant union."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import Action
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.models import Role
from tests.conftest import act, add_member


@pytest.fixture
def organizing(organizer, nutmeg):
    """The organizer, acting in Nutmeg."""
    return act(organizer, nutmeg)


@pytest.fixture
def campaign(organizing):
    return services.create_campaign(
        actor=organizing, name="Rent relief now", goal="A rent freeze in the next session."
    )


@pytest.fixture
def rally(organizing, campaign) -> Action:
    """A public structure test a week away."""
    return services.create_action(
        actor=organizing,
        title="Rally at the Capitol",
        campaign=campaign,
        starts_at=timezone.now() + timedelta(days=7),
        place="Capitol steps",
        is_public=True,
        is_structure_test=True,
        turnout_goal=100,
    )


@pytest.fixture
def rosa(nutmeg, tenant_union):
    """A steward of the tenant union who recruits for actions."""
    person = add_member(
        nutmeg, tenant_union, "Rosa", "Quintero", email="rosa@tenants.example", phone="+12035550144"
    )
    AffiliateMembership.objects.filter(person=person).update(role=AffiliateMembership.Role.LEADER)
    return person


@pytest.fixture
def leading(users_by_role, nutmeg):
    """A member leader, acting in Nutmeg."""
    return act(users_by_role[Role.LEADER], nutmeg)


@pytest.fixture
def leading_affiliate(affiliate_lead, nutmeg):
    """The tenant union's lead, acting in Nutmeg."""
    return act(affiliate_lead, nutmeg)


def hold(action: Action, days_ago: int = 1) -> Action:
    """Move *action* into the past, as if it had been held."""
    Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() - timedelta(days=days_ago))
    action.refresh_from_db()
    return action

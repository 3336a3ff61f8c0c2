"""Leaders see their own people, and every role meets a pace on lists and a cap on exports."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import queries as actions_queries
from powerbase.actions import services as actions
from powerbase.core import limits
from powerbase.core.models import Role
from tests.conftest import act, add_member


@pytest.fixture
def leader(users_by_role):
    return users_by_role[Role.LEADER]


@pytest.fixture
def leaders_world(nutmeg, tenant_union, organizer, leader):
    """A leader in the base, someone they brought to a rally, someone they met, a stranger."""
    organizing = act(organizer, nutmeg)
    me = add_member(nutmeg, tenant_union, "Lidia", "Leader", email=leader.email)
    brought = add_member(nutmeg, tenant_union, "Bruno", "Brought")
    met = add_member(nutmeg, tenant_union, "Mina", "Met")
    stranger = add_member(nutmeg, tenant_union, "Sergio", "Stranger")
    rally = actions.create_action(
        actor=organizing, title="Rally", starts_at=timezone.now() + timedelta(days=7)
    )
    actions.record_rsvp(
        actor=organizing, action=rally, person=brought, credit=actions.Credit(recruited_by=me)
    )
    actions.log_one_on_one(actor=act(leader, nutmeg), person=met, held_on=timezone.localdate())
    return {"me": me, "brought": brought, "met": met, "stranger": stranger, "rally": rally}


def test_a_leader_sees_the_people_they_brought_and_met_not_the_whole_base(
    client, nutmeg, leader, leaders_world
):
    client.force_login(leader)
    listing = client.get(reverse("people:people", kwargs={"org": nutmeg.slug})).content.decode()
    assert "Bruno Brought" in listing and "Mina Met" in listing and "Lidia Leader" in listing
    assert "Sergio Stranger" not in listing
    stranger = client.get(
        reverse(
            "people:person", kwargs={"org": nutmeg.slug, "person_id": leaders_world["stranger"].pk}
        )
    )
    assert stranger.status_code == 404


def test_a_leader_at_the_door_can_still_find_anyone_to_check_in(nutmeg, leader, leaders_world):
    found = actions_queries.check_in_search(act(leader, nutmeg), leaders_world["rally"], "Stranger")
    assert [c.person.family_name for c in found] == ["Stranger"]


def test_paging_through_the_base_too_fast_is_refused_with_a_reason(
    client, nutmeg, organizer, monkeypatch, maria
):
    monkeypatch.setitem(limits.LIST_PAGES_PER_MINUTE, Role.ORGANIZER, 2)
    client.force_login(organizer)
    url = reverse("people:people", kwargs={"org": nutmeg.slug})
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 403
    assert "2 pages of the people list in the last minute" in refused.content.decode()


def test_an_export_over_the_cap_needs_a_role_allowed_full_exports(
    client, settings, nutmeg, admin, users_by_role, maria, walter
):
    settings.PEOPLE_EXPORT_ROW_CAP = 1
    url = reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"})
    client.force_login(admin)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "would hold 2 people" in refused.content.decode()
    client.force_login(users_by_role[Role.DATA])
    allowed = client.get(url)
    assert allowed.status_code == 200
    assert b"Gonzalez" in b"".join(allowed.streaming_content)

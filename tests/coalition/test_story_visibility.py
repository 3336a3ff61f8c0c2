"""A person's story keeps each affiliate's facts with that affiliate.

María belongs to the tenant union and the teachers' union. The teachers brought her to a
picket; the tenant union to a rally. The tenant union's lead opens her page: the rally is
there, the picket, her teachers' membership and the IPO's one-on-one with her are not. What
moves her (a one-on-one's self-interest) is shown only to roles allowed sensitive fields.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.actions.models import Action
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.models import Role
from tests.conftest import act

PICKET, RALLY = "Picket at Lincoln High", "Rent rally on the Green"
SELF_INTEREST = "Her landlord is raising the rent by 30%"


@pytest.fixture
def shared_maria(nutmeg, maria, teachers_union, users_by_role):
    """María in both unions, checked in at one action credited to each, with a one-on-one."""
    AffiliateMembership.objects.create(
        organization=nutmeg, person=maria, affiliate=teachers_union, source=maria.source
    )
    organizing = act(users_by_role[Role.ORGANIZER], nutmeg)
    for title, affiliate in ((PICKET, teachers_union), (RALLY, None)):
        action = Action.objects.create(
            organization=nutmeg, title=title, starts_at=timezone.now() - timedelta(days=1)
        )
        actions.record_rsvp(
            actor=organizing,
            action=action,
            person=maria,
            credit=actions.Credit(affiliate=affiliate),
        )
        actions.check_in(
            actor=organizing,
            action=action,
            person=maria,
            credit=actions.Credit(affiliate=affiliate),
        )
    actions.log_one_on_one(
        actor=act(users_by_role[Role.ADMIN], nutmeg),
        person=maria,
        held_on=timezone.localdate(),
        self_interest=SELF_INTEREST,
        commitment="Speak at the hearing",
    )
    return maria


def story_text(client, user, person) -> str:
    client.force_login(user)
    url = reverse("people:person", kwargs={"org": person.organization.slug, "person_id": person.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_lead_sees_their_own_affiliates_turnout_and_nothing_another_affiliate_brought(
    client, affiliate_lead, shared_maria, teachers_union
):
    text = story_text(client, affiliate_lead, shared_maria)
    assert f"Checked in at {RALLY}" in text
    assert PICKET not in text
    assert teachers_union.name not in text
    assert "Speak at the hearing" not in text and SELF_INTEREST not in text


def test_staff_see_every_check_in_but_what_moves_her_only_with_sensitive_fields(
    client, users_by_role, shared_maria
):
    organizer_sees = story_text(client, users_by_role[Role.ORGANIZER], shared_maria)
    assert f"Checked in at {PICKET}" in organizer_sees
    assert f"Checked in at {RALLY}" in organizer_sees
    assert "Agreed to: Speak at the hearing" in organizer_sees
    assert SELF_INTEREST not in organizer_sees
    admin_sees = story_text(client, users_by_role[Role.ADMIN], shared_maria)
    assert f"Cares about: {SELF_INTEREST}" in admin_sees

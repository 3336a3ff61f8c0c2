"""Who held a one-on-one, as a person in the base: the form's "Held by" picker starts on the
user's own record (the person with the account's email), the choice is kept on the meeting,
and a person the user cannot find, or the person met, is refused."""

import pytest
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import OneOnOne
from powerbase.core.exceptions import InvalidInput
from tests.conftest import add_member


def url(name: str, **kwargs) -> str:
    return reverse(f"actions:{name}", kwargs={"org": "nutmeg", **kwargs})


@pytest.fixture
def organizer_in_the_base(nutmeg, tenant_union, organizer):
    """The organizer's own record: a tenant-union member with the account's email."""
    return add_member(nutmeg, tenant_union, "Olga", "Ruiz", email=organizer.email)


def test_the_form_starts_on_the_users_own_record(client, organizer, organizer_in_the_base, maria):
    client.force_login(organizer)
    page = client.get(url("one_on_one_new", person_id=maria.pk)).content.decode()
    assert f'name="held_by_person" value="{organizer_in_the_base.pk}"' in page
    assert "Olga Ruiz" in page


def test_without_an_own_record_the_picker_starts_empty(client, organizer, maria):
    client.force_login(organizer)
    page = client.get(url("one_on_one_new", person_id=maria.pk)).content.decode()
    assert 'name="held_by_person" value=""' in page


def test_the_person_who_held_it_is_kept_on_the_meeting(client, organizer, maria, walter):
    client.force_login(organizer)
    today = timezone.localdate().isoformat()
    client.post(
        url("one_on_one_new", person_id=maria.pk), {"held_on": today, "held_by_person": walter.pk}
    )
    meeting = OneOnOne.objects.get(person=maria)
    assert (meeting.held_by, meeting.held_by_person) == (organizer, walter)
    listing = client.get(url("one_on_ones")).content.decode()
    assert f'Walter Okonkwo-Hill <span class="help">(logged by {organizer})</span>' in listing
    client.post(url("one_on_one_new", person_id=walter.pk), {"held_on": today})
    assert OneOnOne.objects.get(person=walter).held_by_person is None


def test_someone_of_another_organization_cannot_be_named(client, organizer, maria, harbor):
    from powerbase.coalition.services import create_affiliate
    from powerbase.core import access

    harbor_tenants = create_affiliate(actor=access.command_line(harbor), name="Harbor Tenants")
    elsewhere = add_member(harbor, harbor_tenants, "Ana", "Diaz")
    client.force_login(organizer)
    response = client.post(
        url("one_on_one_new", person_id=maria.pk),
        {"held_on": timezone.localdate().isoformat(), "held_by_person": elsewhere.pk},
    )
    assert response.status_code == 404
    assert not OneOnOne.objects.exists()


def test_a_meeting_is_not_held_by_the_person_met(organizing, maria):
    with pytest.raises(InvalidInput, match="held with someone else"):
        services.log_one_on_one(
            actor=organizing, person=maria, held_by_person=maria, held_on=timezone.localdate()
        )

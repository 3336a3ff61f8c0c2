"""A person's modified_date moves with any change through the API, so sync clients see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.people.models import Person

A_MONTH_AGO = timezone.now() - timedelta(days=30)


@pytest.fixture
def ana(organizer_api) -> Person:
    """Ana, added through the API a month ago and not touched since."""
    _, added = organizer_api.post(
        "people",
        {"person": {"given_name": "Ana", "email_addresses": [{"address": "ana@example.org"}]}},
    )
    person = Person.objects.get(pk=added["identifiers"][0].split(":")[1])
    Person.objects.filter(pk=person.pk).update(updated_at=A_MONTH_AGO)
    return person


def modified_since_yesterday(organizer_api) -> list[str]:
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    _, body = organizer_api.get("people", filter=f"modified_date gt '{since}'")
    return [p["given_name"] for p in body["_embedded"]["osdi:people"]]


def test_a_person_untouched_for_a_month_is_not_in_yesterdays_changes(organizer_api, ana):
    assert modified_since_yesterday(organizer_api) == []


def test_an_email_added_through_the_signup_helper_moves_modified_date(organizer_api, ana):
    organizer_api.post(
        "people",
        {
            "person": {
                "email_addresses": [{"address": "ana@example.org"}, {"address": "ana@work.example"}]
            }
        },
    )

    assert modified_since_yesterday(organizer_api) == ["Ana"]


def test_a_tag_added_through_the_signup_helper_moves_modified_date(organizer_api, ana):
    status, body = organizer_api.post(
        "people",
        {"person": {"email_addresses": [{"address": "ana@example.org"}]}, "add_tags": ["captain"]},
    )

    assert status == 200
    assert body["modified_date"] > A_MONTH_AGO.isoformat()
    assert modified_since_yesterday(organizer_api) == ["Ana"]


def test_a_tagging_made_through_the_tags_endpoint_moves_modified_date(organizer_api, ana):
    _, tag = organizer_api.post("tags", {"name": "Building captain"})
    tag_id = tag["identifiers"][0].split(":")[1]

    organizer_api.post(
        f"tags/{tag_id}/taggings",
        {"_links": {"osdi:person": {"href": f"/api/v2/people/{ana.pk}"}}},
    )

    assert modified_since_yesterday(organizer_api) == ["Ana"]


def test_an_identifier_from_another_system_moves_modified_date(organizer_api, ana):
    organizer_api.post(
        "people",
        {
            "person": {
                "email_addresses": [{"address": "ana@example.org"}],
                "identifiers": ["action_network:1f2e3d4c"],
            }
        },
    )

    assert modified_since_yesterday(organizer_api) == ["Ana"]


def test_sending_what_is_already_known_does_not_move_modified_date(organizer_api, ana):
    organizer_api.post("people", {"person": {"email_addresses": [{"address": "ana@example.org"}]}})

    assert modified_since_yesterday(organizer_api) == []

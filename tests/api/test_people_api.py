"""People through the OSDI API: paging, filters, the signup helper, provenance, visibility."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from powerbase.api.models import ApiKey
from powerbase.core import services as core_services
from powerbase.core.access import command_line
from powerbase.core.models import Role
from powerbase.people.models import Person, PersonChange, Source
from tests.api.conftest import Api, key_for
from tests.conftest import add_member


def signup(email: str, **person) -> dict:
    return {"person": {"email_addresses": [{"address": email}], **person}}


def test_people_come_in_pages_of_at_most_25_with_a_link_to_the_next(organizer_api, nutmeg):
    for number in range(30):
        add_member(nutmeg, None, f"Person{number}", "Tester", direct=True)
    status, first = organizer_api.get("people", per_page=100)
    assert status == 200
    assert len(first["_embedded"]["osdi:people"]) == 25
    assert first["total_pages"] == 2 and first["total_records"] == 30
    assert "page=2" in first["_links"]["next"]["href"]
    _, second = organizer_api.get("people", page=2)
    assert len(second["_embedded"]["osdi:people"]) == 5 and "next" not in second["_links"]
    _, beyond = organizer_api.get("people", page=3)
    assert beyond["_embedded"]["osdi:people"] == []  # how Action Network's clients stop


def test_modified_date_filter_keeps_only_people_changed_after_the_date(organizer_api, nutmeg):
    old = add_member(nutmeg, None, "Olga", "Old", direct=True)
    Person.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=40))
    add_member(nutmeg, None, "Nina", "New", direct=True)
    since = (timezone.now() - timedelta(days=10)).date().isoformat()
    _, body = organizer_api.get("people", filter=f"modified_date gt '{since}'")
    assert [p["given_name"] for p in body["_embedded"]["osdi:people"]] == ["Nina"]


def test_a_filter_that_is_not_understood_is_refused_saying_what_works(organizer_api):
    status, body = organizer_api.get("people", filter="favourite_colour eq 'red'")
    assert status == 400
    assert "modified_date" in body["error"]


def test_the_signup_helper_adds_a_person_once_and_updates_them_the_second_time(
    organizer_api, nutmeg, organizer
):
    status, added = organizer_api.post(
        "people",
        {
            **signup("ana@example.org", given_name="Ana", family_name="Reyes"),
            "add_tags": ["volunteer"],
        },
    )
    assert status == 200
    status, again = organizer_api.post(
        "people", signup("Ana@Example.org", family_name="Reyes-Diaz")
    )
    assert again["identifiers"][0] == added["identifiers"][0]
    person = Person.objects.get(pk=added["identifiers"][0].split(":")[1])
    assert person.family_name == "Reyes-Diaz"
    assert list(person.tags.values_list("tag__name", flat=True)) == ["volunteer"]
    assert Person.objects.filter(organization=nutmeg).count() == 1


def test_what_a_key_writes_says_it_came_from_the_api_key_of_its_user(organizer_api, organizer):
    _, added = organizer_api.post(
        "people", {**signup("ana@example.org", given_name="Ana"), "add_tags": ["volunteer"]}
    )
    person = Person.objects.get(pk=added["identifiers"][0].split(":")[1])
    assert person.source.kind == Source.Kind.API
    assert person.source.label.startswith(f"API, key of {organizer.email}")
    labels = {change.source.label for change in PersonChange.objects.filter(person=person)}
    assert all(label.startswith("API, key of organizer@") for label in labels)


def test_a_bad_field_writes_nothing_at_all(organizer_api, nutmeg):
    status, body = organizer_api.post(
        "people",
        {
            **signup("ana@example.org", given_name="Ana", custom_fields={"shoe_size": "9"}),
            "add_tags": ["volunteer"],
        },
    )
    assert status == 400
    assert "shoe_size" in body["error"]
    assert not Person.objects.filter(organization=nutmeg).exists()


def test_a_phone_that_is_not_a_number_is_refused_naming_the_field(organizer_api):
    status, body = organizer_api.post(
        "people", {"person": {"given_name": "Ana", "phone_numbers": [{"number": "555-01"}]}}
    )
    assert status == 400
    assert "phone_numbers[0].number" in body["error"]


def test_contact_details_an_affiliate_withholds_are_not_in_the_document(organizer_api, maria):
    _, body = organizer_api.get(f"people/{maria.pk}")
    assert body["given_name"] == "María"
    assert body["email_addresses"] == [] and body["phone_numbers"] == []


def test_an_affiliate_leads_key_sees_its_own_members_details_and_no_one_else(api_as, maria, walter):
    lead = api_as(Role.AFFILIATE_LEAD)
    _, body = lead.get(f"people/{maria.pk}")
    assert body["email_addresses"][0]["address"] == "maria@tenants.example"
    status, _ = lead.get(f"people/{walter.pk}")
    assert status == 404
    _, listed = lead.get("people")
    assert [p["given_name"] for p in listed["_embedded"]["osdi:people"]] == ["María"]


def test_the_signup_helper_does_not_match_through_an_address_the_key_may_not_see(
    organizer_api, maria
):
    """María's address is withheld from the IPO: the organizer's key may not learn it is hers."""
    status, body = organizer_api.post("people", signup("maria@tenants.example", given_name="M"))
    assert status == 409
    assert "María" not in str(body) and str(maria.pk) not in body["error"]


def test_a_role_downgrade_applies_to_the_key_at_once(client, organizer, nutmeg):
    api = Api(client, key_for(organizer, nutmeg))
    assert api.post("people", signup("a@example.org", given_name="A"))[0] == 200
    core_services.grant_role(user=organizer, role=Role.VIEWER, granted_by=command_line(nutmeg))
    status, body = api.post("people", signup("b@example.org", given_name="B"))
    assert status == 403
    assert "Viewer" in body["error"]


def test_a_key_whose_user_left_the_organization_does_nothing(client, organizer, nutmeg):
    api = Api(client, key_for(organizer, nutmeg))
    organizer.memberships.all().delete()
    assert api.get("people")[0] == 403


def test_a_revoked_key_and_a_missing_key_are_refused(client, organizer, nutmeg):
    from powerbase.api.services import revoke_key
    from powerbase.core.access import actor_for

    secret = key_for(organizer, nutmeg)
    revoke_key(actor=actor_for(organizer, "nutmeg"), key=ApiKey.objects.get())
    assert Api(client, secret).get("people")[0] == 401
    status, body = Api(client, None).get("people")
    assert status == 401 and "OSDI-API-Token" in body["error"]


def test_only_a_hash_of_the_key_is_kept(organizer, nutmeg):
    secret = key_for(organizer, nutmeg)
    key = ApiKey.objects.get()
    assert secret not in key.secret_hash and key.prefix in secret
    assert len(key.secret_hash) == 64


def test_a_key_sees_only_its_own_organization(client, outsider, harbor, maria):
    status, _ = Api(client, key_for(outsider, harbor)).get(f"people/{maria.pk}")
    assert status == 404
    _, body = Api(client, key_for(outsider, harbor)).get("people")
    assert body["_embedded"]["osdi:people"] == []


@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_a_key_that_asks_too_often_is_told_to_slow_down(organizer_api):
    answers = [organizer_api.get("tags")[0] for _ in range(4)]
    assert answers == [200, 200, 200, 429]


@pytest.mark.parametrize("role,expected", [(Role.LEADER, 403), (Role.VIEWER, 403)])
def test_roles_that_may_not_add_people_cannot_with_a_key_either(api_as, role, expected):
    assert api_as(role).post("people", signup("x@example.org", given_name="X"))[0] == expected


def test_a_person_is_found_by_their_action_network_id_too(organizer_api, nutmeg):
    _, added = organizer_api.post(
        "people",
        signup(
            "ana@example.org", given_name="Ana", identifiers=["action_network:abc-123", "van:987"]
        ),
    )
    assert "van:987" in added["identifiers"] and "action_network:abc-123" in added["identifiers"]
    status, found = organizer_api.get("people/abc-123")
    assert status == 200 and found["given_name"] == "Ana"


def test_text_with_a_control_character_or_too_long_an_identifier_is_refused_by_name(
    organizer_api, nutmeg
):
    """PostgreSQL refuses NUL in text: the API names the field instead of failing."""
    status, body = organizer_api.post("people", signup("nul@example.org", given_name="A\x00na"))
    assert status == 400 and "person.given_name" in body["error"]
    status, body = organizer_api.post(
        "people", signup("id@example.org", identifiers=["van:" + "9" * 201])
    )
    assert status == 400 and "too long" in body["error"]
    assert not Person.objects.filter(organization=nutmeg, given_name__startswith="A").exists()

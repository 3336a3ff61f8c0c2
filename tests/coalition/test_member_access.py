"""Affiliates can see who looked: views, searches, exports and changes of their members."""

import csv
import io

from django.urls import reverse

from powerbase.core.models import AuditEntry, Role
from powerbase.people import services
from tests.conftest import act, add_member


def access_page(client, affiliate, suffix: str = "member_access") -> str:
    response = client.get(
        reverse(
            f"coalition:{suffix}",
            kwargs={"org": affiliate.organization.slug, "affiliate_id": affiliate.pk},
        )
    )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_a_lead_sees_who_viewed_searched_exported_and_changed_their_members(
    client, users_by_role, organizer, affiliate_lead, nutmeg, tenant_union, maria
):
    data = users_by_role[Role.DATA]
    client.force_login(organizer)
    client.get(reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": maria.pk}))
    client.get(reverse("people:people", kwargs={"org": nutmeg.slug}), {"q": "Gonz"})
    services.tag_person(actor=act(organizer, nutmeg), person=maria, name="building captain")
    client.force_login(data)
    b"".join(
        client.get(
            reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"})
        ).streaming_content
    )
    client.force_login(affiliate_lead)
    text = access_page(client, tenant_union)
    assert "organizer@nutmeg.example" in text and "data@nutmeg.example" in text
    for did in ("person.viewed", "people.searched", "tag.added", "people.exported"):
        assert did in text, did
    assert "1 of your members" in text and "María Gonzalez" in text
    rows = list(csv.DictReader(io.StringIO(access_page(client, tenant_union, "member_access_csv"))))
    assert {row["kind"] for row in rows} >= {"viewed", "searched", "exported", "changed"}
    assert AuditEntry.objects.filter(action="affiliate.access_log_exported").exists()


def test_an_export_is_one_entry_with_its_count_per_affiliate(
    client, users_by_role, nutmeg, tenant_union, teachers_union, maria, walter
):
    data = users_by_role[Role.DATA]
    add_member(nutmeg, tenant_union, "Rosa", "Quintero")
    client.force_login(data)
    b"".join(
        client.get(
            reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"})
        ).streaming_content
    )
    entry = AuditEntry.objects.get(action="people.exported")
    assert entry.changes["rows"] == 3
    assert entry.changes[f"members_of:{tenant_union.pk}"] == 2
    assert entry.changes[f"members_of:{teachers_union.pk}"] == 1


def test_another_affiliates_members_do_not_appear_in_a_leads_access_log(
    client, organizer, affiliate_lead, nutmeg, tenant_union, walter
):
    client.force_login(organizer)
    client.get(reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": walter.pk}))
    client.force_login(affiliate_lead)
    text = access_page(client, tenant_union)
    assert "Walter" not in text and "Nobody has looked" in text


def test_a_lead_cannot_open_another_affiliates_access_log(client, affiliate_lead, teachers_union):
    client.force_login(affiliate_lead)
    response = client.get(
        reverse(
            "coalition:member_access",
            kwargs={"org": teachers_union.organization.slug, "affiliate_id": teachers_union.pk},
        )
    )
    assert response.status_code == 404


def test_a_search_by_email_is_logged_without_the_email(client, owner, nutmeg, walter):
    client.force_login(owner)
    client.get(
        reverse("people:people", kwargs={"org": nutmeg.slug}), {"q": "walter@teachers.example"}
    )
    entry = AuditEntry.objects.get(action="people.searched")
    assert "walter@teachers.example" not in str(entry.changes)
    assert entry.changes["shown"] == 1

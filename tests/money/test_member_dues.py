"""A person's own dues: recorded by their affiliate's lead or the treasurers, shown on the
person page only where the affiliate's sharing terms allow (the contact-details term of
`coalition.visibility`), and nowhere else a withheld fact could slip out."""

import pytest
from django.urls import reverse

from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry, Role
from powerbase.money import queries, services
from powerbase.money.models import MemberDues
from tests.api.conftest import Api, key_for
from tests.conftest import act


def person_url(person) -> str:
    return reverse(
        "people:person", kwargs={"org": person.organization.slug, "person_id": person.pk}
    )


def dues_url(person) -> str:
    return reverse(
        "money:member_dues", kwargs={"org": person.organization.slug, "person_id": person.pk}
    )


def page_bytes(client, url: str, params: dict | None = None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_a_lead_records_a_members_payroll_dues_and_sees_them_on_her_page(
    client, affiliate_lead, nutmeg, maria, tenant_union
):
    client.force_login(affiliate_lead)
    response = client.post(
        dues_url(maria),
        {
            "affiliate": tenant_union.pk,
            "status": "in_arrears",
            "method": "payroll",
            "amount": "12.50",
            "period": "monthly",
        },
    )
    assert response.status_code == 302
    dues = MemberDues.objects.get(person=maria)
    assert (dues.affiliate, dues.status, dues.amount_cents) == (tenant_union, "in_arrears", 1250)
    text = client.get(person_url(maria)).content.decode()
    assert "In arrears" in text and "Payroll check-off" in text and "$12.50" in text
    # Recording again changes the one row, it does not add a second.
    client.post(
        dues_url(maria), {"affiliate": tenant_union.pk, "status": "current", "period": "monthly"}
    )
    assert MemberDues.objects.get(person=maria).status == "current"


def test_a_lead_cannot_record_dues_to_another_affiliate_or_the_ipo(
    affiliate_lead, nutmeg, walter, maria, teachers_union
):
    lead = act(affiliate_lead, nutmeg)
    with pytest.raises(InvalidInput):
        services.record_member_dues(actor=lead, person=maria, affiliate=None, status="current")
    with pytest.raises(InvalidInput):
        services.record_member_dues(
            actor=lead, person=maria, affiliate=teachers_union, status="current"
        )


def test_an_organizer_may_not_record_dues_and_a_treasurer_only_for_members(
    organizer, admin, nutmeg, maria, teachers_union
):
    with pytest.raises(PermissionDenied):
        services.record_member_dues(
            actor=act(organizer, nutmeg), person=maria, affiliate=None, status="current"
        )
    with pytest.raises(InvalidInput, match="not a member"):
        services.record_member_dues(
            actor=act(admin, nutmeg), person=maria, affiliate=teachers_union, status="current"
        )


@pytest.fixture
def withheld_and_shared_dues(admin, affiliate_lead, nutmeg, maria, walter, tenant_union):
    """María's payroll dues to the tenant union (which withholds), Walter's card dues to the
    teachers' union (which shares contact details)."""
    services.record_member_dues(
        actor=act(affiliate_lead, nutmeg),
        person=maria,
        affiliate=tenant_union,
        status="in_arrears",
        method="payroll",
        amount_cents=1234,
    )
    walters = walter.affiliate_memberships.get().affiliate
    services.record_member_dues(
        actor=act(admin, nutmeg),
        person=walter,
        affiliate=walters,
        status="current",
        method="card",
        amount_cents=4321,
    )


WITHHELD = (b"In arrears", b"in_arrears", b"Payroll", b"payroll", b"12.34")


def test_staff_do_not_see_a_withholding_affiliates_members_dues_anywhere(
    client, organizer, admin, nutmeg, maria, walter, withheld_and_shared_dues
):
    client.force_login(organizer)
    maria_page = page_bytes(client, person_url(maria))
    assert b"Gonzalez" in maria_page and b"member-dues" not in maria_page
    walter_page = page_bytes(client, person_url(walter)).decode()
    assert "Current" in walter_page and "Card" in walter_page and "$43.21" in walter_page
    people = reverse("people:people", kwargs={"org": nutmeg.slug})
    found = page_bytes(client, people, {"q": "Gonzalez"})
    assert b"Gonzalez" in found and not any(value in found for value in WITHHELD)
    for query in ("arrears", "payroll"):  # searching by the dues finds no one
        assert b"Gonzalez" not in page_bytes(client, people, {"q": query}), query
    api = Api(client, key_for(organizer, nutmeg))
    for path in ("people", f"people/{maria.pk}"):
        response = client.get(f"/api/v2/{path}", HTTP_OSDI_API_TOKEN=api.secret)
        assert not any(value in response.content for value in WITHHELD), path
    # The admin (staff too) exports everyone and reads the audit log: no withheld dues there.
    client.force_login(admin)
    export = page_bytes(
        client, reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "csv"})
    )
    assert b"Gonzalez" in export and not any(value in export for value in WITHHELD)
    audit = page_bytes(client, reverse("core:audit_log", kwargs={"org": nutmeg.slug}))
    assert b"money.member_dues_recorded" in audit
    assert not any(value in audit for value in WITHHELD)
    assert not any(
        value.decode() in str(entry.changes)
        for entry in AuditEntry.objects.all()
        for value in WITHHELD
    )


def test_a_member_leader_and_a_lead_of_another_affiliate_see_no_dues(
    client, users_by_role, affiliate_lead, nutmeg, walter, withheld_and_shared_dues
):
    client.force_login(affiliate_lead)  # the tenant union's lead: Walter is not theirs
    response = client.get(person_url(walter))
    assert response.status_code == 404 or b"Card" not in response.content
    leader = act(users_by_role[Role.LEADER], nutmeg)
    assert queries.member_dues_of(leader, walter) == []

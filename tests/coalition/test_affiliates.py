"""Affiliates: details, members counted, and sharing terms the affiliate controls."""

import pytest
from django.urls import reverse

from powerbase.coalition import queries, services
from powerbase.core.exceptions import NotFound, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.people import queries as people_queries
from tests.conftest import act


def test_an_affiliate_lead_sets_their_own_affiliates_sharing_terms(
    affiliate_lead, nutmeg, tenant_union
):
    services.set_sharing_terms(
        actor=act(affiliate_lead, nutmeg),
        affiliate=tenant_union,
        share_contact=True,
        share_demographics=False,
    )
    tenant_union.refresh_from_db()
    assert tenant_union.share_contact and not tenant_union.share_demographics
    entry = AuditEntry.objects.get(action="affiliate.sharing_terms_changed")
    assert entry.changes == {"share_contact": [False, True]}
    assert entry.actor == affiliate_lead


def test_a_lead_cannot_change_another_affiliates_terms(affiliate_lead, nutmeg, teachers_union):
    with pytest.raises((PermissionDenied, NotFound)):
        services.set_sharing_terms(
            actor=act(affiliate_lead, nutmeg),
            affiliate=teachers_union,
            share_contact=True,
            share_demographics=True,
        )
    teachers_union.refresh_from_db()
    assert not teachers_union.share_contact


def test_sharing_contact_makes_members_emails_visible_and_searchable(
    owner, affiliate_lead, nutmeg, tenant_union, maria
):
    search = people_queries.PeopleFilter(query="maria@tenants.example")
    assert not people_queries.search(act(owner, nutmeg), search).exists()
    services.set_sharing_terms(
        actor=act(affiliate_lead, nutmeg),
        affiliate=tenant_union,
        share_contact=True,
        share_demographics=False,
    )
    assert people_queries.search(act(owner, nutmeg), search).get() == maria
    page = people_queries.person_page(act(owner, nutmeg), maria.pk)
    assert page.visibility.contact and not page.visibility.demographics


def test_the_affiliate_list_counts_active_members(owner, nutmeg, tenant_union, maria):
    counts = {a.name: a.active_members for a in queries.affiliates_with_counts(act(owner, nutmeg))}
    assert counts == {"Educators Local 12": 0, "Quinnipiac Tenants Union": 1}


def test_adding_an_affiliate_through_the_page(client, admin, nutmeg):
    client.force_login(admin)
    response = client.post(
        reverse("coalition:affiliate_new", kwargs={"org": nutmeg.slug}),
        {
            "name": "Fair Haven Bus Riders",
            "kind": "community",
            "status": "ally",
            "claimed_size": "240",
        },
    )
    assert response.status_code == 302
    created = queries.affiliates(act(admin, nutmeg)).get(name="Fair Haven Bus Riders")
    assert (created.slug, created.claimed_size, created.status) == (
        "fair-haven-bus-riders",
        240,
        "ally",
    )


def test_a_duplicate_affiliate_name_is_refused_with_a_reason(client, admin, nutmeg, tenant_union):
    client.force_login(admin)
    response = client.post(
        reverse("coalition:affiliate_new", kwargs={"org": nutmeg.slug}),
        {"name": tenant_union.name, "kind": "tenant_union", "status": "member"},
    )
    assert response.status_code == 200
    assert b"already has an affiliate" in response.content

"""Users and roles: inviting, changing roles, the last owner, who may name owners."""

import pytest
from django.core import mail
from django.urls import reverse

from powerbase.core import services
from powerbase.core.exceptions import Conflict, PermissionDenied
from powerbase.core.models import AuditEntry, Membership, Role, User
from tests.conftest import act


def test_inviting_a_new_person_creates_their_account_and_emails_a_set_password_link(
    client, admin, nutmeg, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:member_add", kwargs={"org": nutmeg.slug}),
            {"email": "New.Organizer@Example.org", "name": "Nia Organizer", "role": "organizer"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.organizer@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organization=nutmeg).role == Role.ORGANIZER
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body
    assert "Nutmeg For All" in mail.outbox[0].subject


def test_inviting_someone_who_already_has_a_role_is_refused_with_a_reason(admin, organizer, nutmeg):
    with pytest.raises(Conflict, match="already has a role"):
        services.invite_member(
            actor=act(admin, nutmeg),
            email=organizer.email,
            name="",
            role=Role.VIEWER,
            base_url="http://testserver/",
        )


def test_an_admin_cannot_make_someone_an_owner(admin, viewer, nutmeg):
    membership = Membership.objects.get(user=viewer, organization=nutmeg)
    with pytest.raises(PermissionDenied):
        services.change_role(actor=act(admin, nutmeg), membership=membership, role=Role.OWNER)
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER


def test_the_last_owner_cannot_be_removed_or_demoted(owner, nutmeg):
    membership = Membership.objects.get(user=owner, organization=nutmeg)
    with pytest.raises(Conflict, match="at least one owner"):
        services.remove_member(actor=act(owner, nutmeg), membership=membership)
    with pytest.raises(Conflict, match="at least one owner"):
        services.change_role(actor=act(owner, nutmeg), membership=membership, role=Role.ADMIN)


def test_a_role_change_is_audited_with_old_and_new_role(owner, viewer, nutmeg):
    membership = Membership.objects.get(user=viewer, organization=nutmeg)
    services.change_role(actor=act(owner, nutmeg), membership=membership, role=Role.ORGANIZER)
    entry = AuditEntry.objects.filter(action="membership.updated").latest("created_at")
    assert entry.changes == {"role": ["viewer", "organizer"]}
    assert entry.actor == owner


def test_making_someone_an_affiliate_lead_leads_to_choosing_their_affiliates(
    client, owner, viewer, nutmeg, tenant_union
):
    membership = Membership.objects.get(user=viewer, organization=nutmeg)
    client.force_login(owner)
    response = client.post(
        reverse("core:member", kwargs={"org": nutmeg.slug, "member_id": membership.pk}),
        {"role": "affiliate_lead"},
    )
    assert response["Location"] == reverse(
        "coalition:lead_affiliates", kwargs={"org": nutmeg.slug, "member_id": membership.pk}
    )
    client.post(response["Location"], {"affiliates": [tenant_union.pk]})
    assert list(membership.affiliate_grants.values_list("affiliate", flat=True)) == [
        tenant_union.pk
    ]


def test_a_removed_member_can_no_longer_open_the_organization(client, owner, organizer, nutmeg):
    membership = Membership.objects.get(user=organizer, organization=nutmeg)
    client.force_login(owner)
    client.post(
        reverse("core:member_remove", kwargs={"org": nutmeg.slug, "member_id": membership.pk})
    )
    client.force_login(organizer)
    assert client.get(reverse("power:dashboard", kwargs={"org": nutmeg.slug})).status_code == 404


def test_the_users_page_lists_roles_in_a_fixed_number_of_queries(
    client, owner, users_by_role, nutmeg, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:members", kwargs={"org": nutmeg.slug}))
    assert response.status_code == 200
    for user in users_by_role.values():
        assert user.email.encode() in response.content

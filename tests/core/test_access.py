"""The access module: tenancy, roles and affiliate sovereignty, decided in one place."""

import pytest

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.exceptions import NotFound, PermissionDenied
from powerbase.core.models import AuditEntry, Job, Membership, Role
from tests.conftest import act


def test_an_actor_exists_only_where_the_user_holds_a_role(owner, outsider, nutmeg, harbor):
    assert access.actor_for(owner, "nutmeg").role == Role.OWNER
    with pytest.raises(NotFound):
        access.actor_for(outsider, "nutmeg")


def test_a_missing_organization_and_a_forbidden_one_look_the_same(outsider, nutmeg):
    with pytest.raises(NotFound) as missing:
        access.actor_for(outsider, "no-such-org")
    with pytest.raises(NotFound) as forbidden:
        access.actor_for(outsider, "nutmeg")
    assert missing.value.message == forbidden.value.message


def test_a_deactivated_user_acts_nowhere(owner, nutmeg):
    owner.is_active = False
    owner.save()
    with pytest.raises(NotFound):
        access.actor_for(owner, "nutmeg")


def test_scoped_querysets_never_cross_organizations(owner, outsider, nutmeg, harbor, tenant_union):
    from powerbase.coalition.services import create_affiliate

    create_affiliate(actor=access.command_line(harbor), name="Harbor Dockworkers")
    names = set(
        access.scoped(act(owner, nutmeg), Affiliate.objects.all()).values_list("name", flat=True)
    )
    assert "Harbor Dockworkers" not in names
    assert "Quinnipiac Tenants Union" in names


def test_an_affiliate_lead_sees_only_the_affiliates_they_lead(
    affiliate_lead, nutmeg, tenant_union, teachers_union
):
    visible = access.scoped(act(affiliate_lead, nutmeg), Affiliate.objects.all())
    assert list(visible) == [tenant_union]


def test_an_affiliate_lead_sees_nothing_of_a_model_without_an_affiliate_path(
    affiliate_lead, nutmeg
):
    # Memberships have no path to an affiliate: closed to affiliate leads by default.
    assert not access.scoped(act(affiliate_lead, nutmeg), Membership.objects.all()).exists()


def test_a_model_without_an_organization_cannot_be_scoped(owner, nutmeg):
    from powerbase.coalition.models import AffiliateGrant

    with pytest.raises(TypeError, match="no organization field"):
        access.scoped(act(owner, nutmeg), AffiliateGrant.objects.all())


def test_get_refuses_another_organizations_row_as_not_found_and_audits_it(
    owner, outsider, nutmeg, harbor
):
    from powerbase.core import jobs

    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    with pytest.raises(NotFound):
        access.get(act(outsider, harbor), Job, pk=job.pk)
    with pytest.raises(NotFound):
        access.get(act(outsider, harbor), Job, pk=999_999)
    denials = AuditEntry.objects.filter(action="access.denied", actor=outsider)
    assert denials.count() == 1  # the real row, not the missing one
    assert denials.get().changes["object_type"] == "core.Job"


def test_people_see_their_own_jobs_and_admins_see_everyones(owner, organizer, nutmeg):
    from powerbase.core import jobs

    mine = jobs.start(kind="core.selftest", started_by=organizer, organization=nutmeg)
    theirs = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    assert list(access.jobs(act(organizer, nutmeg))) == [mine]
    assert set(access.jobs(act(owner, nutmeg))) == {mine, theirs}


def test_a_role_without_a_permission_is_refused_and_the_refusal_is_audited(viewer, nutmeg):
    with pytest.raises(PermissionDenied, match="Viewer"):
        access.require(act(viewer, nutmeg), "audit.view")
    assert AuditEntry.objects.filter(action="access.denied", actor=viewer).exists()


def test_an_unknown_permission_is_a_programming_error(owner, nutmeg):
    with pytest.raises(ValueError, match="Unknown permission"):
        access.require(act(owner, nutmeg), "audit.veiw")


def test_two_factor_applies_to_the_roles_that_see_sensitive_fields_or_export():
    assert access.roles_requiring_two_factor() == {Role.OWNER, Role.ADMIN, Role.DATA}

"""Merging two records of one person carries the merged record's own dues to the survivor
(identity's merge moves them like every other fact), audited, and undo moves them back."""

import pytest

from powerbase.core.models import AuditEntry
from powerbase.identity import services as identity
from powerbase.money import services
from powerbase.money.models import MemberDues
from tests.conftest import add_member


@pytest.fixture
def maria_again(nutmeg, tenant_union):
    """A second record of María, from another list of the tenant union's."""
    return add_member(nutmeg, tenant_union, "Maria", "Gonzalez")


def test_a_merge_moves_the_merged_records_dues_to_the_survivor(
    treasurer, maria, maria_again, tenant_union
):
    dues = services.record_member_dues(
        actor=treasurer,
        person=maria_again,
        affiliate=None,
        status="current",
        method="card",
        amount_cents=1500,
    )
    merge = identity.merge_people(actor=treasurer, survivor=maria, merged=maria_again)
    dues.refresh_from_db()
    assert dues.person == maria
    entry = AuditEntry.objects.get(action="person.merged")
    assert "money.MemberDues.person_id: 1" in entry.changes["moved"][1]
    identity.undo_merge(actor=treasurer, merge=merge)
    dues.refresh_from_db()
    assert dues.person == maria_again


def test_dues_to_an_affiliate_the_survivor_already_pays_stay_on_the_merged_record(
    treasurer, maria, maria_again, tenant_union
):
    kept = services.record_member_dues(
        actor=treasurer, person=maria, affiliate=tenant_union, status="current"
    )
    other = services.record_member_dues(
        actor=treasurer, person=maria_again, affiliate=tenant_union, status="in_arrears"
    )
    identity.merge_people(actor=treasurer, survivor=maria, merged=maria_again)
    assert MemberDues.objects.get(pk=kept.pk).person == maria
    assert MemberDues.objects.get(pk=other.pk).person == maria_again

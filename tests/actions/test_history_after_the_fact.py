"""Turnout recorded after the fact: a paper sign-in sheet typed in later, or the demo's history.

Dated in the past, credited as a check-in is, checked as the single writes are, and audited
once for the batch.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import Attendance, Commitment, Rsvp
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from tests.actions.conftest import hold
from tests.conftest import act


def test_a_sign_in_sheet_typed_in_later_is_dated_when_they_came_and_credited(
    organizing, rally, maria, rosa, tenant_union
):
    held = hold(rally, days_ago=3)
    new = services.record_attendances_in_bulk(
        actor=organizing,
        action=held,
        people=[maria, rosa],
        at=held.starts_at,
        how="paper sign-in sheet",
        recruited_by={maria.pk: rosa},
    )
    assert new == 2
    came = Attendance.objects.get(action=held, person=maria)
    assert came.checked_in_at == held.starts_at
    assert (came.recruited_by, came.credited_affiliate) == (rosa, tenant_union)
    entries = AuditEntry.objects.filter(action__startswith="attendance.")
    assert [entry.action for entry in entries] == ["attendance.bulk_recorded"]


def test_someone_already_checked_in_keeps_their_check_in(organizing, rally, maria):
    services.check_in(actor=organizing, action=rally, person=maria)
    new = services.record_attendances_in_bulk(
        actor=organizing, action=rally, people=[maria], at=timezone.now(), how="sheet"
    )
    assert new == 0 and Attendance.objects.filter(action=rally).count() == 1


def test_turnout_dated_in_the_future_is_refused_and_nothing_written(organizing, rally, maria):
    with pytest.raises(InvalidInput, match="in the future"):
        services.record_attendances_in_bulk(
            actor=organizing,
            action=rally,
            people=[maria],
            at=timezone.now() + timedelta(days=1),
            how="sheet",
        )
    with pytest.raises(InvalidInput, match="in the future"):
        services.record_rsvps_in_bulk(
            actor=organizing,
            action=rally,
            people=[maria],
            how="sheet",
            at=timezone.now() + timedelta(days=1),
        )
    assert not Attendance.objects.exists() and not Rsvp.objects.exists()


def test_a_role_that_may_not_check_in_may_not_record_turnout_either(viewer, nutmeg, rally, maria):
    with pytest.raises(PermissionDenied):
        services.record_attendances_in_bulk(
            actor=act(viewer, nutmeg), action=rally, people=[maria], at=timezone.now(), how="x"
        )


def test_past_rsvps_are_dated_and_audited_once_for_the_batch(organizing, rally, maria, rosa):
    at = timezone.now() - timedelta(days=5)
    services.record_rsvps_in_bulk(
        actor=organizing,
        action=rally,
        people=[maria],
        how="phone bank tally",
        recruited_by={maria.pk: rosa},
        at=at,
    )
    rsvp = Rsvp.objects.get(action=rally, person=maria)
    assert (rsvp.created_at, rsvp.recruited_by) == (at, rosa)
    assert not AuditEntry.objects.filter(action="rsvp.created").exists()
    assert AuditEntry.objects.filter(action="rsvp.bulk_created").count() == 1


def test_a_commitments_history_keeps_each_raise_with_its_date(organizing, rally, tenant_union):
    held = hold(rally, days_ago=1)
    first, then = held.starts_at - timedelta(days=10), held.starts_at - timedelta(days=3)
    commitment = services.record_commitment_history(
        actor=organizing, action=held, affiliate=tenant_union, numbers=[(15, first), (20, then)]
    )
    assert (commitment.number, commitment.updated_at) == (20, then)
    history = commitment.changes.order_by("changed_at")
    assert [(c.number_before, c.number_after, c.changed_at) for c in history] == [
        (None, 15, first),
        (15, 20, then),
    ]


def test_a_commitments_history_is_refused_out_of_order_negative_or_twice(
    organizing, rally, tenant_union
):
    now = timezone.now()
    with pytest.raises(InvalidInput, match="in the order"):
        services.record_commitment_history(
            actor=organizing,
            action=rally,
            affiliate=tenant_union,
            numbers=[(5, now - timedelta(days=1)), (8, now - timedelta(days=2))],
        )
    with pytest.raises(InvalidInput, match="less than none"):
        services.record_commitment_history(
            actor=organizing, action=rally, affiliate=tenant_union, numbers=[(-1, now)]
        )
    services.record_commitment_history(
        actor=organizing, action=rally, affiliate=tenant_union, numbers=[(5, now)]
    )
    with pytest.raises(Conflict):
        services.record_commitment_history(
            actor=organizing, action=rally, affiliate=tenant_union, numbers=[(6, now)]
        )
    assert Commitment.objects.get(action=rally).number == 5

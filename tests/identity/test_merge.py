"""Merging two people keeps every fact with its source; undo puts everything back exactly."""

import datetime

import pytest

from powerbase.coalition.models import AffiliateMembership
from powerbase.core.exceptions import Conflict, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.identity import services
from powerbase.identity.merging import MOVABLE
from powerbase.identity.models import Merge, VoterLink
from powerbase.people.models import (
    CustomField,
    CustomValue,
    EmailAddress,
    Note,
    Person,
    PersonChange,
    PersonTag,
    PhoneNumber,
    PostalAddress,
    Tag,
)


def snapshot(*people: Person) -> dict:
    """Every row that points at these people, and their own fields, to compare before/after."""
    ids = [person.pk for person in people]
    rows = {}
    for movable in MOVABLE:
        manager = movable.manager()
        rows[movable.key] = sorted(
            (row["id"], row[movable.field], row.get("source_id"), row.get("is_primary"))
            for row in manager.filter(**{f"{movable.field}__in": ids}).values()
        )
    fields = [
        f.attname
        for f in Person._meta.concrete_fields
        if f.attname not in ("updated_at", "version")
    ]
    rows["people"] = sorted(Person.objects.filter(pk__in=ids).values_list(*fields))
    return rows


@pytest.fixture
def pair_of_marias(base, data_director, teachers_union):
    """María's second record carries facts of its own: a tag, a note, a phone, a membership."""
    maria, again = base["maria"], base["maria_again"]
    tag = Tag.objects.create(organization=maria.organization, name="building captain")
    PersonTag.objects.create(
        organization=maria.organization, person=again, tag=tag, source=again.source
    )
    Note.objects.create(
        organization=maria.organization,
        person=again,
        source=again.source,
        body="Asked about the rent strike.",
    )
    PhoneNumber.objects.create(
        organization=maria.organization,
        person=again,
        source=again.source,
        e164="+12035550999",
        digits_reversed="9990550302",
        is_primary=True,
    )
    PhoneNumber.objects.filter(person=maria).update(is_primary=True)
    building = CustomField.objects.create(
        organization=maria.organization, name="Building", key="building"
    )
    CustomValue.objects.create(
        organization=maria.organization,
        person=again,
        field=building,
        value="Park Terrace",
        source=again.source,
    )
    again.preferred_name = "Mari"
    again.save()
    return maria, again


def test_a_merge_moves_every_fact_to_the_survivor_with_its_source(pair_of_marias, data_director):
    maria, again = pair_of_marias
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)

    again.refresh_from_db()
    maria.refresh_from_db()
    assert again.merged_into == maria
    phone = PhoneNumber.objects.get(e164="+12035550999")
    assert phone.person == maria and phone.source == again.source
    assert not phone.is_primary  # María's own phone stays her primary one
    assert PersonTag.objects.get(tag__name="building captain").person == maria
    # Note bodies are encrypted at rest, so they are compared in Python, not in SQL.
    [note] = [n for n in Note.objects.all() if n.body.startswith("Asked")]
    assert note.person == maria
    memberships = AffiliateMembership.objects.filter(person=maria)
    assert {m.affiliate.name for m in memberships} == {
        "Quinnipiac Tenants Union",
        "Educators Local 12",
    }
    assert {m.source for m in memberships} == {maria.source, again.source}
    assert PostalAddress.objects.filter(person=maria).count() == 2
    value = CustomValue.objects.get(field__key="building")
    assert (value.person, value.source, value.value) == (maria, again.source, "Park Terrace")
    # Her preferred name was empty: the merge filled it from the other record.
    assert maria.preferred_name == "Mari"
    assert merge.survivor_before == {"preferred_name": ""}


def test_a_fact_the_survivor_already_has_stays_on_the_merged_record(pair_of_marias, data_director):
    maria, again = pair_of_marias
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    # Both records had maria@tenants.example: the survivor keeps hers, the merged record
    # keeps its own copy and its source, and the merge lists the pair.
    kept = EmailAddress.objects.get(person=again)
    assert kept.address == "maria@tenants.example"
    assert merge.duplicates["people.EmailAddress.person_id"] == [
        [kept.pk, EmailAddress.objects.get(person=maria).pk]
    ]


def test_a_membership_of_the_same_affiliate_stays_with_its_source(
    pair_of_marias, data_director, tenant_union
):
    maria, again = pair_of_marias
    second = AffiliateMembership.objects.create(
        organization=maria.organization, person=again, affiliate=tenant_union, source=again.source
    )
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    second.refresh_from_db()
    assert second.person == again  # María's own membership of the union stays hers
    assert [
        second.pk,
        AffiliateMembership.objects.get(person=maria, affiliate=tenant_union).pk,
    ] in merge.duplicates["coalition.AffiliateMembership.person_id"]


def test_undo_restores_both_records_exactly(pair_of_marias, data_director):
    maria, again = pair_of_marias
    VoterLink.objects.create(organization=maria.organization, person=again, voter_id="CT000001")
    before = snapshot(maria, again)
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    assert VoterLink.objects.get(voter_id="CT000001").person == maria
    assert snapshot(maria, again) != before

    services.undo_merge(actor=data_director, merge=merge)
    assert snapshot(maria, again) == before
    merge.refresh_from_db()
    assert merge.undone_by == data_director.user


def test_merges_and_undos_are_audited(pair_of_marias, data_director):
    maria, again = pair_of_marias
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    services.undo_merge(actor=data_director, merge=merge)
    merged, undone = (
        AuditEntry.objects.get(action=action, object_id=str(merge.pk))
        for action in ("person.merged", "person.merge_undone")
    )
    assert merged.actor == undone.actor == data_director.user
    assert merged.changes["survivor"] == [None, maria.pk]
    assert "people.Note.person_id: 1" in merged.changes["moved"][1]


def test_an_undone_merge_cannot_be_undone_twice(pair_of_marias, data_director):
    maria, again = pair_of_marias
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    services.undo_merge(actor=data_director, merge=merge)
    with pytest.raises(Conflict):
        services.undo_merge(actor=data_director, merge=merge)


def test_undo_waits_for_a_later_merge_of_the_survivor_to_be_undone(base, data_director):
    first = services.merge_people(
        actor=data_director, survivor=base["maria"], merged=base["maria_again"]
    )
    services.merge_people(actor=data_director, survivor=base["bill"], merged=base["maria"])
    with pytest.raises(Conflict, match="Undo that merge first"):
        services.undo_merge(actor=data_director, merge=first)


def test_a_merged_away_person_cannot_be_merged_again(base, data_director):
    services.merge_people(actor=data_director, survivor=base["maria"], merged=base["maria_again"])
    with pytest.raises(Conflict, match="already been merged"):
        services.merge_people(
            actor=data_director, survivor=base["bill"], merged=base["maria_again"]
        )


def test_an_organizer_may_not_merge(base, organizer_actor):
    with pytest.raises(PermissionDenied):
        services.merge_people(
            actor=organizer_actor, survivor=base["maria"], merged=base["maria_again"]
        )
    assert not Merge.objects.exists()


def test_the_survivors_history_names_the_merge_and_undo_removes_it(base, data_director):
    maria, again = base["maria"], base["maria_again"]
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    line = PersonChange.objects.get(person=maria, field="merged record")
    assert line.source.kind == "merge"
    services.undo_merge(actor=data_director, merge=merge)
    assert not PersonChange.objects.filter(pk=line.pk).exists()


def test_a_merge_fills_a_missing_birth_date_and_undo_empties_it_again(base, data_director):
    theo, walter = base["theo"], base["walter"]
    merge = services.merge_people(actor=data_director, survivor=theo, merged=walter)
    theo.refresh_from_db()
    assert theo.birth_date == datetime.date(1972, 10, 30)
    services.undo_merge(actor=data_director, merge=merge)
    theo.refresh_from_db()
    assert theo.birth_date is None


def test_links_to_voters_are_made_and_removed_with_an_audit_entry(base, data_director):
    maria = base["maria"]
    link = services.link_voter(actor=data_director, person=maria, voter_id="CT000001")
    assert link.method == VoterLink.Method.MANUAL and link.linked_by == data_director.user
    with pytest.raises(Conflict, match="already linked"):
        services.link_voter(actor=data_director, person=base["bill"], voter_id="CT000001")
    services.unlink_voter(actor=data_director, person=maria)
    assert not VoterLink.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="voter_link.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["voter_link.created", "voter_link.removed"]


def test_undoing_the_import_of_a_merged_record_keeps_the_record(base, data_director, tenant_union):
    """The import that created María's second record is undone after the merge: the merged
    record stays (the merge spoke about it), so the merge can still be undone."""
    from powerbase.imports import services as imports
    from powerbase.imports.models import ImportBatch

    again = base["maria_again"]
    batch = ImportBatch.objects.create(
        organization=again.organization,
        file_name="roster.csv",
        sha256="0" * 64,
        size=1,
        status=ImportBatch.Status.COMMITTED,
        source=again.source,
    )
    merge = services.merge_people(actor=data_director, survivor=base["maria"], merged=again)
    imports.undo(actor=data_director, batch=batch)
    assert Person.objects.filter(pk=again.pk).exists()
    services.undo_merge(actor=data_director, merge=merge)


def test_attendance_moves_unless_both_records_were_checked_in_at_the_same_action(
    base, data_director, organizer_actor
):
    from datetime import timedelta

    from django.utils import timezone

    from powerbase.actions import services as actions
    from powerbase.actions.models import Attendance

    maria, again = base["maria"], base["maria_again"]
    rally, march = (
        actions.create_action(
            actor=organizer_actor, title=title, starts_at=timezone.now() + timedelta(days=1)
        )
        for title in ("Rally", "March")
    )
    both = [
        Attendance.objects.create(organization=maria.organization, action=rally, person=person)
        for person in (maria, again)
    ]
    moved = Attendance.objects.create(organization=maria.organization, action=march, person=again)
    merge = services.merge_people(actor=data_director, survivor=maria, merged=again)
    moved.refresh_from_db()
    both[1].refresh_from_db()
    assert moved.person == maria and both[1].person == again
    services.undo_merge(actor=data_director, merge=merge)
    moved.refresh_from_db()
    assert moved.person == again

"""Commitments with history, check-in once per person, undo, walk-ins and one-on-ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.actions import queries, services
from powerbase.actions.models import Attendance, CommitmentChange, OneOnOne
from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.people.models import Person, Source
from tests.actions.conftest import hold
from tests.conftest import add_member


def test_a_commitment_keeps_every_change_with_who_made_it(organizing, rally, tenant_union):
    services.set_commitment(actor=organizing, action=rally, affiliate=tenant_union, number=40)
    commitment = services.set_commitment(
        actor=organizing, action=rally, affiliate=tenant_union, number=55
    )
    assert commitment.number == 55
    history = list(
        CommitmentChange.objects.filter(commitment=commitment)
        .order_by("changed_at", "id")
        .values_list("number_before", "number_after")
    )
    assert history == [(None, 40), (40, 55)]
    assert rally.commitments.count() == 1
    assert AuditEntry.objects.filter(action="commitment.changed").count() == 1


def test_commitments_close_when_the_action_starts(organizing, rally, tenant_union):
    hold(rally)
    with pytest.raises(Conflict, match="closed when it started"):
        services.set_commitment(actor=organizing, action=rally, affiliate=tenant_union, number=10)


def test_a_leaders_commitment_carries_their_affiliate(organizing, rally, rosa, tenant_union):
    commitment = services.set_commitment(actor=organizing, action=rally, leader=rosa, number=8)
    assert commitment.affiliate == tenant_union
    assert str(commitment) == "Rosa Quintero brings 8"


def test_an_affiliate_lead_commits_for_their_own_affiliate_only(
    leading_affiliate, rally, tenant_union, teachers_union
):
    commitment = services.set_commitment(
        actor=leading_affiliate, action=rally, affiliate=tenant_union, number=30
    )
    assert commitment.number == 30
    with pytest.raises(PermissionDenied):
        services.set_commitment(
            actor=leading_affiliate, action=rally, affiliate=teachers_union, number=30
        )


def test_a_second_check_in_does_not_count_twice(organizing, rally, maria):
    _, first = services.check_in(actor=organizing, action=rally, person=maria)
    _, second = services.check_in(actor=organizing, action=rally, person=maria)
    assert (first, second) == (True, False)
    assert Attendance.objects.filter(action=rally).count() == 1


def test_check_in_credits_whoever_recruited_the_rsvp(organizing, rally, rosa, walter, tenant_union):
    services.record_rsvp(
        actor=organizing,
        action=rally,
        person=walter,
        credit=services.Credit(recruited_by=rosa, affiliate=tenant_union),
    )
    attendance, _ = services.check_in(actor=organizing, action=rally, person=walter)
    assert attendance.recruited_by == rosa
    assert attendance.credited_affiliate == tenant_union


def test_without_a_recruiter_the_turnout_counts_for_the_persons_own_affiliate(
    organizing, rally, walter, teachers_union
):
    attendance, _ = services.check_in(actor=organizing, action=rally, person=walter)
    assert attendance.credited_affiliate == teachers_union
    assert attendance.recruited_by is None


def test_undoing_a_check_in_removes_it_and_keeps_the_record_in_the_audit_log(
    organizing, rally, maria
):
    attendance, _ = services.check_in(actor=organizing, action=rally, person=maria)
    services.undo_check_in(actor=organizing, attendance=attendance)
    assert not Attendance.objects.filter(action=rally).exists()
    assert AuditEntry.objects.filter(
        action="attendance.undone", object_id=str(attendance.pk)
    ).exists()
    _, created = services.check_in(actor=organizing, action=rally, person=maria)
    assert created


def test_a_viewer_cannot_check_anyone_in(viewer, nutmeg, rally, maria):
    from tests.conftest import act

    with pytest.raises(PermissionDenied):
        services.check_in(actor=act(viewer, nutmeg), action=rally, person=maria)


def test_a_walk_in_becomes_a_person_with_provenance_and_is_checked_in(leading, rally):
    attendance, created = services.check_in_walk_in(
        actor=leading,
        action=rally,
        walk_in=services.WalkIn(
            name="Ana Lucía Ruiz", phone="+12035550177", email="ana@example.org"
        ),
    )
    person = attendance.person
    assert created and attendance.is_walk_in
    assert (person.given_name, person.family_name) == ("Ana Lucía", "Ruiz")
    assert person.source.kind == Source.Kind.MANUAL
    assert person.source.label == "Walk-in at Rally at the Capitol"
    assert [e.address for e in person.emails.all()] == ["ana@example.org"]
    assert [p.e164 for p in person.phones.all()] == ["+12035550177"]


def test_a_walk_in_typed_in_twice_is_added_once(leading, rally):
    walk_in = services.WalkIn(name="Ana Ruiz", phone="+12035550177")
    services.check_in_walk_in(actor=leading, action=rally, walk_in=walk_in)
    _, created = services.check_in_walk_in(actor=leading, action=rally, walk_in=walk_in)
    assert not created
    assert Person.objects.filter(family_name="Ruiz").count() == 1


def test_a_walk_in_already_in_the_base_is_found_by_email(organizing, rally, walter):
    attendance, _ = services.check_in_walk_in(
        actor=organizing,
        action=rally,
        walk_in=services.WalkIn(name="Walt Okonkwo-Hill", email="WALTER@teachers.example"),
    )
    assert attendance.person == walter


def test_a_walk_in_does_not_reveal_whose_unshared_email_it_is(organizing, rally, maria):
    """The tenant union shares no contact details: a typed email must not find María."""
    attendance, _ = services.check_in_walk_in(
        actor=organizing,
        action=rally,
        walk_in=services.WalkIn(name="Someone Else", email="maria@tenants.example"),
    )
    assert attendance.person != maria


def test_check_in_search_finds_two_letters_of_a_name_and_phone_digits(
    organizing, rally, maria, walter, nutmeg
):
    add_member(nutmeg, None, "Marcus", "Webb", direct=True)
    services.record_rsvp(actor=organizing, action=rally, person=walter)
    by_name = queries.check_in_search(organizing, rally, "ma")
    assert [c.person.display_name for c in by_name] == ["María Gonzalez", "Marcus Webb"]
    by_phone = queries.check_in_search(organizing, rally, "0188")
    assert [(c.person, c.has_rsvp) for c in by_phone] == [(walter, True)]
    assert queries.check_in_search(organizing, rally, "m") == []


def test_rsvps_come_first_in_check_in_search(organizing, rally, nutmeg, tenant_union):
    add_member(nutmeg, tenant_union, "Ana", "Abbott")
    zed = add_member(nutmeg, tenant_union, "Ana", "Zapata")
    services.record_rsvp(actor=organizing, action=rally, person=zed)
    found = queries.check_in_search(organizing, rally, "ana")
    assert [c.person.family_name for c in found] == ["Zapata", "Abbott"]


def test_a_leader_logs_a_one_on_one_and_sees_the_follow_up_when_due(
    leading, organizing, maria, walter
):
    today = timezone.localdate()
    services.log_one_on_one(
        actor=leading,
        person=maria,
        held_on=today - timedelta(days=7),
        self_interest="Her rent went up 30%.",
        commitment="Bring two neighbours to the rally",
        follow_up_on=today,
    )
    services.log_one_on_one(
        actor=leading, person=walter, held_on=today, follow_up_on=today + timedelta(days=7)
    )
    services.log_one_on_one(actor=organizing, person=walter, held_on=today, follow_up_on=today)
    due = list(queries.follow_ups_due(leading))
    assert [m.person for m in due] == [maria]
    assert queries.one_on_ones(leading).count() == 2
    assert queries.one_on_ones(organizing).count() == 3
    services.finish_follow_up(actor=leading, meeting=due[0])
    assert not queries.follow_ups_due(leading).exists()


def test_a_one_on_one_cannot_be_logged_ahead_of_time(leading, maria):
    with pytest.raises(InvalidInput, match="in the future"):
        services.log_one_on_one(
            actor=leading, person=maria, held_on=timezone.localdate() + timedelta(days=1)
        )
    assert not OneOnOne.objects.exists()


def test_the_audit_log_keeps_that_a_one_on_one_was_logged_but_not_its_self_interest(leading, maria):
    services.log_one_on_one(
        actor=leading,
        person=maria,
        held_on=timezone.localdate(),
        self_interest="Worried about her immigration case.",
    )
    entry = AuditEntry.objects.get(action="one_on_one.logged")
    assert "immigration" not in str(entry.changes)


def test_check_in_search_with_several_words_matches_each_name_part(
    organizing, rally, nutmeg, tenant_union
):
    add_member(nutmeg, tenant_union, "Maria Elena", "Gonzalez")
    add_member(nutmeg, tenant_union, "Mario", "Gomez")
    for query in ("maria gon", "maria elena g", "gonzalez maria"):
        found = queries.check_in_search(organizing, rally, query)
        assert [c.person.display_name for c in found] == ["Maria Elena Gonzalez"], query

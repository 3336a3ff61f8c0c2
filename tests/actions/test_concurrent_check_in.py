"""Several volunteers at the door tapping at once: one attendance, one new walk-in.

Real threads, each with its own database connection, on SQLite and on PostgreSQL. A barrier
releases them together so their transactions overlap.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from powerbase.actions import services
from powerbase.actions.models import Action, Attendance
from powerbase.core.models import AuditEntry, Role
from powerbase.people.models import Person
from tests.conftest import act, add_member, make_user

VOLUNTEERS = 6


@pytest.fixture
def door(transactional_db, nutmeg, tenant_union):
    """An action, its volunteers (each their own account) and a member arriving."""
    volunteers = [
        act(make_user(nutmeg, Role.ORGANIZER, email=f"door{n}@nutmeg.example"), nutmeg)
        for n in range(VOLUNTEERS)
    ]
    action = services.create_action(
        actor=volunteers[0], title="Assembly", starts_at=timezone.now() + timedelta(hours=1)
    )
    person = add_member(nutmeg, tenant_union, "Imani", "Coleman")
    return action, volunteers, person


def run_together(work, arguments) -> list:
    """Run work(argument) in one thread per argument, released at the same moment."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def worker(argument):
        try:
            barrier.wait()
            results.append(work(argument))
        except Exception as error:  # surfaced below, with the thread's own error
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_simultaneous_check_ins_of_one_person_make_one_attendance(door):
    action, volunteers, person = door
    results = run_together(
        lambda actor: services.check_in(actor=actor, action=action, person=person)[1], volunteers
    )
    assert sorted(results) == [False] * (VOLUNTEERS - 1) + [True]
    assert Attendance.objects.filter(action=action, person=person).count() == 1
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1


def test_simultaneous_walk_ins_of_one_person_add_them_once(door):
    action, volunteers, _ = door
    walk_in = services.WalkIn(name="Kwame Mensah", phone="+12035550199")
    results = run_together(
        lambda actor: services.check_in_walk_in(actor=actor, action=action, walk_in=walk_in)[1],
        volunteers,
    )
    assert results.count(True) == 1
    assert Person.objects.filter(family_name="Mensah").count() == 1
    assert Attendance.objects.filter(action=action).count() == 1


def test_the_database_itself_refuses_a_second_attendance(door):
    """The guarantee does not rest on the service alone: the table has a unique constraint."""
    from django.db import IntegrityError, transaction

    action, volunteers, person = door
    services.check_in(actor=volunteers[0], action=action, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(organization=action.organization, action=action, person=person)
    assert connection.vendor in {"sqlite", "postgresql"}
    assert Action.objects.count() == 1

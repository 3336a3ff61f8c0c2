"""One email, one new person, even when 21 people add the same person at the same moment.

Real threads, each with its own connection, released together by a barrier, against the
suite's database (a SQLite file, or PostgreSQL). The audit log's hash chain must come out
whole too: every thread appends to the same organization's chain.
"""

import threading

import pytest
from django.db import connection

from powerbase.core import audit_chain
from powerbase.core.exceptions import Conflict
from powerbase.people import services
from powerbase.people.models import EmailAddress, Person
from tests.conftest import act

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 21
EMAIL = "Ana.Quinones@Example.org"


def at_once(work) -> list[str]:
    """Run *work(n)* in THREADS threads started together; return what each got."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(n))
        except Conflict:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - shown in the failure below
            outcomes.append(f"error: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_21_organizers_adding_one_email_at_once_make_one_person(owner, nutmeg):
    actor = act(owner, nutmeg)

    def create(n: int) -> str:
        details = services.PersonDetails(given_name="Ana", family_name=f"Quiñones {n}")
        services.create_person(actor=actor, details=details, email=EMAIL)
        return "created"

    outcomes = at_once(create)
    assert sorted(outcomes) == ["created"] + ["refused"] * (THREADS - 1), outcomes
    assert Person.objects.filter(emails__address=EMAIL.lower()).count() == 1
    assert Person.objects.filter(organization=nutmeg).count() == 1
    assert audit_chain.verify()[1] == []


def test_21_sign_ups_with_one_email_at_once_are_one_person(nutmeg):
    source = services.create_source(organization=nutmeg, kind="form", label="Sign-up page")

    def sign_up(n: int) -> str:
        details = services.PersonDetails(given_name="Ana", family_name="Quiñones")
        return str(
            services.register_person(
                organization=nutmeg, source=source, details=details, email=EMAIL
            ).pk
        )

    outcomes = at_once(sign_up)
    assert Person.objects.filter(organization=nutmeg).count() == 1
    assert outcomes == [str(Person.objects.get().pk)] * THREADS
    assert audit_chain.verify()[1] == []


def test_adding_someone_whose_email_is_taken_is_refused_without_naming_who(owner, nutmeg, maria):
    with pytest.raises(Conflict) as refused:
        services.create_person(
            actor=act(owner, nutmeg),
            email="Maria@Tenants.example",
            details=services.PersonDetails(given_name="M.", family_name="G"),
        )
    assert "already has the email address maria@tenants.example" in refused.value.message
    assert "María" not in refused.value.message and "Gonzalez" not in refused.value.message
    assert Person.objects.filter(organization=nutmeg).count() == 1


def test_a_household_may_still_share_an_address_added_on_purpose(owner, nutmeg, maria, walter):
    services.add_email(actor=act(owner, nutmeg), person=walter, address="maria@tenants.example")
    assert EmailAddress.objects.filter(address="maria@tenants.example").count() == 2

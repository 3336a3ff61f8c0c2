"""Fixtures for identity: a small fictional town's voter file and people crafted to match it.

Every name, birth date, address, phone and email here is invented. The town has 400 voters
(tests/identity/fixtures/town, generic layout); the people below are the cases each test is
about: María, on two affiliates' lists; Bill, known to the voter file as William; Rosalind,
whose birth day and month a roster swapped; Walter and his son Theo, who share an email and
a phone and are two people.
"""

import datetime
from pathlib import Path

import pytest
from django.db import transaction

from powerbase.core import access, jobs
from powerbase.core.access import actor_for
from powerbase.core.models import Job, Role
from powerbase.people.models import PostalAddress
from powerbase.voterfile import services as voterfile_services
from tests.conftest import add_member

FIXTURES = Path(__file__).parent / "fixtures"
TOWN_FILES = ("town/town_voters.csv", "town/town_history.csv")


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir):
    """Every test here reads or writes a voter file: each in a folder of its own."""


@pytest.fixture
def data_director(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.DATA], nutmeg.slug)


@pytest.fixture
def organizer_actor(users_by_role, nutmeg):
    return actor_for(users_by_role[Role.ORGANIZER], nutmeg.slug)


def run_job(job: Job) -> Job:
    """Run *job* here as the worker would, and reload it."""
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    return job


def import_town(organization) -> None:
    """Import the town's voter file as the organization's version in use."""
    with transaction.atomic():
        job = voterfile_services.start_import(
            actor=access.command_line(organization),
            paths=[FIXTURES / name for name in TOWN_FILES],
            layout="generic",
        )
    job = run_job(job)
    assert job.status == Job.Status.SUCCEEDED, job.error


@pytest.fixture
def town(nutmeg):
    import_town(nutmeg)
    return nutmeg


def add_address(person, line1: str, zip_code: str, city: str = "New Haven"):
    return PostalAddress.objects.create(
        organization=person.organization,
        person=person,
        source=person.source,
        original=f"{line1}, {city}, CT {zip_code}",
        line1=line1,
        city=city,
        state="CT",
        zip_code=zip_code,
        is_normalized=True,
        is_primary=True,
    )


@pytest.fixture
def base(nutmeg, tenant_union, teachers_union, maria):
    """The crafted people, by name."""
    maria.birth_date = datetime.date(1984, 3, 14)
    maria.save()
    add_address(maria, "12 Elm Street", "06511")
    maria_again = add_member(
        nutmeg,
        teachers_union,
        "Maria",
        "Gonzalez",
        email="maria@tenants.example",
        birth_date=maria.birth_date,
    )
    add_address(maria_again, "12 Elm St", "06511")
    bill = add_member(
        nutmeg,
        tenant_union,
        "Bill",
        "Ochoa",
        phone="+12035550109",
        birth_date=datetime.date(1966, 5, 5),
    )
    add_address(bill, "1 Main St", "06514")
    william = add_member(
        nutmeg, teachers_union, "William", "Ochoa", birth_date=datetime.date(1966, 5, 5)
    )
    rosalind = add_member(
        nutmeg, tenant_union, "Rosalind", "Thistlewood", birth_date=datetime.date(1983, 7, 4)
    )
    add_address(rosalind, "48 Beacon Avenue", "06517", city="Hamden")
    walter = add_member(
        nutmeg,
        teachers_union,
        "Walter",
        "Okonkwo-Hill",
        email="okonkwo.home@example.org",
        phone="+12035550147",
        birth_date=datetime.date(1972, 10, 30),
    )
    theo = add_member(
        nutmeg,
        teachers_union,
        "Theo",
        "Okonkwo-Hill",
        email="okonkwo.home@example.org",
        phone="+12035550147",
    )
    return {
        "maria": maria,
        "maria_again": maria_again,
        "bill": bill,
        "william": william,
        "rosalind": rosalind,
        "walter": walter,
        "theo": theo,
    }

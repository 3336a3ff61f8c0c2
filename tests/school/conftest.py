"""Fixtures for the Democracy School: Nutmeg's spring cohort, with María (tenant union) and
Walter (teachers' union) nominated, and four sessions on the calendar."""

import datetime

import pytest
from django.utils import timezone

from powerbase.school import services
from tests.conftest import act


@pytest.fixture
def staff(organizer, nutmeg):
    """Nutmeg's organizer, who runs the school."""
    return act(organizer, nutmeg)


@pytest.fixture
def lead(affiliate_lead, nutmeg):
    """The tenant union's affiliate lead."""
    return act(affiliate_lead, nutmeg)


@pytest.fixture
def program(staff):
    program = services.create_program(actor=staff, name="Democracy School")
    module = services.add_module(
        actor=staff,
        program=program,
        title="Power and self-interest",
        learning_goals="Name who holds power over rent\nTell your story in two minutes",
    )
    services.add_module(actor=staff, program=program, title="One-on-ones")
    services.add_material(
        actor=staff, module=module, title="Power map worksheet", url="https://example.org/map"
    )
    return program


@pytest.fixture
def cohort(staff, program):
    today = timezone.localdate()
    return services.create_cohort(
        actor=staff,
        program=program,
        name="Spring, Hartford",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        place="Union hall, 77 Main St",
    )


@pytest.fixture
def sessions(staff, cohort, program):
    """Four weekly sessions, the first three already held."""
    now = timezone.now()
    modules = list(program.modules.all())
    return [
        services.add_session(
            actor=staff,
            cohort=cohort,
            starts_at=now + datetime.timedelta(days=7 * (week - 3)),
            module=modules[week % 2],
        )
        for week in range(4)
    ]


@pytest.fixture
def maria_in(staff, cohort, maria, tenant_union):
    return services.nominate(actor=staff, cohort=cohort, person=maria, affiliate=tenant_union)


@pytest.fixture
def walter_in(staff, cohort, walter, teachers_union):
    return services.nominate(actor=staff, cohort=cohort, person=walter, affiliate=teachers_union)

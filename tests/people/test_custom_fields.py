"""An organization's own fields: typed, set on a person's page, fed by an import column."""

import pytest
from django.urls import reverse

from powerbase.core.exceptions import Conflict, InvalidInput, PermissionDenied
from powerbase.core.models import Job
from powerbase.imports import services as imports
from powerbase.people import services
from powerbase.people.models import CustomField, CustomValue, Person
from tests.conftest import act
from tests.imports.conftest import csv_bytes


@pytest.fixture
def shift(users_by_role, nutmeg):
    return services.define_custom_field(
        actor=act(users_by_role["data"], nutmeg),
        name="Shift",
        kind="choice",
        choices=["Days", "Nights", "Weekends"],
    )


@pytest.fixture
def seniority(users_by_role, nutmeg):
    return services.define_custom_field(
        actor=act(users_by_role["data"], nutmeg), name="Years on the job", kind="number"
    )


def test_a_data_director_defines_fields_and_an_organizer_may_not(users_by_role, nutmeg, shift):
    assert (shift.key, shift.kind) == ("shift", "choice")
    with pytest.raises(PermissionDenied):
        services.define_custom_field(
            actor=act(users_by_role["organizer"], nutmeg), name="Shoe size", kind="number"
        )
    with pytest.raises(Conflict):
        services.define_custom_field(
            actor=act(users_by_role["data"], nutmeg), name="shift", kind="text"
        )
    with pytest.raises(InvalidInput, match="needs its choices"):
        services.define_custom_field(
            actor=act(users_by_role["data"], nutmeg), name="Floor", kind="choice"
        )


@pytest.mark.parametrize(("raw", "stored"), [("nights", "Nights"), ("WEEKENDS", "Weekends")])
def test_a_choice_is_stored_as_the_field_spells_it(owner, nutmeg, walter, shift, raw, stored):
    services.set_custom_value(actor=act(owner, nutmeg), person=walter, field=shift, value=raw)
    assert CustomValue.objects.get(person=walter, field=shift).value == stored


def test_a_value_that_does_not_fit_is_refused_with_the_field_named(
    owner, nutmeg, walter, shift, seniority
):
    with pytest.raises(InvalidInput, match="Shift: 'Evenings' is not one of the choices"):
        services.set_custom_value(
            actor=act(owner, nutmeg), person=walter, field=shift, value="Evenings"
        )
    with pytest.raises(InvalidInput, match="Years on the job: 'ten' is not a number"):
        services.set_custom_value(
            actor=act(owner, nutmeg), person=walter, field=seniority, value="ten"
        )


def test_setting_and_clearing_a_value_goes_into_the_history(
    client, owner, nutmeg, walter, seniority
):
    client.force_login(owner)
    url = reverse("people:person_custom_value", kwargs={"org": nutmeg.slug, "person_id": walter.pk})
    client.post(url, {"field": seniority.pk, "value": "12.0"})
    assert CustomValue.objects.get(person=walter).value == "12"
    client.post(url, {"field": seniority.pk, "value": ""})
    assert not CustomValue.objects.filter(person=walter).exists()
    assert walter.changes.filter(field="Years on the job").count() == 2
    page = client.get(reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": walter.pk}))
    assert b"Years on the job" in page.content


def test_an_import_column_feeds_a_field_and_a_bad_value_is_left_out(
    users_by_role, nutmeg, tenant_union, shift
):
    from powerbase.core import jobs

    data = act(users_by_role["data"], nutmeg)
    rows = [
        ["First", "Last", "Email", "Shift"],
        ["Ana", "Q", "ana@example.org", "days"],
        ["Bo", "R", "bo@example.org", "Evenings"],
        ["Cy", "S", "cy@example.org", ""],
    ]
    batch = imports.upload(
        actor=data, file_name="shifts.csv", content=csv_bytes(rows), affiliate=tenant_union
    )
    imports.set_mapping(
        actor=data, batch=batch, mapping={**batch.mapping, "Shift": f"custom:{shift.key}"}
    )
    jobs.execute(imports.start_check(actor=data, batch=batch, enqueue=False).pk)
    batch.refresh_from_db()
    assert batch.counts == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    problem = batch.problems.get()
    assert (problem.row, problem.column, problem.severity) == (3, "Shift", "warning")
    commit = imports.start_commit(actor=data, batch=batch, enqueue=False)
    jobs.execute(commit.pk)
    commit.refresh_from_db()
    assert commit.status == Job.Status.SUCCEEDED
    assert CustomValue.objects.get(person=Person.objects.get(given_name="Ana")).value == "Days"


def test_mapping_a_column_to_a_field_the_organization_lacks_is_refused(users_by_role, nutmeg):
    data = act(users_by_role["data"], nutmeg)
    batch = imports.upload(
        actor=data,
        file_name="x.csv",
        content=csv_bytes([["First", "Floor"], ["Ana", "3"]]),
        affiliate=None,
    )
    with pytest.raises(InvalidInput, match="does not have: Floor"):
        imports.set_mapping(
            actor=data, batch=batch, mapping={"First": "given_name", "Floor": "custom:floor"}
        )
    assert not CustomField.objects.exists()

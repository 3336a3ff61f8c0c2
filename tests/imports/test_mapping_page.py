"""The mapping page: sample values and what they become, new fields, fixing rows in place."""

import pytest
from django.urls import reverse

from powerbase.core.models import AuditEntry
from powerbase.imports import services
from powerbase.imports.models import ImportBatch
from powerbase.people.models import CustomField, CustomValue, Person, PersonTag
from tests.conftest import act
from tests.imports.conftest import csv_bytes

ROSTER = [
    ["First Name", "Last Name", "Phone", "Shop Steward?", "Dues paid", "Member since"],
    ["Ana", "Price", "203-555-0100", "Yes", "Y", "March 2020"],
    ["Tom", "Chen", "555-01", "No", "No", "2019-05-01"],
    ["", "", "n/a", "Yes", "Yes", ""],
    ["Mei", "Diaz", "860-555-0101", "", "", ""],
]


@pytest.fixture
def data(users_by_role, nutmeg):
    return users_by_role["data"]


@pytest.fixture
def batch(data, nutmeg) -> ImportBatch:
    return services.upload(
        actor=act(data, nutmeg), file_name="roster.csv", content=csv_bytes(ROSTER), affiliate=None
    )


def page_of(client, batch) -> str:
    return client.get(
        reverse("imports:batch", kwargs={"org": batch.organization.slug, "batch_id": batch.pk})
    ).content.decode()


def test_each_column_proposes_a_place_from_its_name_and_its_values(batch):
    assert batch.samples["Phone"] == ["203-555-0100", "555-01", "n/a"]
    assert batch.mapping["Shop Steward?"] == "tag_if_yes"  # its values are yes and no
    assert batch.mapping["Dues paid"] == "new:yesno"
    # The IPO's own list has no affiliate membership to date: a date field of its own.
    assert batch.mapping["Member since"] == "new:date"


def test_the_page_shows_three_values_per_column_and_what_each_becomes(client, data, batch):
    client.force_login(data)
    page = page_of(client, batch)
    assert "<code>203-555-0100</code> → phones +12035550100 (unknown)" in page
    assert (
        '<code>555-01</code> → <span class="warning">left out: &#x27;555-01&#x27; is not a'
    ) in page
    assert "<code>n/a</code> → nothing: read as missing" in page
    assert "<code>Yes</code> → tags Shop Steward" in page
    assert "A new field of your own, named after the column (yes or no)" in page


def test_choosing_another_field_shows_what_the_values_would_become_then(client, data, batch):
    client.force_login(data)
    url = reverse("imports:preview", kwargs={"org": batch.organization.slug, "batch_id": batch.pk})
    phone = batch.header.index("Phone")
    as_notes = client.get(url, {"index": phone, f"column_{phone}": "column_note"})
    assert "<code>555-01</code> → notes Phone: 555-01" in as_notes.content.decode()
    as_nothing = client.get(url, {"index": phone, f"column_{phone}": ""})
    assert "<code>555-01</code> → not imported" in as_nothing.content.decode()


def test_mapping_to_new_fields_creates_them_and_the_import_fills_them(
    client, data, batch, nutmeg, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(data)
    form = {f"column_{n}": batch.mapping[column] or "" for n, column in enumerate(batch.header)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:batch", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}), form
        )
    assert response.status_code == 302
    run_jobs()
    batch.refresh_from_db()
    assert (batch.status, batch.rejected_count) == ("checked", 1)
    dues = CustomField.objects.get(name="Dues paid")
    assert (dues.kind, dues.choices) == ("choice", ["Yes", "No"])
    assert CustomField.objects.get(name="Member since").kind == "date"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}))
    run_jobs()
    ana = Person.objects.get(given_name="Ana")
    values = dict(CustomValue.objects.filter(person=ana).values_list("field__name", "value"))
    assert values == {"Dues paid": "Yes", "Member since": "2020-03-01"}
    assert list(PersonTag.objects.filter(person=ana).values_list("tag__name", flat=True)) == [
        "Shop Steward"
    ]
    assert Person.objects.get(given_name="Tom").phones.count() == 0  # "555-01" left out


def test_a_rejected_row_is_fixed_in_the_browser_and_checked_again(
    client, data, batch, nutmeg, run_jobs, django_capture_on_commit_callbacks
):
    actor = act(data, nutmeg)
    services.set_mapping(
        actor=actor, batch=batch, mapping={**batch.mapping, "Dues paid": None, "Member since": None}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.start_check(actor=actor, batch=batch)
    run_jobs()
    batch.refresh_from_db()
    assert batch.rejected_count == 1
    client.force_login(data)
    page = page_of(client, batch)
    assert page.index("<h2>Columns</h2>") < page.index("Rejected rows and warnings")
    assert "Re-check row" in page
    fix_url = reverse("imports:fix", kwargs={"org": nutmeg.slug, "batch_id": batch.pk})
    response = client.post(
        fix_url, {"row": 4, "column": "First Name", "value": "Rosa"}, follow=True
    )
    assert "Row 4 checked again: it will be imported" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "uploaded" and batch.fixes == {"4": {"First Name": "Rosa"}}
    assert not batch.problems.filter(row=4).exists()
    entry = AuditEntry.objects.get(action="import.cell_fixed")
    assert "Rosa" not in str(entry.changes)
    # The phone of row 3 is fixed too; its warning goes.
    client.post(fix_url, {"row": 3, "column": "Phone", "value": "203-555-0103"})
    assert not batch.problems.filter(row=3).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_check(actor=actor, batch=batch)
    run_jobs()
    batch.refresh_from_db()
    assert (batch.new_count, batch.rejected_count, batch.warning_count) == (4, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_commit(actor=actor, batch=batch)
    run_jobs()
    rosa = Person.objects.get(given_name="Rosa")
    assert rosa.phones.count() == 0
    assert Person.objects.get(given_name="Tom").phones.get().e164 == "+12035550103"


def test_a_fix_names_a_column_the_file_has(client, data, batch, nutmeg):
    client.force_login(data)
    response = client.post(
        reverse("imports:fix", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}),
        {"row": 3, "column": "Shoe size", "value": "9"},
        follow=True,
    )
    assert "This file has no column &#x27;Shoe size&#x27;." in response.content.decode()


def test_the_cli_creates_the_new_fields_a_saved_mapping_asks_for(nutmeg, tmp_path, db):
    import json

    from typer.testing import CliRunner

    from powerbase.cli.main import app

    (tmp_path / "roster.csv").write_bytes(csv_bytes(ROSTER))
    (tmp_path / "mapping.json").write_text(
        json.dumps(
            {
                "First Name": "given_name",
                "Last Name": "family_name",
                "Phone": "phone",
                "Shop Steward?": "tag_if_yes",
                "Dues paid": "new:yesno",
                "Member since": "new:date",
            }
        )
    )
    result = CliRunner().invoke(
        app,
        [
            "import",
            "people",
            str(tmp_path / "roster.csv"),
            "--org",
            nutmeg.slug,
            "--mapping",
            str(tmp_path / "mapping.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Created the field 'Dues paid' (choice)" in result.output
    dues = CustomField.objects.get(organization=nutmeg, name="Dues paid")
    since = CustomField.objects.get(organization=nutmeg, name="Member since")
    assert (dues.kind, dues.choices, since.kind) == ("choice", ["Yes", "No"], "date")
    ana = Person.objects.get(given_name="Ana")
    assert {v.field.name: v.value for v in CustomValue.objects.filter(person=ana)} == {
        "Dues paid": "Yes",
        "Member since": "2020-03-01",
    }
    assert (
        AuditEntry.objects.filter(action="custom_field.created", actor_label="command line").count()
        == 2
    )


def test_the_cli_refuses_an_unknown_kind_of_new_field_and_creates_none(nutmeg, tmp_path, db):
    import json

    from typer.testing import CliRunner

    from powerbase.cli.main import app

    (tmp_path / "roster.csv").write_bytes(csv_bytes(ROSTER))
    (tmp_path / "mapping.json").write_text(
        json.dumps(
            {"First Name": "given_name", "Dues paid": "new:yesno", "Member since": "new:colour"}
        )
    )
    result = CliRunner().invoke(
        app,
        [
            "import",
            "people",
            str(tmp_path / "roster.csv"),
            "--org",
            nutmeg.slug,
            "--mapping",
            str(tmp_path / "mapping.json"),
        ],
    )
    assert result.exit_code == 1
    assert "'Member since' asks for a new field of kind 'colour'" in result.output
    assert not CustomField.objects.filter(organization=nutmeg).exists()

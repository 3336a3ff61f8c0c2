"""Exports: only roles allowed, every one audited, sharing terms kept, formulas defused."""

import io

import openpyxl
from django.urls import reverse

from powerbase.core.models import AuditEntry
from tests.conftest import add_member


def download(client, org, file_format="csv", **params) -> bytes:
    response = client.get(
        reverse("people:export", kwargs={"org": org.slug, "file_format": file_format}), params
    )
    assert response.status_code == 200
    if file_format == "csv":
        return b"".join(response.streaming_content)
    return response.content


def test_an_export_follows_sharing_terms_and_is_audited(client, admin, nutmeg, maria, walter):
    client.force_login(admin)
    text = download(client, nutmeg).decode("utf-8-sig")
    assert "walter@teachers.example" in text  # the teachers' union shares contact
    assert "maria@tenants.example" not in text  # the tenant union does not
    assert "Gonzalez" in text  # names are always shared
    assert "black_or_african_american" in text  # shared demographics, sensitive role
    entry = AuditEntry.objects.get(action="people.exported")
    assert entry.actor == admin and entry.changes["rows"] == 2


def test_a_filtered_export_contains_only_the_filtered_people(
    client, admin, nutmeg, maria, walter, teachers_union
):
    client.force_login(admin)
    text = download(client, nutmeg, affiliate=teachers_union.pk).decode("utf-8-sig")
    assert "Okonkwo-Hill" in text and "Gonzalez" not in text


def test_cells_that_look_like_formulas_are_defused(client, admin, nutmeg, tenant_union):
    add_member(nutmeg, tenant_union, '=HYPERLINK("http://evil.example")', "+Plus")
    client.force_login(admin)
    text = download(client, nutmeg).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Plus" in text
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, nutmeg, "xlsx")))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in values


def test_an_unknown_format_is_not_found(client, admin, nutmeg):
    client.force_login(admin)
    response = client.get(
        reverse("people:export", kwargs={"org": nutmeg.slug, "file_format": "pdf"})
    )
    assert response.status_code == 404


def test_each_persons_facts_stay_on_their_own_row_across_batches(
    client, admin, nutmeg, maria, walter, teachers_union, monkeypatch
):
    import csv

    from powerbase.people import exports

    second = add_member(nutmeg, teachers_union, "Lena", "Ruiz", email="lena@teachers.example")
    monkeypatch.setattr(exports, "BATCH", 2)  # three people: two batches
    client.force_login(admin)
    rows = list(csv.DictReader(io.StringIO(download(client, nutmeg).decode("utf-8-sig"))))
    by_name = {row["family_name"]: row for row in rows}
    assert len(rows) == 3
    assert by_name["Okonkwo-Hill"]["emails"] == "walter@teachers.example"
    assert by_name["Okonkwo-Hill"]["phones"] == "'+18605550188"  # a leading + is defused
    assert by_name["Okonkwo-Hill"]["affiliates"] == teachers_union.name
    assert by_name["Ruiz"]["emails"] == "lena@teachers.example"
    assert by_name["Ruiz"]["phones"] == ""
    assert by_name["Gonzalez"]["emails"] == ""  # the tenant union withholds it
    assert str(second.pk) == by_name["Ruiz"]["id"]

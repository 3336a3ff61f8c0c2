"""Importing lists into the base: check, commit, match, stay idempotent, undo, refuse cleanly."""

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.coalition.models import AffiliateMembership
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import AuditEntry, Job
from powerbase.imports import services
from powerbase.imports.models import ImportBatch
from powerbase.people.models import EmailAddress, Person, PhoneNumber, PostalAddress
from powerbase.people.services import update_person
from tests.conftest import act, add_member
from tests.imports.conftest import csv_bytes

ROSTER = [
    [
        "First Name",
        "Last Name",
        "Email",
        "Cell",
        "Date of Birth",
        "Street",
        "City",
        "Zip",
        "Position",
    ],
    [
        "Ana",
        "Quiñones",
        "ana.q@example.org",
        "(203) 555-0100",
        "1984-03-09",
        "12 Chapel St",
        "New Haven",
        "06511",
        "member",
    ],
    [
        "Darnell",
        "Price",
        "",
        "860-555-0101",
        "04/22/1979",
        "5 Main St",
        "Hartford",
        "06103",
        "steward",
    ],
    ["Mei", "Chen", "mei.chen@example.org", "", "", "77 Park Ave", "Hartford", "06105", ""],
    # Nothing but a broken phone: nothing left says who it is, so the row is rejected.
    ["", "", "", "555-01", "", "", "", "", ""],
    ["Lone", "Name", "", "", "", "9 Oak Rd", "Bristol", "06010", ""],
]


def run(job: Job) -> Job:
    from powerbase.core import jobs

    jobs.execute(job.pk)
    job.refresh_from_db()
    return job


def import_rows(
    actor, organization, rows, *, affiliate=None, name="roster.csv", commit=True
) -> ImportBatch:
    batch = services.upload(
        actor=actor, file_name=name, content=csv_bytes(rows), affiliate=affiliate
    )
    run(services.start_check(actor=actor, batch=batch, enqueue=False))
    batch.refresh_from_db()
    if commit:
        job = run(services.start_commit(actor=actor, batch=batch, enqueue=False))
        assert job.status == Job.Status.SUCCEEDED, job.error
        batch.refresh_from_db()
    return batch


@pytest.fixture
def data_director(users_by_role, nutmeg):
    return act(users_by_role["data"], nutmeg)


def test_the_check_counts_every_row_and_writes_no_people(data_director, nutmeg, tenant_union):
    batch = import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union, commit=False)
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.counts == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 1}
    problem = batch.problems.filter(severity="rejected").first()
    assert (problem.row, problem.column) == (5, "Cell")
    assert "is not a phone number" in problem.reason
    assert not Person.objects.exists()


def test_commit_writes_people_facts_and_memberships_with_provenance(
    data_director, nutmeg, tenant_union
):
    batch = import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union)
    assert batch.status == ImportBatch.Status.COMMITTED
    ana = Person.objects.get(given_name="Ana")
    assert ana.birth_date.isoformat() == "1984-03-09"
    assert ana.emails.get().address == "ana.q@example.org"
    assert ana.phones.get().e164 == "+12035550100"
    assert ana.emails.get().source == batch.source
    darnell = Person.objects.get(given_name="Darnell")
    membership = darnell.affiliate_memberships.get()
    assert (membership.affiliate, membership.role) == (tenant_union, "leader")
    assert not darnell.is_direct_member
    assert AuditEntry.objects.filter(action="import.committed").exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    data_director, nutmeg, tenant_union
):
    import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union)
    counts = {
        model: model.objects.count()
        for model in (Person, EmailAddress, PhoneNumber, PostalAddress, AffiliateMembership)
    }
    again = import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union, commit=False)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 4, "rejected": 1}
    with pytest.raises(InvalidInput, match="nothing to import"):
        services.start_commit(actor=data_director, batch=again, enqueue=False)
    assert counts == {model: model.objects.count() for model in counts}


def test_people_already_in_the_base_are_updated_not_duplicated(
    data_director, nutmeg, tenant_union, teachers_union
):
    """Same email; same phone and name; same name and birth date: three ways to be found."""
    add_member(nutmeg, teachers_union, "Ana", "Quinones", email="ana.q@example.org")
    add_member(nutmeg, teachers_union, "Darnell", "Price", phone="+18605550101")
    from datetime import date

    add_member(nutmeg, teachers_union, "Mei", "Chen", birth_date=date(1990, 1, 1))
    rows = [
        ROSTER[0],
        ROSTER[1],
        ROSTER[2],
        ["Mei", "Chen", "mei.chen@example.org", "", "1990-01-01", "", "", "", ""],
    ]
    batch = import_rows(data_director, nutmeg, rows, affiliate=tenant_union)
    assert batch.counts == {"new": 0, "updated": 3, "unchanged": 0, "rejected": 0}
    assert Person.objects.count() == 3
    ana = Person.objects.get(given_name="Ana")
    assert {m.affiliate for m in ana.affiliate_memberships.all()} == {teachers_union, tenant_union}
    assert ana.birth_date.isoformat() == "1984-03-09"  # a blank field is filled


def test_a_shared_family_phone_with_another_name_is_a_different_person(
    data_director, nutmeg, tenant_union
):
    add_member(nutmeg, tenant_union, "Rosa", "Price", phone="+18605550101")
    batch = import_rows(data_director, nutmeg, [ROSTER[0], ROSTER[2]], affiliate=tenant_union)
    assert batch.counts["new"] == 1
    assert Person.objects.filter(family_name="Price").count() == 2


def test_two_rows_for_one_person_in_a_file_make_one_person(data_director, nutmeg):
    rows = [
        ROSTER[0],
        ROSTER[1],
        ["ANA", "QUIÑONES", "ana.q@example.org", "", "", "", "", "", ""],
        ["Ana", "Quiñones", "ANA.Q@example.org", "203 555 0188", "", "", "", "", ""],
    ]
    batch = import_rows(data_director, nutmeg, rows)
    assert batch.counts == {"new": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    ana = Person.objects.get()
    assert ana.is_direct_member
    assert {p.e164 for p in ana.phones.all()} == {"+12035550100", "+12035550188"}


def test_a_crash_while_writing_leaves_nothing_and_running_again_finishes(
    data_director, nutmeg, tenant_union, monkeypatch
):
    batch = import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union, commit=False)
    from powerbase.imports import pipeline

    real = pipeline._write_tags

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(pipeline, "_write_tags", crash)
    failed = run(services.start_commit(actor=data_director, batch=batch, enqueue=False))
    assert failed.status == Job.Status.FAILED
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Person.objects.exists() and not EmailAddress.objects.exists()

    monkeypatch.setattr(pipeline, "_write_tags", real)
    done = run(services.start_commit(actor=data_director, batch=batch, enqueue=False))
    assert done.status == Job.Status.SUCCEEDED
    assert Person.objects.count() == 4


def test_undo_removes_what_the_import_wrote_and_keeps_later_edits(
    data_director, owner, nutmeg, tenant_union, teachers_union
):
    add_member(nutmeg, teachers_union, "Ana", "Quinones", email="ana.q@example.org")
    batch = import_rows(data_director, nutmeg, ROSTER, affiliate=tenant_union)
    darnell = Person.objects.get(given_name="Darnell")
    update_person(
        actor=act(owner, nutmeg),
        person=darnell,
        changes={"preferred_name": "D"},
        version=darnell.version,
    )
    result = services.undo(actor=data_director, batch=batch)
    assert result["people removed"] == 2  # Mei and Lone; Darnell was edited since
    assert result["people kept"] == 1
    ana = Person.objects.get(given_name="Ana")
    assert ana.birth_date is None  # the field the import filled is blank again
    assert list(ana.affiliate_memberships.values_list("affiliate", flat=True)) == [
        teachers_union.pk
    ]
    assert not PhoneNumber.objects.filter(source=batch.source).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert AuditEntry.objects.filter(action="import.undone").exists()


def test_an_affiliate_lead_imports_only_their_own_affiliates_list(
    users_by_role, nutmeg, tenant_union, teachers_union
):
    lead = act(users_by_role["affiliate_lead"], nutmeg)
    with pytest.raises(InvalidInput, match="your affiliates"):
        services.upload(
            actor=lead, file_name="x.csv", content=csv_bytes(ROSTER), affiliate=teachers_union
        )
    with pytest.raises(InvalidInput, match="your affiliates"):
        services.upload(actor=lead, file_name="x.csv", content=csv_bytes(ROSTER), affiliate=None)
    batch = services.upload(
        actor=lead, file_name="x.csv", content=csv_bytes(ROSTER), affiliate=tenant_union
    )
    assert batch.affiliate == tenant_union


def test_a_role_without_sensitive_access_may_not_map_demographics(
    users_by_role, nutmeg, tenant_union
):
    organizer = act(users_by_role["organizer"], nutmeg)
    rows = [["First", "Last", "Race"], ["Ana", "Q", "Hispanic"]]
    batch = services.upload(
        actor=organizer, file_name="x.csv", content=csv_bytes(rows), affiliate=tenant_union
    )
    with pytest.raises(InvalidInput, match="may not import demographics"):
        services.set_mapping(actor=organizer, batch=batch, mapping=batch.mapping)


def test_a_bad_file_is_refused_at_upload_with_its_name_and_nothing_kept(data_director, nutmeg):
    with pytest.raises(InvalidInput, match="empty.csv"):
        services.upload(actor=data_director, file_name="empty.csv", content=b"", affiliate=None)
    assert not ImportBatch.objects.exists()


def test_a_saved_mapping_is_proposed_for_the_next_file_with_the_same_columns(data_director, nutmeg):
    rows = [["Nombre", "Apellido", "Tel"], ["Ana", "Q", "2035550100"]]
    first = services.upload(
        actor=data_director, file_name="a.csv", content=csv_bytes(rows), affiliate=None
    )
    services.set_mapping(
        actor=data_director,
        batch=first,
        save_as="Spanish sign-in sheet",
        mapping={"Nombre": "given_name", "Apellido": "family_name", "Tel": "home_phone"},
    )
    second = services.upload(
        actor=data_director, file_name="b.csv", content=csv_bytes(rows), affiliate=None
    )
    assert second.mapping["Tel"] == "home_phone"


def test_the_web_flow_upload_check_commit(
    client, users_by_role, nutmeg, tenant_union, django_capture_on_commit_callbacks, run_jobs
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users_by_role["data"])
    url = reverse("imports:imports", kwargs={"org": nutmeg.slug})
    upload = SimpleUploadedFile("roster.csv", csv_bytes(ROSTER), content_type="text/csv")
    response = client.post(url, {"file": upload, "affiliate": tenant_union.pk})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse(
        "imports:batch", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}
    )
    page = client.get(response["Location"])
    form = page.context["form"]
    mapping = {name: form.fields[name].initial for name, _ in form.columns}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], mapping)
    run_jobs()
    page = client.get(response["Location"])
    assert b"What importing would do" in page.content
    assert b"is not a phone number" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}))
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    report = client.get(
        reverse("imports:problems_csv", kwargs={"org": nutmeg.slug, "batch_id": batch.pk})
    )
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "row,column,value,reason,severity"
    assert "5,Cell,555-01," in text


def test_the_cli_dry_run_writes_nothing_and_the_import_writes(nutmeg, tenant_union, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(ROSTER))
    runner = CliRunner()
    dry = runner.invoke(
        app,
        [
            "import",
            "people",
            str(path),
            "--org",
            "nutmeg",
            "--affiliate",
            tenant_union.slug,
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0, dry.output
    assert "4 new people would be added" in dry.output
    assert "row 5" in dry.output.lower()
    assert not Person.objects.exists()
    real = runner.invoke(
        app, ["import", "people", str(path), "--org", "nutmeg", "--affiliate", tenant_union.slug]
    )
    assert real.exit_code == 0, real.output
    assert Person.objects.count() == 4


def test_the_cli_names_an_unknown_affiliate_and_lists_the_real_ones(nutmeg, tenant_union, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(ROSTER))
    result = CliRunner().invoke(
        app, ["import", "people", str(path), "--org", "nutmeg", "--affiliate", "nope"]
    )
    assert result.exit_code == 1
    assert "no affiliate 'nope'" in result.output
    assert tenant_union.slug in result.output


def test_a_messy_roster_imports_nearly_everyone_and_writes_no_refused_value(
    data_director, nutmeg, tenant_union
):
    from datetime import date

    from powerbase.people.models import PersonTag
    from tests.imports.test_forgiving import MAPPING, messy_roster

    batch = services.upload(
        actor=data_director,
        file_name="messy.csv",
        content=csv_bytes(messy_roster()),
        affiliate=tenant_union,
    )
    services.set_mapping(actor=data_director, batch=batch, mapping=MAPPING)
    run(services.start_check(actor=data_director, batch=batch, enqueue=False))
    batch.refresh_from_db()
    kept = batch.new_count + batch.updated_count + batch.unchanged_count
    assert (batch.rejected_count, kept) == (2, 198)  # a few rows are the same person twice
    assert batch.problems.filter(severity="warning").count() == batch.warning_count > 50
    run(services.start_commit(actor=data_director, batch=batch, enqueue=False))
    assert Person.objects.count() == batch.new_count > 170
    assert not EmailAddress.objects.filter(address__contains="not-an-email").exists()
    assert not PhoneNumber.objects.filter(e164__in=["+19999999999", "+10000000000"]).exists()
    assert not Person.objects.filter(birth_date=date(1900, 1, 1)).exists()
    assert PersonTag.objects.filter(tag__name="Shop Steward").exists()
    assert AffiliateMembership.objects.filter(since=date(2020, 3, 1)).exists()


def test_a_long_problem_report_is_written_by_a_job_with_the_same_lines(
    client,
    settings,
    users_by_role,
    nutmeg,
    tenant_union,
    data_dir,
    django_capture_on_commit_callbacks,
    run_jobs,
):
    lead = users_by_role["affiliate_lead"]
    batch = import_rows(
        act(lead, nutmeg),
        nutmeg,
        ROSTER,
        affiliate=tenant_union,
        commit=False,
    )
    url = reverse("imports:problems_csv", kwargs={"org": nutmeg.slug, "batch_id": batch.pk})
    client.force_login(lead)
    inline = b"".join(client.get(url).streaming_content)
    settings.EXPORT_INLINE_LIMIT = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.get(kind="imports.problems_export")
    assert response["Location"] == reverse(
        "core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk}
    )
    run_jobs()
    download = reverse("core:export_download", kwargs={"org": nutmeg.slug, "export_id": job.pk})
    from_job = b"".join(client.get(download).streaming_content)
    assert from_job == inline and b"555-01" in from_job

"""Big exports run as jobs: the same rows as the inline export, for the asker's eyes only,
audited, and deleted after the retention period."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from powerbase.core import exports, jobs
from powerbase.core.models import AuditEntry, Job, Role
from powerbase.people.services import record_view
from tests.conftest import act, add_member


@pytest.fixture(autouse=True)
def own_data_dir(data_dir):
    return data_dir


@pytest.fixture
def data_director(users_by_role):
    return users_by_role[Role.DATA]


@pytest.fixture
def crowd(nutmeg, maria, walter, tenant_union, teachers_union):
    """Five members of two affiliates: more than the low inline limit the tests set."""
    add_member(nutmeg, tenant_union, "Rosa", "Parks-Diaz", email="rosa@tenants.example")
    add_member(nutmeg, teachers_union, "Ines", "Moreau", email="ines@teachers.example")
    add_member(nutmeg, teachers_union, "Tomas", "Lindqvist", email="tomas@teachers.example")


def people_export(client, org, file_format="csv", **params):
    return client.get(
        reverse("people:export", kwargs={"org": org.slug, "file_format": file_format}), params
    )


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def start_and_run(client, django_capture_on_commit_callbacks, run_jobs, get) -> Job:
    """Make the request that starts an export job, check it redirects, run the worker."""
    with django_capture_on_commit_callbacks(execute=True):
        response = get()
    assert response.status_code == 302
    job = Job.objects.get(kind__in=exports.EXPORT_KINDS, status=Job.Status.QUEUED)
    assert response.url == reverse(
        "core:export", kwargs={"org": job.organization.slug, "export_id": job.pk}
    )
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def download_url(job: Job) -> str:
    return reverse(
        "core:export_download", kwargs={"org": job.organization.slug, "export_id": job.pk}
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_job_export_holds_the_same_rows_as_the_inline_export(
    client,
    settings,
    admin,
    nutmeg,
    crowd,
    file_format,
    django_capture_on_commit_callbacks,
    run_jobs,
):
    client.force_login(admin)
    inline = body(people_export(client, nutmeg, file_format))
    settings.EXPORT_INLINE_LIMIT = 3
    job = start_and_run(
        client,
        django_capture_on_commit_callbacks,
        run_jobs,
        lambda: people_export(client, nutmeg, file_format),
    )
    page = client.get(reverse("core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk}))
    assert download_url(job).encode() in page.content
    assert b"5 rows" in page.content
    from_job = body(client.get(download_url(job)))
    if file_format == "csv":
        assert from_job == inline
        text = from_job.decode("utf-8-sig")
        # The visibility rule decided the job's file: the tenant union shares no contact.
        assert "walter@teachers.example" in text and "maria@tenants.example" not in text
        assert len(text.strip().splitlines()) == 1 + 5
    else:
        assert _cells(from_job) == _cells(inline)
        assert len(_cells(from_job)) == 1 + 5
    assert job.result["rows"] == 5 and job.result["bytes"] == len(from_job)


def _cells(xlsx: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_a_small_export_is_still_sent_at_once(client, settings, admin, nutmeg, crowd):
    settings.EXPORT_INLINE_LIMIT = 5
    client.force_login(admin)
    response = people_export(client, nutmeg)
    assert response.status_code == 200 and response.streaming
    assert not Job.objects.filter(kind="people.export").exists()


def test_a_filtered_job_export_keeps_the_filter(
    client,
    settings,
    admin,
    nutmeg,
    crowd,
    teachers_union,
    django_capture_on_commit_callbacks,
    run_jobs,
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    job = start_and_run(
        client,
        django_capture_on_commit_callbacks,
        run_jobs,
        lambda: people_export(client, nutmeg, affiliate=teachers_union.pk),
    )
    text = body(client.get(download_url(job))).decode("utf-8-sig")
    assert "Okonkwo-Hill" in text and "Moreau" in text and "Gonzalez" not in text


def test_the_row_cap_refuses_before_any_job_starts(client, settings, admin, nutmeg, crowd):
    settings.EXPORT_INLINE_LIMIT = 1
    settings.PEOPLE_EXPORT_ROW_CAP = 2
    client.force_login(admin)
    response = people_export(client, nutmeg)
    assert response.status_code == 403
    assert b"may export at most 2" in response.content
    assert not Job.objects.filter(kind="people.export").exists()


def test_only_the_person_who_asked_can_download_the_file(
    client,
    settings,
    admin,
    data_director,
    outsider,
    nutmeg,
    crowd,
    django_capture_on_commit_callbacks,
    run_jobs,
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: people_export(client, nutmeg)
    )
    page = reverse("core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk})
    # A data director follows everyone's jobs, but an export's file is its asker's alone.
    client.force_login(data_director)
    assert client.get(page).status_code == 404
    assert client.get(download_url(job)).status_code == 404
    assert job.pk not in [j.pk for j in exports.mine(act(data_director, nutmeg))]
    assert AuditEntry.objects.filter(action="access.denied", actor=data_director).exists()
    # Another organization's owner cannot even tell it exists.
    client.force_login(outsider)
    assert client.get(download_url(job)).status_code == 404
    outsiders_url = reverse("core:export_download", kwargs={"org": "harbor", "export_id": job.pk})
    assert client.get(outsiders_url).status_code == 404


def test_requests_and_downloads_are_audited_and_listed(
    client, settings, admin, nutmeg, crowd, django_capture_on_commit_callbacks, run_jobs
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: people_export(client, nutmeg)
    )
    client.get(download_url(job))
    requested = AuditEntry.objects.get(action="export.requested")
    assert requested.actor == admin and requested.changes["rows"] == 5
    downloaded = AuditEntry.objects.get(action="export.downloaded")
    assert downloaded.actor == admin and downloaded.changes["rows"] == 5
    # The export itself is logged as the inline one is, so affiliates see who took members.
    exported = AuditEntry.objects.get(action="people.exported")
    assert exported.actor == admin and exported.changes["rows"] == 5
    listing = client.get(reverse("core:exports", kwargs={"org": nutmeg.slug})).content.decode()
    assert job.params["file_name"] in listing and "Finished" in listing
    assert filesizeformat(job.result["bytes"]) in listing


def test_the_file_is_private_to_the_organization_and_not_under_static(
    client, settings, admin, nutmeg, crowd, django_capture_on_commit_callbacks, run_jobs
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: people_export(client, nutmeg)
    )
    path = exports.path_of(job)
    assert path.is_relative_to(settings.DATA_DIR / "exports" / str(nutmeg.pk))
    assert not path.is_relative_to(settings.STATIC_ROOT)
    assert path.parent.stat().st_mode & 0o077 == 0


def test_housekeeping_deletes_a_file_past_the_retention_period(
    client, settings, admin, nutmeg, crowd, django_capture_on_commit_callbacks, run_jobs
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: people_export(client, nutmeg)
    )
    path = exports.path_of(job)
    jobs.run_housekeeping()
    assert path.exists()  # still within the retention period
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - settings.EXPORT_RETENTION - timedelta(minutes=1)
    )
    jobs.run_housekeeping()
    assert not path.exists()
    assert client.get(download_url(job)).status_code == 404
    page = client.get(reverse("core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk}))
    assert b"This file was deleted" in page.content


def test_an_affiliate_leads_job_export_holds_only_their_affiliates_members(
    client,
    settings,
    owner,
    affiliate_lead,
    nutmeg,
    maria,
    walter,
    tenant_union,
    teachers_union,
    django_capture_on_commit_callbacks,
    run_jobs,
):
    for person in (maria, walter, maria):
        record_view(actor=act(owner, nutmeg), person=person)
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(affiliate_lead)
    url = reverse(
        "coalition:member_access_csv", kwargs={"org": nutmeg.slug, "affiliate_id": tenant_union.pk}
    )
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: client.get(url)
    )
    text = body(client.get(download_url(job))).decode("utf-8-sig")
    assert text.count("Gonzalez") == 2
    assert "Okonkwo-Hill" not in text and "Walter" not in text
    assert len(text.strip().splitlines()) == 1 + 2
    # The lead follows their own export, though they follow no other jobs.
    page = client.get(reverse("core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk}))
    assert page.status_code == 200
    other = reverse(
        "coalition:member_access_csv",
        kwargs={"org": nutmeg.slug, "affiliate_id": teachers_union.pk},
    )
    assert client.get(other).status_code == 404
    assert Job.objects.filter(kind="coalition.who_looked_export").count() == 1


def test_a_job_runs_with_the_askers_role_as_it_is_when_it_runs(
    client, settings, admin, nutmeg, crowd, django_capture_on_commit_callbacks, run_jobs
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        people_export(client, nutmeg)
    admin.memberships.filter(organization=nutmeg).delete()
    run_jobs()
    job = Job.objects.get(kind="people.export")
    assert job.status == Job.Status.FAILED
    assert not exports.path_of(job).exists()


def test_the_jobs_list_takes_the_asker_to_their_exports_download_page(
    client, settings, data_director, nutmeg, crowd, django_capture_on_commit_callbacks, run_jobs
):
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(data_director)
    job = start_and_run(
        client, django_capture_on_commit_callbacks, run_jobs, lambda: people_export(client, nutmeg)
    )
    response = client.get(reverse("core:job", kwargs={"org": nutmeg.slug, "job_id": job.pk}))
    assert response.url == reverse("core:export", kwargs={"org": nutmeg.slug, "export_id": job.pk})

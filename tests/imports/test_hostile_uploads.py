"""Hostile uploads through the whole Django path: a clear refusal or a clean import, never a
server error and never a partial write.

Hypothesis makes the files (random bytes, ragged text, formula cells, odd encodings); each is
uploaded, checked and, when the check accepts rows, imported, inside a test transaction.
"""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerbase.core import access, jobs
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Job, Organization
from powerbase.imports import services
from powerbase.imports.models import ImportBatch
from powerbase.people.models import Person
from tests.imports.test_hostile_files import TRICKY_CELLS

cells = st.one_of(st.sampled_from(TRICKY_CELLS), st.text(max_size=12))
headers = st.lists(
    st.sampled_from(
        [
            "First Name",
            "Last Name",
            "Email",
            "Cell",
            "Zip",
            "DOB",
            "Notes",
            "Tags",
            "",
            "=cmd",
            "Name",
        ]
    ),
    min_size=1,
    max_size=6,
)


@st.composite
def hostile_files(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=8))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=hostile_files())
def test_any_upload_ends_in_a_refusal_or_an_import_and_never_half_way(content):
    from django.db import transaction

    with transaction.atomic():
        organization = Organization.objects.create(name="Fuzz For All", slug="fuzz", state="CT")
        actor = access.command_line(organization)
        try:
            batch = services.upload(
                actor=actor, file_name="hostile.csv", content=content, affiliate=None
            )
        except InvalidInput as refusal:
            assert refusal.message.startswith("hostile.csv")
            assert not ImportBatch.objects.filter(organization=organization).exists()
        else:
            check = jobs.Job.objects.get(
                pk=services.start_check(actor=actor, batch=batch, enqueue=False).pk
            )
            jobs.execute(check.pk)
            check.refresh_from_db()
            batch.refresh_from_db()
            if check.status == Job.Status.FAILED:
                assert not check.error.startswith("Unexpected error"), check.error
                assert not Person.objects.filter(organization=organization).exists()
            elif batch.new_count + batch.updated_count:
                commit = services.start_commit(actor=actor, batch=batch, enqueue=False)
                jobs.execute(commit.pk)
                commit.refresh_from_db()
                assert commit.status == Job.Status.SUCCEEDED, commit.error
                assert Person.objects.filter(organization=organization).count() == batch.new_count
        transaction.set_rollback(True)

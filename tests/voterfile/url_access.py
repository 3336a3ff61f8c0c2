"""The voterfile objects the permission test's URLs point at.

Who may open each voterfile page is written in tests/permission_table.txt.
"""

from django.db import transaction
from django.test import override_settings

from powerbase.core import access
from powerbase.voterfile import services
from powerbase.voterfile.models import District
from tests.voterfile.conftest import FIXTURES, LENIENT_GATES, NC_FILES, run_job


def world(*, nutmeg, **_) -> dict:
    """One imported version of the small North Carolina fixture."""
    with transaction.atomic():
        job = services.start_import(
            actor=access.command_line(nutmeg),
            paths=[FIXTURES / name for name in NC_FILES],
            layout="nc",
        )
    with override_settings(VOTERFILE_GATES=LENIENT_GATES):
        run_job(job)
    district = District.objects.filter(organization=nutmeg).first()
    return {"number": 1, "district_id": district.pk}

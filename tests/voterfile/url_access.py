from django.db import transaction
from django.test import override_settings

from powerbase.voterfile import services
from powerbase.voterfile.models import District
from tests.url_access import Row, roles_with
from tests.voterfile.conftest import FIXTURES, LENIENT_GATES, NC_FILES, run_job

URL_ACCESS = {
    "voterfile:overview": Row(roles_with("voterfile.view")),
    "voterfile:version": Row(roles_with("voterfile.view")),
    "voterfile:import": Row(roles_with("voterfile.import")),
    "voterfile:use": Row(roles_with("voterfile.import")),
    "voterfile:districts": Row(roles_with("voterfile.view")),
    "voterfile:district": Row(roles_with("voterfile.view")),
}


def world(*, nutmeg, **_) -> dict:
    """One imported version of the small North Carolina fixture."""
    with transaction.atomic():
        job = services.start_import(actor=None, organization=nutmeg,
                                    paths=[FIXTURES / name for name in NC_FILES], layout="nc")
    with override_settings(VOTERFILE_GATES=LENIENT_GATES):
        run_job(job)
    district = District.objects.filter(organization=nutmeg).first()
    return {"number": 1, "district_id": district.pk}

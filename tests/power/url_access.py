"""Who may open the power map's pages: every role holding power.view; census imports need
voterfile.import."""

import tempfile
from pathlib import Path

from powerbase.voterfile.models import District
from tests.power.conftest import import_small_voter_file
from tests.url_access import Row, roles_with

URL_ACCESS = {
    "power:map": Row(roles_with("power.view")),
    "power:district": Row(roles_with("power.view")),
    "power:census": Row(roles_with("power.view")),
    "power:census_import": Row(roles_with("voterfile.import")),
}


def world(*, nutmeg, **_) -> dict:
    """A small imported voter file with two house districts."""
    import_small_voter_file(nutmeg, Path(tempfile.mkdtemp(prefix="power-world-")))
    district = District.objects.filter(organization=nutmeg, kind="state_house").first()
    return {"district_id": district.pk}

"""The power objects the permission test's URLs point at.

Who may open each power page is written in tests/permission_table.txt.
"""

import tempfile
from pathlib import Path

from powerbase.voterfile.models import District
from tests.power.conftest import import_small_voter_file


def world(*, nutmeg, **_) -> dict:
    """A small imported voter file with two house districts."""
    import_small_voter_file(nutmeg, Path(tempfile.mkdtemp(prefix="power-world-")))
    district = District.objects.filter(organization=nutmeg, kind="state_house").first()
    return {"district_id": district.pk}

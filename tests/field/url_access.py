"""The field objects the permission test's URLs point at.

Who may open each field page is written in tests/permission_table.txt.
"""

import tempfile
from pathlib import Path

from powerbase.core import access
from powerbase.field import services
from powerbase.field.models import Door
from tests.field.voters import make_voter_file


def world(*, nutmeg, **_) -> dict:
    """A small voter file in use, a universe cut into turfs, a volunteer's link to turf 1."""
    make_voter_file(nutmeg, Path(tempfile.mkdtemp(prefix="field-world-")))
    command_line = access.command_line(nutmeg)
    universe = services.save_universe(actor=command_line, name="Everyone", filters={})
    turfs = services.cut_turfs(actor=command_line, universe=universe, doors_per_turf=20)
    link, token = services.create_link(actor=command_line, turf=turfs[0], label="Jo")
    door = Door.objects.filter(turf=turfs[0]).first()
    return {
        "universe_id": universe.pk,
        "turf_id": turfs[0].pk,
        "door_id": door.pk,
        "link_id": link.pk,
        "link_token": token,
    }
